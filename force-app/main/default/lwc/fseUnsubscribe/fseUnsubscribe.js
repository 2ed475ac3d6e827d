import { LightningElement, wire } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import checkToken from '@salesforce/apex/FseUnsubscribeController.checkToken';
import unsubscribe from '@salesforce/apex/FseUnsubscribeController.unsubscribe';
import TITLE from '@salesforce/label/c.FSE_Unsubscribe_Title';
import QUESTION from '@salesforce/label/c.FSE_Unsubscribe_Question';
import CONFIRM from '@salesforce/label/c.FSE_Unsubscribe_Confirm';
import DONE from '@salesforce/label/c.FSE_Unsubscribe_Done';
import EXPIRED from '@salesforce/label/c.FSE_Unsubscribe_Expired';
import INVALID from '@salesforce/label/c.FSE_Unsubscribe_Invalid';
import PREFERENCES from '@salesforce/label/c.FSE_Unsubscribe_Preferences';
import NOT_ALLOWED from '@salesforce/label/c.FSE_Unsubscribe_NotAllowed';
import FAILED from '@salesforce/label/c.FSE_Unsubscribe_Error';
import { format } from 'c/fsePortalUtils';

/**
 * The public page an e-mail's unsubscribe link opens (portal page "disiscrizione", ?t=<token>).
 * It reads what the link allows (FseUnsubscribeController.checkToken) and opts out only when the
 * professional confirms (a mail scanner that follows links must not unsubscribe anybody); the
 * opt-out is recorded on the consent model with its own CaptureSource (docs/campaigns.md).
 */
export default class FseUnsubscribe extends LightningElement {
    labels = { title: TITLE, confirm: CONFIRM, preferences: PREFERENCES };
    token;
    status;
    error;
    saving = false;
    loaded = false;

    @wire(CurrentPageReference)
    wiredPage(pageRef) {
        const token = pageRef && pageRef.state ? pageRef.state.t : undefined;
        if (token === this.token && this.loaded) {
            return;
        }
        this.token = token;
        this.load();
    }

    async load() {
        this.loaded = true;
        if (!this.token) {
            this.status = { state: 'invalid' };
            return;
        }
        try {
            this.status = await checkToken({ token: this.token });
            this.error = undefined;
        } catch (e) {
            this.error = e;
        }
    }

    get panelState() {
        if (this.error) {
            return 'error';
        }
        return this.status ? 'data' : 'loading';
    }
    get state() {
        return this.status ? this.status.state : undefined;
    }
    /** valid, or a confirmation the server could not write (state 'error'): ask (again) */
    get isValid() {
        return !this.error && (this.state === 'valid' || this.state === 'error');
    }
    /** the opt-out was tried and rolled back: nothing changed, the link still works */
    get isFailed() {
        return !this.error && this.state === 'error';
    }
    /** the campaign's purpose cannot be opted out of (DataUsePurpose.CanDataSubjectOptOut) */
    get isNotAllowed() {
        return !this.error && this.state === 'notAllowed';
    }
    get isDone() {
        return !this.error && this.state === 'done';
    }
    get isExpired() {
        return !this.error && this.state === 'expired';
    }
    get isInvalid() {
        return !this.error && this.state === 'invalid';
    }
    get questionText() {
        return format(QUESTION, this.status.purposeLabel, this.status.channelLabel);
    }
    get doneText() {
        return format(DONE, this.status.purposeLabel || '', this.status.channelLabel || '');
    }
    get expiredText() {
        return EXPIRED;
    }
    get invalidText() {
        return INVALID;
    }
    get notAllowedText() {
        return format(NOT_ALLOWED, this.status.purposeLabel || '');
    }
    get failedText() {
        return FAILED;
    }

    async handleConfirm() {
        this.saving = true;
        try {
            this.status = await unsubscribe({ token: this.token });
            this.error = undefined;
        } catch (e) {
            this.error = e;
        } finally {
            this.saving = false;
        }
        // the button is gone: focus the outcome, which screen readers then read
        await Promise.resolve();
        const outcome = this.template.querySelector('.fse-outcome');
        if (outcome) {
            outcome.focus();
        }
    }

    handleRetry() {
        this.error = undefined;
        this.status = undefined;
        return this.load();
    }
}
