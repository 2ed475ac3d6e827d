import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getPreferences from '@salesforce/apex/FseConsentController.getPreferences';
import savePreference from '@salesforce/apex/FseConsentController.savePreference';
import { userMessage } from 'c/fseErrorUtils';
import { format, formatDate } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Consent_Title';
import INTRO from '@salesforce/label/c.FSE_Consent_Intro';
import EMPTY from '@salesforce/label/c.FSE_Consent_Empty';
import TOGGLE from '@salesforce/label/c.FSE_Consent_Toggle';
import ON from '@salesforce/label/c.FSE_Consent_On';
import OFF from '@salesforce/label/c.FSE_Consent_Off';
import SAVED from '@salesforce/label/c.FSE_Consent_Saved';
import LAST_CHANGE from '@salesforce/label/c.FSE_Consent_LastChange';
import REQUIRED from '@salesforce/label/c.FSE_Consent_Required';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';
import SOURCE_PORTAL from '@salesforce/label/c.FSE_Consent_SourcePortal';

/** Opt-in / opt-out per purpose and channel, written with the portal as capture source. */
export default class FseConsentPreferences extends LightningElement {
    labels = {
        title: TITLE,
        intro: INTRO,
        empty: EMPTY,
        on: ON,
        off: OFF,
        lastChange: LAST_CHANGE
    };
    rows;
    error;
    savingKey;
    announcement = '';

    connectedCallback() {
        this.load();
    }

    async load() {
        this.error = undefined;
        this.rows = undefined;
        try {
            this.rows = await getPreferences();
        } catch (error) {
            this.error = error;
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
    get purposes() {
        return this.rows.map((row) => ({
            ...row,
            lockedText: row.canOptOut ? '' : REQUIRED,
            cells: row.cells.map((cell) => ({
                ...cell,
                label: format(TOGGLE, row.purposeName, cell.channelName),
                purposeId: row.purposeId,
                // "Ultima modifica: 1 ott 2025 · Anagrafe regionale", built here because the
                // template compiler drops the spaces between a text and an element
                lastChangeText: cell.captureDate
                    ? [`${LAST_CHANGE} ${formatDate(cell.captureDate)}`, cell.captureSource]
                          .filter(Boolean)
                          .join(' · ')
                    : '',
                // a purpose that cannot be opted out of cannot be switched off once given; a switch
                // being saved stays enabled (disabling it would drop the keyboard focus)
                disabled: !row.canOptOut && cell.optedIn && this.savingKey !== cell.key
            }))
        }));
    }

    async handleToggle(event) {
        const input = event.target;
        const { key, purpose, channel } = input.dataset;
        const optIn = input.checked;
        if (this.savingKey) {
            // one change at a time: put this switch back until the previous one is saved
            input.checked = !optIn;
            return;
        }
        this.savingKey = key;
        try {
            const captureDate = await savePreference({
                purposeId: purpose,
                channelId: channel,
                optIn
            });
            this.updateCell(key, { optedIn: optIn, captureDate, captureSource: SOURCE_PORTAL });
            this.announcement = SAVED;
            this.dispatchEvent(new ShowToastEvent({ title: SAVED, variant: 'success' }));
        } catch (error) {
            // put the switch back where the server still has it
            input.checked = !optIn;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR_TITLE,
                    message: userMessage(error, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.savingKey = undefined;
        }
    }

    updateCell(key, changes) {
        this.rows = this.rows.map((row) => ({
            ...row,
            cells: row.cells.map((cell) => (cell.key === key ? { ...cell, ...changes } : cell))
        }));
    }

    handleRetry() {
        return this.load();
    }
}
