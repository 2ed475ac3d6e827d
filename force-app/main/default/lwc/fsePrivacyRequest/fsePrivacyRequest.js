import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getMyRequests from '@salesforce/apex/FsePrivacyRequestController.getMyRequests';
import createRequest from '@salesforce/apex/FsePrivacyRequestController.createRequest';
import { userMessage } from 'c/fseErrorUtils';
import { formatDate } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Privacy_Title';
import INTRO from '@salesforce/label/c.FSE_Privacy_Intro';
import ACCESS from '@salesforce/label/c.FSE_Privacy_RequestAccess';
import ERASURE from '@salesforce/label/c.FSE_Privacy_RequestErasure';
import ERASURE_WARNING from '@salesforce/label/c.FSE_Privacy_ErasureWarning';
import CONFIRM from '@salesforce/label/c.FSE_Privacy_Confirm';
import CONFIRM_ERASURE from '@salesforce/label/c.FSE_Privacy_ConfirmErasure';
import CANCEL from '@salesforce/label/c.FSE_Common_Cancel';
import SENT from '@salesforce/label/c.FSE_Privacy_Sent';
import MY_REQUESTS from '@salesforce/label/c.FSE_Privacy_MyRequests';
import EMPTY from '@salesforce/label/c.FSE_Privacy_Empty';
import REQUESTED_ON from '@salesforce/label/c.FSE_Privacy_RequestedOn';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';

/** Data access and erasure requests (GDPR arts. 15 and 17) and their status. */
export default class FsePrivacyRequest extends LightningElement {
    labels = {
        title: TITLE,
        intro: INTRO,
        access: ACCESS,
        erasure: ERASURE,
        erasureWarning: ERASURE_WARNING,
        confirm: CONFIRM,
        confirmErasure: CONFIRM_ERASURE,
        cancel: CANCEL,
        myRequests: MY_REQUESTS,
        empty: EMPTY,
        requestedOn: REQUESTED_ON
    };
    requests;
    error;
    wiredResult;
    confirmingErasure = false;
    understood = false;
    sending = false;

    @wire(getMyRequests)
    wiredRequests(result) {
        this.wiredResult = result;
        if (result.data) {
            this.requests = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.requests = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.requests) {
            return 'loading';
        }
        return this.requests.length ? 'data' : 'empty';
    }
    /** Rows with "Inviata il 1 novembre 2025" built here (the template drops the space). */
    get requestRows() {
        return (this.requests || []).map((r) => ({
            ...r,
            requestedText: `${REQUESTED_ON} ${formatDate(r.requestedAt, 'long')}`
        }));
    }
    get hasRequests() {
        return this.state === 'data';
    }
    get confirmDisabled() {
        return !this.understood || this.sending;
    }

    handleAccess() {
        return this.send('DataAccess');
    }
    handleErasure() {
        this.confirmingErasure = true;
        this.understood = false;
    }
    handleUnderstood(event) {
        this.understood = event.target.checked;
    }
    handleCancel() {
        this.confirmingErasure = false;
    }
    handleConfirmErasure() {
        return this.send('Erasure');
    }
    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }

    async send(requestType) {
        this.sending = true;
        try {
            await createRequest({ requestType });
            this.confirmingErasure = false;
            this.dispatchEvent(new ShowToastEvent({ title: SENT, variant: 'success' }));
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
            this.sending = false;
        }
    }
}
