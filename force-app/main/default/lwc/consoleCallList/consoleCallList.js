import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import getCallList from '@salesforce/apex/CampaignSendController.getCallList';
import TITLE from '@salesforce/label/c.FSE_CallList_Title';
import EMPTY from '@salesforce/label/c.FSE_CallList_Empty';
import REFRESH from '@salesforce/label/c.FSE_CallList_Refresh';
import OPEN from '@salesforce/label/c.FSE_CallList_Open';
import NO_PHONE from '@salesforce/label/c.FSE_CallList_NoPhone';
import NEVER_CALLED from '@salesforce/label/c.FSE_CallList_NeverCalled';
import LAST_CALL from '@salesforce/label/c.FSE_CallList_LastCall';
import PRIORITY_CALLBACK from '@salesforce/label/c.FSE_CallList_PriorityCallBack';
import PRIORITY_UNREACHED from '@salesforce/label/c.FSE_CallList_PriorityUnreached';
import PRIORITY_NEW from '@salesforce/label/c.FSE_CallList_PriorityNew';
import PRIORITY_RETRY from '@salesforce/label/c.FSE_CallList_PriorityRetry';
import { format, formatDate } from 'c/fsePortalUtils';

const PRIORITY = {
    1: { label: PRIORITY_CALLBACK, badge: 'slds-theme_warning' },
    2: { label: PRIORITY_UNREACHED, badge: 'slds-theme_error' },
    3: { label: PRIORITY_NEW, badge: 'slds-theme_info' },
    4: { label: PRIORITY_RETRY, badge: '' }
};

/**
 * The console's call list (Campaign record page): the campaign's members still to call, in the
 * order agents should call them (CampaignSendController.getCallList: promised call-backs, then
 * those e-mail/SMS/push did not reach, then never called, then no answer; the longest wait first).
 * Each row opens the member, where consoleCallOutcome records the call.
 */
export default class ConsoleCallList extends NavigationMixin(LightningElement) {
    @api recordId;
    @api maxRows = 50;

    labels = { title: TITLE, empty: EMPTY, refresh: REFRESH };
    rows;
    error;
    wiredResult;

    @wire(getCallList, { campaignId: '$recordId', maxRows: '$maxRows' })
    wiredRows(result) {
        this.wiredResult = result;
        if (result.data) {
            this.rows = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.rows = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.rows) {
            return 'loading';
        }
        return this.rows.length ? 'data' : 'empty';
    }
    get hasRows() {
        return this.state === 'data';
    }
    get items() {
        return this.rows.map((r, i) => {
            const priority = PRIORITY[r.priority] || PRIORITY[4];
            return {
                ...r,
                position: i + 1,
                heading: `${i + 1}. ${r.name}`,
                priorityLabel: priority.label,
                badgeClass: `fse-priority ${priority.badge}`,
                phoneHref: r.phone ? `tel:${r.phone.replace(/[^\d+]/g, '')}` : null,
                phoneText: r.phone || NO_PHONE,
                lastCallText: r.lastCallAt
                    ? format(
                          LAST_CALL,
                          formatDate(r.lastCallAt, 'shortDateTime'),
                          r.callOutcomeLabel || ''
                      )
                    : NEVER_CALLED,
                openTitle: `${OPEN}: ${r.name}`
            };
        });
    }

    handleOpen(event) {
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: {
                recordId: event.currentTarget.dataset.id,
                objectApiName: 'CampaignMember',
                actionName: 'view'
            }
        });
    }

    handleRefresh() {
        return refreshApex(this.wiredResult);
    }

    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }
}
