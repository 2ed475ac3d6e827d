import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getMonitorData from '@salesforce/apex/SyncRunMonitorController.getMonitorData';
import getRunDetail from '@salesforce/apex/SyncRunMonitorController.getRunDetail';
import requestRun from '@salesforce/apex/SyncRunMonitorController.requestRun';
import { userMessage } from 'c/fseErrorUtils';
import { LABELS, ENTITY_OPTIONS, entityLabel, formatDuration, format } from './labels';

const DEFAULT_ENTITIES = ['organizations', 'professionals'];

/**
 * Admin sync monitor (issue 9): recent SyncRun__c runs, the selected run's report (counts per
 * entity, rejects and failures with masked keys), today's API budget, and "Run now", which asks
 * the sync worker for a run through SyncRequest__e. While a run is in progress the data are
 * refreshed every pollSeconds with refreshApex (cacheable wires), and polling stops when the run
 * ends or the component is removed.
 */
export default class AdminSyncRunMonitor extends LightningElement {
    /** How many recent runs to list. */
    @api maxRuns = 20;
    /** Refresh interval while a run is in progress, in seconds. */
    @api pollSeconds = 10;

    labels = LABELS;

    monitor;
    monitorError;
    monitorLoaded = false;
    wiredMonitorResult;

    selectedRunId;
    detail;
    detailError;
    wiredDetailResult;

    mode = 'Incremental';
    entities = [...DEFAULT_ENTITIES];
    reconcile = false;
    submitting = false;
    requestMessage = '';
    requestError;

    pollTimer;

    @wire(getMonitorData, { maxRuns: '$maxRuns' })
    wiredMonitor(result) {
        this.wiredMonitorResult = result;
        if (result.data) {
            this.monitor = result.data;
            this.monitorError = undefined;
            this.monitorLoaded = true;
            const runs = result.data.runs || [];
            if (!runs.some((run) => run.id === this.selectedRunId)) {
                this.selectedRunId = runs.length ? runs[0].id : undefined;
            }
        } else if (result.error) {
            this.monitor = undefined;
            this.monitorError = result.error;
            this.monitorLoaded = true;
        }
        this.updatePolling();
    }

    @wire(getRunDetail, { runId: '$selectedRunId' })
    wiredDetail(result) {
        this.wiredDetailResult = result;
        if (result.data) {
            this.detail = result.data;
            this.detailError = undefined;
        } else if (result.error) {
            this.detail = undefined;
            this.detailError = result.error;
        }
    }

    disconnectedCallback() {
        this.stopPolling();
    }

    // ---- polling (live view of a running run) ----

    updatePolling() {
        if (this.monitor && this.monitor.hasRunning) {
            if (!this.pollTimer) {
                const seconds = Math.max(5, Number(this.pollSeconds) || 10);
                // eslint-disable-next-line @lwc/lwc/no-async-operation
                this.pollTimer = setInterval(() => this.refresh(), seconds * 1000);
            }
        } else {
            this.stopPolling();
        }
    }

    stopPolling() {
        if (this.pollTimer) {
            clearInterval(this.pollTimer);
            this.pollTimer = undefined;
        }
    }

    refresh() {
        const pending = [];
        if (this.wiredMonitorResult) {
            pending.push(refreshApex(this.wiredMonitorResult));
        }
        if (this.wiredDetailResult && this.selectedRunId) {
            pending.push(refreshApex(this.wiredDetailResult));
        }
        return Promise.all(pending);
    }

    // ---- view state ----

    get isLoading() {
        return !this.monitorLoaded;
    }
    get hasError() {
        return !!this.monitorError;
    }
    get runs() {
        const runs = (this.monitor && this.monitor.runs) || [];
        return runs.map((run) => ({
            ...run,
            duration: formatDuration(run.durationSeconds),
            isSelected: run.id === this.selectedRunId,
            ariaCurrent: run.id === this.selectedRunId ? 'true' : 'false',
            rowClass: run.id === this.selectedRunId ? 'slds-is-selected' : '',
            badgeClass: badgeClass(run.status)
        }));
    }
    get isEmpty() {
        return !!this.monitor && this.runs.length === 0;
    }
    get hasRuns() {
        return this.runs.length > 0;
    }
    get hasRunning() {
        return !!(this.monitor && this.monitor.hasRunning);
    }

