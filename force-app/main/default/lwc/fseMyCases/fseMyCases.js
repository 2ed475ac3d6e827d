import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import getMyCases from '@salesforce/apex/FseSupportController.getMyCases';
import TITLE from '@salesforce/label/c.FSE_Support_MyCasesTitle';
import EMPTY from '@salesforce/label/c.FSE_Support_MyCasesEmpty';
import OPENED from '@salesforce/label/c.FSE_Support_Opened';
import REPLIES from '@salesforce/label/c.FSE_Support_Replies';
import NO_REPLIES from '@salesforce/label/c.FSE_Support_NoReplies';
import AGENT from '@salesforce/label/c.FSE_Support_Agent';
import YOU from '@salesforce/label/c.FSE_Support_You';
import RATE from '@salesforce/label/c.FSE_Support_Rate';
import { formatDate } from 'c/fsePortalUtils';

/** The professional's support requests with status and the agents' replies. */
export default class FseMyCases extends NavigationMixin(LightningElement) {
    @api surveyPageName = 'Gradimento__c';

    labels = {
        title: TITLE,
        empty: EMPTY,
        opened: OPENED,
        replies: REPLIES,
        noReplies: NO_REPLIES
    };
    cases;
    error;
    wiredResult;

    @wire(getMyCases)
    wiredCases(result) {
        this.wiredResult = result;
        if (result.data) {
            this.cases = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.cases = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.cases) {
            return 'loading';
        }
        return this.cases.length ? 'data' : 'empty';
    }
    get hasCases() {
        return this.state === 'data';
    }
    get rows() {
        return this.cases.map((c) => ({
            ...c,
            heading: `${c.caseNumber} · ${c.subject || ''}`,
            // built here: the template compiler drops spaces next to elements ("Aperta il3 nov")
            openedText: `${c.topicLabel} · ${OPENED} ${formatDate(c.createdDate)}`,
            hasReplies: c.replies.length > 0,
            badgeClass: c.isClosed ? 'slds-theme_success' : 'slds-theme_info',
            replyRows: c.replies.map((r, i) => ({
                ...r,
                key: `${c.id}-${i}`,
                author: r.fromAgent ? AGENT : YOU,
                byline: `${r.fromAgent ? AGENT : YOU} · ${formatDate(r.createdDate, 'shortDateTime')}`
            })),
            rateLabel: RATE,
            rateTitle: `${RATE}: ${c.caseNumber}`
        }));
    }

    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }

    handleRate(event) {
        this[NavigationMixin.Navigate]({
            type: 'comm__namedPage',
            attributes: { name: this.surveyPageName },
            state: { c__caseId: event.target.dataset.id, c__surveyKey: 'CASE_SATISFACTION' }
        });
    }
}
