import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getProgress from '@salesforce/apex/CampaignSendController.getProgress';
import requestSend from '@salesforce/apex/CampaignSendController.requestSend';
import TITLE from '@salesforce/label/c.FSE_CampaignSend_Title';
import NEVER_SENT from '@salesforce/label/c.FSE_CampaignSend_NeverSent';
import STATUS_LINE from '@salesforce/label/c.FSE_CampaignSend_StatusLine';
import PROGRESS from '@salesforce/label/c.FSE_CampaignSend_Progress';
import SENT from '@salesforce/label/c.FSE_CampaignSend_Sent';
import SKIPPED from '@salesforce/label/c.FSE_CampaignSend_Skipped';
import FAILED from '@salesforce/label/c.FSE_CampaignSend_Failed';
import BOUNCED from '@salesforce/label/c.FSE_CampaignSend_Bounced';
import UNKNOWN from '@salesforce/label/c.FSE_CampaignSend_Unknown';
import PENDING from '@salesforce/label/c.FSE_CampaignSend_Pending';
import TOTAL from '@salesforce/label/c.FSE_CampaignSend_Total';
import SEND_NOW from '@salesforce/label/c.FSE_CampaignSend_SendNow';
import DRY_RUN from '@salesforce/label/c.FSE_CampaignSend_DryRun';
import REQUESTED from '@salesforce/label/c.FSE_CampaignSend_Requested';
import CANNOT_SEND from '@salesforce/label/c.FSE_CampaignSend_CannotSend';
import { userMessage } from 'c/fseErrorUtils';
import { format, formatDate, formatNumber } from 'c/fsePortalUtils';

/**
 * The Campaign page's send panel: how far the worker's send is (counts the worker writes on the
 * Campaign: sent, skipped by reason, failed, bounced, unknown, still to send), refreshed while a
 * send runs, and "Invia ora" / a dry run, which ask the scheduled worker through
 * CampaignSendRequest__e (docs/campaigns.md).
 */
export default class ConsoleCampaignProgress extends LightningElement {
    @api recordId;
    /** refresh while a send runs (seconds; 0 = never) */
    @api pollSeconds = 15;

    labels = { title: TITLE, sendNow: SEND_NOW, dryRun: DRY_RUN, cannotSend: CANNOT_SEND };
    progress;
    error;
    requesting = false;
    timer;

    connectedCallback() {
        this.load();
    }

    disconnectedCallback() {
        this.stopPolling();
    }

    async load() {
        try {
            this.progress = await getProgress({ campaignId: this.recordId });
            this.error = undefined;
        } catch (e) {
            this.error = e;
            this.progress = undefined;
        }
        this.schedule();
    }

    schedule() {
        this.stopPolling();
        if (this.progress && this.progress.isRunning && this.pollSeconds > 0) {
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            this.timer = setTimeout(() => this.load(), this.pollSeconds * 1000);
        }
    }

    stopPolling() {
        if (this.timer) {
            clearTimeout(this.timer);
            this.timer = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.progress) {
            return 'loading';
        }
        return this.progress.status || this.progress.total ? 'data' : 'empty';
    }
    get hasData() {
        return this.state === 'data';
    }
    get showActions() {
        return this.state === 'data' || this.state === 'empty';
    }
    get emptyMessage() {
        return NEVER_SENT;
    }
    get statusText() {
        const p = this.progress;
        return format(STATUS_LINE, p.statusLabel || '', formatDate(p.lastSendAt, 'shortDateTime'));
    }
    get percentText() {
        const p = this.progress;
        return format(PROGRESS, formatNumber(p.total - p.pending, 0), formatNumber(p.total, 0));
    }
    get barStyle() {
        return `width: ${Math.max(0, Math.min(100, this.progress.percentDone || 0))}%`;
    }
    get counts() {
        const p = this.progress;
        return [
            { key: 'sent', label: SENT, value: p.sent },
            { key: 'skipped', label: SKIPPED, value: p.skipped },
            { key: 'failed', label: FAILED, value: p.failed },
            { key: 'bounced', label: BOUNCED, value: p.bounced },
            { key: 'unknown', label: UNKNOWN, value: p.unknown },
            { key: 'pending', label: PENDING, value: p.pending },
            { key: 'total', label: TOTAL, value: p.total }
        ].map((c) => ({
            ...c,
            text: formatNumber(c.value, 0),
            className: `slds-text-heading_small fse-count-${c.key}`
        }));
    }
    get sendDisabled() {
        return this.requesting || !this.progress || !this.progress.canSend;
    }
    get showCannotSend() {
        return this.progress && !this.progress.canSend && !this.progress.isRunning;
    }

    handleSend() {
        return this.request(false);
    }

    handleDryRun() {
        return this.request(true);
    }

    async request(dryRun) {
        this.requesting = true;
        try {
            await requestSend({ campaignId: this.recordId, dryRun });
            this.dispatchEvent(
                new ShowToastEvent({ title: REQUESTED, message: '', variant: 'success' })
            );
            await this.load();
            // the buttons are disabled while the send runs: keep focus on the panel, not <body>
            if (this.sendDisabled) {
                this.template.querySelector('.fse-title').focus();
            }
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({ title: userMessage(e, TITLE), message: '', variant: 'error' })
            );
        } finally {
            this.requesting = false;
        }
    }

    handleRetry() {
        this.error = undefined;
        return this.load();
    }
}