    get budget() {
        return this.monitor && this.monitor.apiBudget;
    }
    get budgetText() {
        const b = this.budget;
        return b ? format(LABELS.budgetText, b.used, b.max, b.percentUsed) : '';
    }
    get budgetPercent() {
        const b = this.budget;
        return b ? Math.min(100, Math.max(0, Number(b.percentUsed) || 0)) : 0;
    }
    get budgetBarStyle() {
        return `width: ${this.budgetPercent}%`;
    }
    get budgetBarClass() {
        return this.budgetPercent >= 80
            ? 'slds-progress-bar__value fse-budget_high'
            : 'slds-progress-bar__value';
    }

    // ---- selected run ----

    get selectedRun() {
        return this.detail && this.detail.run;
    }
    get detailHeading() {
        return this.selectedRun ? format(LABELS.detailHeading, this.selectedRun.name) : '';
    }
    get selectedIsRunning() {
        return !!(this.selectedRun && this.selectedRun.isRunning);
    }
    get liveText() {
        return format(LABELS.live, Math.max(5, Number(this.pollSeconds) || 10));
    }
    get takenOverText() {
        const run = this.selectedRun;
        return run && run.takenOverFrom ? format(LABELS.takenOver, run.takenOverFrom) : '';
    }
    get report() {
        return this.detail && this.detail.report;
    }
    get reportAvailable() {
        return !!(this.report && this.report.available);
    }
    get reportUnreadable() {
        return !!(this.report && this.report.unreadable);
    }
    get reportMissing() {
        return !!this.detail && !this.reportAvailable && !this.reportUnreadable;
    }
    get entityRows() {
        return ((this.report && this.report.entities) || []).map((row) => ({
            ...row,
            label: entityLabel(row.entity)
        }));
    }
    get rejects() {
        return this.issueRows(this.report && this.report.rejects);
    }
    get failures() {
        return this.issueRows(this.report && this.report.failures);
    }
    get hasRejects() {
        return this.rejects.length > 0;
    }
    get hasFailures() {
        return this.failures.length > 0;
    }
    get noIssues() {
        return this.reportAvailable && !this.hasRejects && !this.hasFailures;
    }
    get rejectsNotListedText() {
        const n = this.report && this.report.rejectsNotListed;
        return n ? format(LABELS.notListed, n) : '';
    }
    get failuresNotListedText() {
        const n = this.report && this.report.failuresNotListed;
        return n ? format(LABELS.notListed, n) : '';
    }
    get warnings() {
        return ((this.report && this.report.warnings) || []).map((text, index) => ({
            key: `w${index}`,
            text
        }));
    }
    get hasWarnings() {
        return this.warnings.length > 0;
    }

    issueRows(list) {
        return (list || []).map((issue) => ({ ...issue, entityLabel: entityLabel(issue.entity) }));
    }

    // ---- run now ----

    get modeOptions() {
        return [
            { label: LABELS.modeIncremental, value: 'Incremental' },
            { label: LABELS.modeFull, value: 'Full' }
        ];
    }
    get entityOptions() {
        return ENTITY_OPTIONS;
    }
    get submitDisabled() {
        return this.submitting || this.entities.length === 0;
    }
    get requestErrorText() {
        return this.requestError ? userMessage(this.requestError, LABELS.requestFailed) : '';
    }

    handleModeChange(event) {
        this.mode = event.detail.value;
    }
    handleEntitiesChange(event) {
        this.entities = [...event.detail.value];
    }
    handleReconcileChange(event) {
        this.reconcile = event.target.checked;
    }

    async handleRunNow() {
        if (this.submitDisabled) {
            return;
        }
        this.submitting = true;
        this.requestMessage = '';
        this.requestError = undefined;
        try {
            await requestRun({
                mode: this.mode,
                entities: [...this.entities],
                reconcile: this.reconcile
            });
            this.requestMessage = LABELS.requested;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: LABELS.requestedTitle,
                    message: LABELS.requested,
                    variant: 'success'
                })
            );
            await this.refresh();
        } catch (error) {
            this.requestError = error;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: LABELS.requestFailed,
                    message: userMessage(error, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.submitting = false;
        }
    }

    handleSelectRun(event) {
        this.selectedRunId = event.currentTarget.dataset.id;
        // move focus to the detail heading so keyboard and screen-reader users land on it
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        requestAnimationFrame(() => {
            const heading = this.template.querySelector('[data-id="detail-heading"]');
            if (heading) {
                heading.focus();
            }
        });
    }

    handleRefresh() {
        return this.refresh();
    }
}

function badgeClass(status) {
    switch (status) {
        case 'Succeeded':
            return 'slds-badge slds-theme_success';
        case 'Partial':
            return 'slds-badge slds-theme_warning';
        case 'Failed':
            return 'slds-badge slds-theme_error';
        default:
            return 'slds-badge slds-badge_inverse';
    }
}
