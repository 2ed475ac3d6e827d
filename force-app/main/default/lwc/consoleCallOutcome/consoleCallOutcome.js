import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import logCall from '@salesforce/apex/CallOutcomeController.logCall';
import { userMessage } from 'c/fseErrorUtils';
import TITLE from '@salesforce/label/c.FSE_Call_Title';
import OUTCOME from '@salesforce/label/c.FSE_Call_Outcome';
import REACHED from '@salesforce/label/c.FSE_Call_Reached';
import NO_ANSWER from '@salesforce/label/c.FSE_Call_NoAnswer';
import CALL_BACK from '@salesforce/label/c.FSE_Call_CallBack';
import NOTES from '@salesforce/label/c.FSE_Call_Notes';
import NEXT_DATE from '@salesforce/label/c.FSE_Call_NextStepDate';
import NEXT_SUBJECT from '@salesforce/label/c.FSE_Call_NextStepSubject';
import SUBMIT from '@salesforce/label/c.FSE_Call_Submit';
import LOGGED from '@salesforce/label/c.FSE_Call_Logged';
import CALL_BACK_DATE from '@salesforce/label/c.FSE_Console_Error_CallBackDate';
import ERROR from '@salesforce/label/c.FSE_Common_Error';
import REQUIRED from '@salesforce/label/c.FSE_Common_Required';

/** Logs an outbound call outcome and its next step as Tasks (CampaignMember or Contact page). */
export default class ConsoleCallOutcome extends LightningElement {
    @api recordId;

    labels = {
        title: TITLE,
        outcome: OUTCOME,
        notes: NOTES,
        nextDate: NEXT_DATE,
        nextSubject: NEXT_SUBJECT,
        submit: SUBMIT,
        required: REQUIRED
    };
    options = [
        { label: REACHED, value: 'Reached' },
        { label: NO_ANSWER, value: 'NoAnswer' },
        { label: CALL_BACK, value: 'CallBack' }
    ];
    outcome = 'Reached';
    notes = '';
    nextStepDate = null;
    nextStepSubject = '';
    saving = false;
    dateError;

    get isCallBack() {
        return this.outcome === 'CallBack';
    }
    get dateClass() {
        return this.dateError ? 'slds-form-element slds-has-error' : 'slds-form-element';
    }
    get dateInvalid() {
        return this.dateError ? 'true' : 'false';
    }

    handleOutcome(event) {
        this.outcome = event.detail.value;
    }
    handleNotes(event) {
        this.notes = event.detail.value;
    }
    handleDate(event) {
        this.nextStepDate = event.target.value || null;
        if (this.nextStepDate) {
            this.dateError = undefined;
        }
    }
    handleSubject(event) {
        this.nextStepSubject = event.detail.value;
    }

    async handleSubmit() {
        if (this.isCallBack && !this.nextStepDate) {
            this.dateError = CALL_BACK_DATE;
            this.template.querySelector('input[data-id="date"]').focus();
            return;
        }
        this.dateError = undefined;
        this.saving = true;
        try {
            await logCall({
                recordId: this.recordId,
                outcome: this.outcome,
                notes: this.notes,
                nextStepDate: this.nextStepDate || null,
                nextStepSubject: this.nextStepSubject
            });
            this.dispatchEvent(new ShowToastEvent({ title: LOGGED, variant: 'success' }));
            this.outcome = 'Reached';
            this.notes = '';
            this.nextStepDate = null;
            this.nextStepSubject = '';
            this.template.querySelector('lightning-radio-group').focus();
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR,
                    message: userMessage(e, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.saving = false;
        }
    }
}
