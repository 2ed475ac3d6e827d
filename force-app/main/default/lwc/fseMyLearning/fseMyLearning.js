import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getMyLearning from '@salesforce/apex/FseLearningController.getMyLearning';
import resume from '@salesforce/apex/FseLearningController.resume';
import getCertificate from '@salesforce/apex/FseLearningController.getCertificate';
import { userMessage } from 'c/fseErrorUtils';
import { format, formatNumber } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Learning_Title';
import EMPTY from '@salesforce/label/c.FSE_Learning_EmptyIntro';
import BROWSE_CATALOG from '@salesforce/label/c.FSE_Learning_BrowseCatalog';
import PROGRESS from '@salesforce/label/c.FSE_Learning_Progress';
import RESUME from '@salesforce/label/c.FSE_Learning_Resume';
import CERTIFICATE from '@salesforce/label/c.FSE_Learning_Certificate';
import CERTIFICATE_TITLE from '@salesforce/label/c.FSE_Learning_CertificateTitle';
import CERTIFICATE_TEXT from '@salesforce/label/c.FSE_Learning_CertificateText';
import CERTIFICATE_CREDITS from '@salesforce/label/c.FSE_Learning_CertificateCredits';
import CERTIFICATE_NUMBER from '@salesforce/label/c.FSE_Learning_CertificateNumber';
import PRINT from '@salesforce/label/c.FSE_Learning_Print';
import CLOSE from '@salesforce/label/c.FSE_Common_Close';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';

/** The professional's enrolments: progress, resume, certificates of completion. */
export default class FseMyLearning extends NavigationMixin(LightningElement) {
    @api title;
    /** API name of the community page hosting fseCatalog. */
    @api catalogPageName = 'Catalogo__c';

    labels = {
        empty: EMPTY,
        browseCatalog: BROWSE_CATALOG,
        certificateTitle: CERTIFICATE_TITLE,
        print: PRINT,
        close: CLOSE
    };
    items;
    error;
    wiredResult;
    certificate;
    catalogUrl;

    connectedCallback() {
        this[NavigationMixin.GenerateUrl](this.catalogPage).then((url) => {
            this.catalogUrl = url;
        });
    }

    get catalogPage() {
        return { type: 'comm__namedPage', attributes: { name: this.catalogPageName } };
    }
    get isEmpty() {
        return this.state === 'empty';
    }

    get heading() {
        return this.title || TITLE;
    }

    @wire(getMyLearning)
    wiredLearning(result) {
        this.wiredResult = result;
        if (result.data) {
            this.items = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.items = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.items) {
            return 'loading';
        }
        return this.items.length ? 'data' : 'empty';
    }
    get hasItems() {
        return this.state === 'data';
    }
    get rows() {
        return this.items.map((item) => ({
            ...item,
            isCompleted: item.status === 'Completed',
            progressText: format(PROGRESS, item.progressPercent),
            resumeLabel: RESUME,
            resumeTitle: `${RESUME}: ${item.name}`,
            certificateLabel: CERTIFICATE,
            certificateTitle: `${CERTIFICATE}: ${item.name}`
        }));
    }
    get certificateText() {
        return this.certificate
            ? format(
                  CERTIFICATE_TEXT,
                  this.certificate.professionalName,
                  this.certificate.contentName
              )
            : '';
    }
    get certificateCredits() {
        return this.certificate
            ? format(CERTIFICATE_CREDITS, formatNumber(this.certificate.ecmCredits || 0))
            : '';
    }
    get certificateNumber() {
        return this.certificate
            ? format(CERTIFICATE_NUMBER, this.certificate.certificateNumber)
            : '';
    }

    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }

    async handleResume(event) {
        try {
            const url = await resume({ enrollmentId: event.target.dataset.id });
            if (url) {
                this[NavigationMixin.Navigate]({ type: 'standard__webPage', attributes: { url } });
            }
            await refreshApex(this.wiredResult);
        } catch (error) {
            this.toastError(error);
        }
    }

    async handleCertificate(event) {
        try {
            this.certificate = await getCertificate({ enrollmentId: event.target.dataset.id });
            // move focus to the certificate so screen readers read it
            await Promise.resolve();
            const heading = this.template.querySelector('.fse-certificate h3');
            if (heading) {
                heading.focus();
            }
        } catch (error) {
            this.toastError(error);
        }
    }

    handleCatalog(event) {
        event.preventDefault();
        this[NavigationMixin.Navigate](this.catalogPage);
    }

    handlePrint() {
        window.print();
    }
    handleCloseCertificate() {
        this.certificate = undefined;
    }

    toastError(error) {
        this.dispatchEvent(
            new ShowToastEvent({
                title: ERROR_TITLE,
                message: userMessage(error, ''),
                variant: 'error'
            })
        );
    }
}
