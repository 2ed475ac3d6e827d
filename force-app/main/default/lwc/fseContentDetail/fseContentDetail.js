import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getContentDetail from '@salesforce/apex/FseCatalogController.getContentDetail';
import enroll from '@salesforce/apex/FseCatalogController.enroll';
import withdraw from '@salesforce/apex/FseCatalogController.withdraw';
import { userMessage } from 'c/fseErrorUtils';
import { format, formatNumber, ACTIVE_ENROLMENT } from 'c/fsePortalUtils';
import MODULES from '@salesforce/label/c.FSE_Catalog_DetailTitle';
import START from '@salesforce/label/c.FSE_Catalog_Start';
import TAKE_TEST from '@salesforce/label/c.FSE_Catalog_TakeTest';
import NO_CONTENT from '@salesforce/label/c.FSE_Catalog_NoContent';
import MINUTES from '@salesforce/label/c.FSE_Catalog_Minutes';
import CREDITS from '@salesforce/label/c.FSE_Catalog_CreditsFact';
import SEATS_LEFT from '@salesforce/label/c.FSE_Catalog_SeatsLeft';
import FULL from '@salesforce/label/c.FSE_Catalog_Full';
import ENROL from '@salesforce/label/c.FSE_Catalog_Enrol';
import WITHDRAW from '@salesforce/label/c.FSE_Catalog_Withdraw';
import ENROLLED from '@salesforce/label/c.FSE_Catalog_Enrolled';
import ENROLLED_TOAST from '@salesforce/label/c.FSE_Catalog_EnrolledToast';
import WITHDRAWN_TOAST from '@salesforce/label/c.FSE_Catalog_WithdrawnToast';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';

/** One content of the catalogue, with enrolment, start and test. */
export default class FseContentDetail extends NavigationMixin(LightningElement) {
    @api contentId;
    @api quizPageName = 'Test__c';

    labels = {
        modules: MODULES,
        start: START,
        takeTest: TAKE_TEST,
        noContent: NO_CONTENT,
        enrol: ENROL,
        withdraw: WITHDRAW,
        enrolled: ENROLLED,
        full: FULL
    };
    pageContentId;
    content;
    error;
    wiredResult;
    busy = false;

    @wire(CurrentPageReference)
    wiredPage(pageRef) {
        this.pageContentId = pageRef && pageRef.state ? pageRef.state.c__contentId : undefined;
    }

    get recordId() {
        return this.contentId || this.pageContentId;
    }

    @wire(getContentDetail, { contentId: '$recordId' })
    wiredContent(result) {
        this.wiredResult = result;
        if (result.data) {
            this.content = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.content = undefined;
        }
    }

    get state() {
        if (!this.recordId) {
            return 'empty';
        }
        if (this.error) {
            return 'error';
        }
        return this.content ? 'data' : 'loading';
    }
    get hasData() {
        return this.state === 'data';
    }
    get isEnrolled() {
        return ACTIVE_ENROLMENT.includes(this.content.enrollmentStatus);
    }
    get isCompleted() {
        return this.content.enrollmentStatus === 'Completed';
    }
    get canEnrol() {
        return !this.isEnrolled && !this.isCompleted;
    }
    get enrolLabel() {
        return this.content.isFull ? FULL : ENROL;
    }
    /** Never disabled while saving: a disabled button drops the keyboard focus. */
    get enrolDisabled() {
        return this.content.isFull;
    }
    get hasSeats() {
        return this.content.seatsLeft !== null && this.content.seatsLeft !== undefined;
    }
    get seatsText() {
        return format(SEATS_LEFT, this.content.seatsLeft);
    }
    get facts() {
        return [
            this.content.typeLabel,
            this.content.macroCategory,
            this.content.durationMinutes ? format(MINUTES, this.content.durationMinutes) : '',
            this.content.ecmCredits ? format(CREDITS, formatNumber(this.content.ecmCredits)) : ''
        ]
            .filter((fact) => !!fact)
            .join(' · ');
    }
    get hasModules() {
        return this.content.modules && this.content.modules.length > 0;
    }
    get isCourse() {
        return this.content.contentType === 'Course';
    }

    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }
    handleEnrol() {
        return this.act(enroll, ENROLLED_TOAST);
    }
    handleWithdraw() {
        return this.act(withdraw, WITHDRAWN_TOAST);
    }
    handleStart() {
        this[NavigationMixin.Navigate]({
            type: 'standard__webPage',
            attributes: { url: this.content.url }
        });
    }
    handleTest() {
        this[NavigationMixin.Navigate]({
            type: 'comm__namedPage',
            attributes: { name: this.quizPageName },
            state: { c__contentId: this.recordId }
        });
    }

    async act(apexMethod, successTitle) {
        if (this.busy) {
            return;
        }
        this.busy = true;
        try {
            await apexMethod({ contentId: this.recordId });
            this.dispatchEvent(new ShowToastEvent({ title: successTitle, variant: 'success' }));
            await refreshApex(this.wiredResult);
        } catch (error) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR_TITLE,
                    message: userMessage(error, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.busy = false;
        }
        await this.focusAction();
    }

    /** After enrolling or withdrawing, focus goes to the action that now stands in its place. */
    async focusAction() {
        await Promise.resolve();
        const target = ['.fse-start', '.fse-withdraw', '.fse-enrol']
            .map((selector) => this.template.querySelector(selector))
            .find((button) => button && !button.disabled);
        if (target) {
            target.focus();
        }
    }
}
