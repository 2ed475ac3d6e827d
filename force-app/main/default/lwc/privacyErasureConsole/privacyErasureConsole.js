import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getRequests from '@salesforce/apex/GdprErasureController.getRequests';
import getRequestDetail from '@salesforce/apex/GdprErasureController.getRequestDetail';
import getPreview from '@salesforce/apex/GdprErasureController.getPreview';
import getMinimisation from '@salesforce/apex/GdprErasureController.getMinimisation';
import approve from '@salesforce/apex/GdprErasureController.approve';
import reject from '@salesforce/apex/GdprErasureController.reject';
import retry from '@salesforce/apex/GdprErasureController.retry';
import { userMessage } from 'c/fseErrorUtils';
import { formatDate } from 'c/fsePortalUtils';
import LOCALE from '@salesforce/i18n/locale';

import TITLE from '@salesforce/label/c.FSE_Gdpr_ConsoleTitle';
import FILTER_LABEL from '@salesforce/label/c.FSE_Gdpr_FilterStatus';
import ALL from '@salesforce/label/c.FSE_Gdpr_StatusAll';
import STATUS_REQUESTED from '@salesforce/label/c.FSE_Gdpr_StatusRequested';
import STATUS_APPROVED from '@salesforce/label/c.FSE_Gdpr_StatusApproved';
import STATUS_REJECTED from '@salesforce/label/c.FSE_Gdpr_StatusRejected';
import STATUS_EXECUTED from '@salesforce/label/c.FSE_Gdpr_StatusExecuted';
import STATUS_FAILED from '@salesforce/label/c.FSE_Gdpr_StatusFailed';
import TYPE_ERASURE from '@salesforce/label/c.FSE_Gdpr_TypeErasure';
import TYPE_DATA_ACCESS from '@salesforce/label/c.FSE_Gdpr_TypeDataAccess';
import QUEUE_TITLE from '@salesforce/label/c.FSE_Gdpr_QueueTitle';
import QUEUE_EMPTY from '@salesforce/label/c.FSE_Gdpr_QueueEmpty';
import COL_REQUEST from '@salesforce/label/c.FSE_Gdpr_ColRequest';
import COL_SUBJECT from '@salesforce/label/c.FSE_Gdpr_ColSubject';
import COL_TYPE from '@salesforce/label/c.FSE_Gdpr_ColType';
import COL_STATUS from '@salesforce/label/c.FSE_Gdpr_ColStatus';
import COL_REQUESTED_AT from '@salesforce/label/c.FSE_Gdpr_ColRequestedAt';
import COL_OBJECT from '@salesforce/label/c.FSE_Gdpr_ColObject';
import COL_ACTION from '@salesforce/label/c.FSE_Gdpr_ColAction';
import COL_COUNT from '@salesforce/label/c.FSE_Gdpr_ColCount';
import OPEN from '@salesforce/label/c.FSE_Gdpr_Open';
import DETAIL_TITLE from '@salesforce/label/c.FSE_Gdpr_DetailTitle';
import PREVIEW from '@salesforce/label/c.FSE_Gdpr_Preview';
import PREVIEW_TITLE from '@salesforce/label/c.FSE_Gdpr_PreviewTitle';
import PREVIEW_EMPTY from '@salesforce/label/c.FSE_Gdpr_PreviewEmpty';
import REASON from '@salesforce/label/c.FSE_Gdpr_Reason';
import LEGAL_BASIS from '@salesforce/label/c.FSE_Gdpr_LegalBasis';
import APPROVE from '@salesforce/label/c.FSE_Gdpr_Approve';
import REJECT from '@salesforce/label/c.FSE_Gdpr_Reject';
import RETRY from '@salesforce/label/c.FSE_Gdpr_Retry';
import APPROVED_TOAST from '@salesforce/label/c.FSE_Gdpr_ApprovedToast';
import REJECTED_TOAST from '@salesforce/label/c.FSE_Gdpr_RejectedToast';
import RETRY_TOAST from '@salesforce/label/c.FSE_Gdpr_RetryToast';
import ACTION_FAILED from '@salesforce/label/c.FSE_Gdpr_ActionFailed';
import REJECT_NEEDS from '@salesforce/label/c.FSE_Gdpr_RejectNeedsReason';
import NO_PERMISSION from '@salesforce/label/c.FSE_Gdpr_ReadOnlyNotice';
import FAILURE_REASON from '@salesforce/label/c.FSE_Gdpr_FailureReasonLabel';
import DECISION from '@salesforce/label/c.FSE_Gdpr_DecisionLabel';
import AUDIT_TITLE from '@salesforce/label/c.FSE_Gdpr_AuditTitle';
import AUDIT_EMPTY from '@salesforce/label/c.FSE_Gdpr_AuditEmpty';
import AUDIT_SUMMARY from '@salesforce/label/c.FSE_Gdpr_AuditSummary';
import TOMBSTONE_YES from '@salesforce/label/c.FSE_Gdpr_TombstoneWritten';
import FILES_TITLE from '@salesforce/label/c.FSE_Gdpr_FilesTitle';
import DOWNLOAD from '@salesforce/label/c.FSE_Gdpr_Download';
import ACTION_ANONYMISED from '@salesforce/label/c.FSE_Gdpr_ActionAnonymised';
import ACTION_DELETED from '@salesforce/label/c.FSE_Gdpr_ActionDeleted';
import ACTION_UNCHANGED from '@salesforce/label/c.FSE_Gdpr_ActionUnchanged';
import ACTION_EXPORTED from '@salesforce/label/c.FSE_Gdpr_ActionExported';
import MIN_TITLE from '@salesforce/label/c.FSE_Gdpr_MinimisationTitle';
import MIN_SCHEDULED from '@salesforce/label/c.FSE_Gdpr_MinimisationScheduled';
import MIN_NOT_SCHEDULED from '@salesforce/label/c.FSE_Gdpr_MinimisationNotScheduled';
import MIN_EMPTY from '@salesforce/label/c.FSE_Gdpr_MinimisationEmpty';
import COL_RULE from '@salesforce/label/c.FSE_Gdpr_ColRule';
import COL_MATCHED from '@salesforce/label/c.FSE_Gdpr_ColMatched';
import COL_CHANGED from '@salesforce/label/c.FSE_Gdpr_ColChanged';
import COL_FAILED from '@salesforce/label/c.FSE_Gdpr_ColFailed';
import COL_RUN_AT from '@salesforce/label/c.FSE_Gdpr_ColRunAt';
import DRY_RUN from '@salesforce/label/c.FSE_Gdpr_DryRun';
import APPLIED from '@salesforce/label/c.FSE_Gdpr_Applied';
import RULE_ANONYMISE from '@salesforce/label/c.FSE_Gdpr_RuleAnonymiseSubject';
import RULE_CLEAR from '@salesforce/label/c.FSE_Gdpr_RuleClearFields';
import RULE_AGGREGATE from '@salesforce/label/c.FSE_Gdpr_RuleAggregateThenDelete';
import CRON_DAILY from '@salesforce/label/c.FSE_Gdpr_CronDaily';
import CRON_WEEKLY from '@salesforce/label/c.FSE_Gdpr_CronWeekly';
import CRON_MONTHLY from '@salesforce/label/c.FSE_Gdpr_CronMonthly';
import CRON_CUSTOM from '@salesforce/label/c.FSE_Gdpr_CronCustom';

const STATUS_LABELS = {
    Requested: STATUS_REQUESTED,
    Approved: STATUS_APPROVED,
    Rejected: STATUS_REJECTED,
    Executed: STATUS_EXECUTED,
    Failed: STATUS_FAILED
};
const TYPE_LABELS = { Erasure: TYPE_ERASURE, DataAccess: TYPE_DATA_ACCESS };
const RULE_LABELS = {
    AnonymiseSubject: RULE_ANONYMISE,
    ClearFields: RULE_CLEAR,
    AggregateThenDelete: RULE_AGGREGATE
};
const ACTION_LABELS = {
    anonymised: ACTION_ANONYMISED,
    deleted: ACTION_DELETED,
    unchanged: ACTION_UNCHANGED,
    exported: ACTION_EXPORTED
};

function format(template, ...values) {
    return values.reduce((text, value, i) => text.replace(`{${i}}`, value), template);
}

const CRON_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function weekdayName(day) {
    const index = /^\d$/.test(day) ? Number(day) - 1 : CRON_DAYS.indexOf(day.toUpperCase());
    if (index < 0 || index > 6) {
        return null;
    }
    // 2023-01-01 was a Sunday
    return new Intl.DateTimeFormat(LOCALE, { weekday: 'long', timeZone: 'UTC' }).format(
        new Date(Date.UTC(2023, 0, 1 + index))
    );
}

/**
 * A Salesforce cron expression (Seconds Minutes Hours Day_of_month Month Day_of_week
 * [Year], Apex Developer Guide, "Apex Scheduler") in words: daily, weekly on given days or
 * monthly on a day at a fixed time; any other schedule is shown as it is, said to be custom.
 */
function describeCron(expression) {
    const parts = String(expression || '')
        .trim()
        .split(/\s+/);
    if (parts.length < 6 || parts.length > 7) {
        return expression ? format(CRON_CUSTOM, expression) : '';
    }
    const [seconds, minutes, hours, dayOfMonth, month, dayOfWeek] = parts;
    const fixed = [seconds, minutes, hours].every((p) => /^\d{1,2}$/.test(p));
    const everyMonth = month === '*' && (parts.length === 6 || parts[6] === '*');
    if (!fixed || !everyMonth) {
        return format(CRON_CUSTOM, expression);
    }
    const time = `${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}`;
    const anyDay = (p) => p === '*' || p === '?';
    if (anyDay(dayOfMonth) && anyDay(dayOfWeek)) {
        return format(CRON_DAILY, time);
    }
    if (anyDay(dayOfMonth) && /^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$/.test(dayOfWeek)) {
        const days = dayOfWeek.split(',').map(weekdayName);
        if (days.every(Boolean)) {
            return format(CRON_WEEKLY, days.join(', '), time);
        }
    }
    if (/^\d{1,2}$/.test(dayOfMonth) && anyDay(dayOfWeek)) {
        return format(CRON_MONTHLY, dayOfMonth, time);
    }
    return format(CRON_CUSTOM, expression);
}

function countRows(counts, prefix) {
    return (counts || []).map((c, i) => ({
        key: `${prefix}-${i}`,
        objectName: c.objectName,
        actionLabel: ACTION_LABELS[c.action] || c.action,
        count: c.count
    }));
}

/**
 * Privacy officer's console: queue of privacy requests, preview of what the erasure policy will
 * touch, approve / reject (reason and legal basis) / retry, audit of each execution, download of
 * data-access exports, and the data minimisation schedule and runs.
 */
export default class PrivacyErasureConsole extends LightningElement {
    labels = {
        title: TITLE,
        filterLabel: FILTER_LABEL,
        queueTitle: QUEUE_TITLE,
        queueEmpty: QUEUE_EMPTY,
        colRequest: COL_REQUEST,
        colSubject: COL_SUBJECT,
        colType: COL_TYPE,
        colStatus: COL_STATUS,
        colRequestedAt: COL_REQUESTED_AT,
        colObject: COL_OBJECT,
        colAction: COL_ACTION,
        colCount: COL_COUNT,
        detailTitle: DETAIL_TITLE,
        preview: PREVIEW,
        previewTitle: PREVIEW_TITLE,
        previewEmpty: PREVIEW_EMPTY,
        reason: REASON,
        legalBasis: LEGAL_BASIS,
        approve: APPROVE,
        reject: REJECT,
        retry: RETRY,
        noPermission: NO_PERMISSION,
        failureReason: FAILURE_REASON,
        decision: DECISION,
        auditTitle: AUDIT_TITLE,
        auditEmpty: AUDIT_EMPTY,
        filesTitle: FILES_TITLE,
        minTitle: MIN_TITLE,
        minNotScheduled: MIN_NOT_SCHEDULED,
        minEmpty: MIN_EMPTY,
        colRule: COL_RULE,
        colMatched: COL_MATCHED,
        colChanged: COL_CHANGED,
        colFailed: COL_FAILED,
        colRunAt: COL_RUN_AT
    };

    statusFilter = 'Requested';
    selectedId;
    reason = '';
    legalBasis = '';
    previewRows;
    previewError;
    previewLoading = false;
    busy = false;
    actionError;
    announcement = '';

    requestsResult;
    detailResult;
    minimisationResult;

    @wire(getRequests, { status: '$statusFilter' })
    wiredRequests(result) {
        this.requestsResult = result;
    }

    @wire(getRequestDetail, { requestId: '$selectedId' })
    wiredDetail(result) {
        this.detailResult = result;
    }

    @wire(getMinimisation)
    wiredMinimisation(result) {
        this.minimisationResult = result;
    }

    get statusOptions() {
        return [
            { label: ALL, value: '' },
            ...Object.keys(STATUS_LABELS).map((value) => ({ label: STATUS_LABELS[value], value }))
        ];
    }

    // ----- queue -----
    get queueState() {
        const r = this.requestsResult;
        if (!r || (!r.data && !r.error)) return 'loading';
        if (r.error) return 'error';
        return r.data.length ? null : 'empty';
    }
    get queueError() {
        return this.requestsResult && this.requestsResult.error;
    }
    get hasQueue() {
        return this.queueState === null;
    }
    get queueRows() {
        return (this.requestsResult.data || []).map((r) => ({
            ...r,
            typeLabel: TYPE_LABELS[r.requestType] || r.requestType,
            statusLabel: STATUS_LABELS[r.status] || r.status,
            openLabel: format(OPEN, r.name),
            rowClass: r.id === this.selectedId ? 'slds-is-selected' : ''
        }));
    }

    // ----- detail -----
    get hasSelection() {
        return !!this.selectedId;
    }
    get detailState() {
        const r = this.detailResult;
        if (!r || (!r.data && !r.error)) return 'loading';
        if (r.error) return 'error';
        return r.data.request ? null : 'empty';
    }
    get detailError() {
        return this.detailResult && this.detailResult.error;
    }
    get detail() {
        return this.detailState === null ? this.detailResult.data : null;
    }
    get request() {
        const d = this.detail;
        if (!d) return null;
        return {
            ...d.request,
            typeLabel: TYPE_LABELS[d.request.requestType] || d.request.requestType,
            statusLabel: STATUS_LABELS[d.request.status] || d.request.status
        };
    }
    get detailHeading() {
        return this.request ? format(DETAIL_TITLE, this.request.name) : DETAIL_TITLE;
    }
    get canDecide() {
        return !!(this.detail && this.detail.canDecide);
    }
    get showReadOnlyNotice() {
        return !!this.detail && !this.detail.canDecide;
    }
    get isPending() {
        return this.canDecide && this.request.status === 'Requested';
    }
    get isFailed() {
        return this.request && this.request.status === 'Failed';
    }
    get canRetry() {
        return this.canDecide && this.isFailed;
    }
    get hasDecision() {
        return !!(this.request && (this.request.decisionReason || this.request.legalBasis));
    }
    get actionsDisabled() {
        return this.busy;
    }
    get previewState() {
        if (this.previewLoading) return 'loading';
        if (this.previewError) return 'error';
        if (this.previewRows && this.previewRows.length === 0) return 'empty';
        return null;
    }
    get hasPreview() {
        return !!(this.previewRows && this.previewRows.length);
    }
    get audits() {
        return ((this.detail && this.detail.audits) || []).map((a) => ({
            ...a,
            summary: format(
                AUDIT_SUMMARY,
                a.name,
                TYPE_LABELS[a.auditType] || a.auditType,
                STATUS_LABELS[a.outcome] || a.outcome,
                a.policyVersion || ''
            ),
            tombstoneLabel: a.tombstoneWritten ? TOMBSTONE_YES : null,
            rows: countRows(a.counts, a.id)
        }));
    }
    get hasAudits() {
        return this.audits.length > 0;
    }
    get files() {
        return ((this.detail && this.detail.files) || []).map((f) => ({
            ...f,
            linkLabel: format(DOWNLOAD, f.title)
        }));
    }
    get hasFiles() {
        return this.files.length > 0;
    }

    // ----- minimisation -----
    get minimisationState() {
        const r = this.minimisationResult;
        if (!r || (!r.data && !r.error)) return 'loading';
        if (r.error) return 'error';
        return null;
    }
    get minimisationError() {
        return this.minimisationResult && this.minimisationResult.error;
    }
    get minimisation() {
        return this.minimisationState === null ? this.minimisationResult.data : null;
    }
    get scheduleText() {
        const m = this.minimisation;
        return m.scheduled
            ? format(
                  MIN_SCHEDULED,
                  formatDate(m.nextRunAt, 'longDateTime'),
                  describeCron(m.cronExpression)
              )
            : MIN_NOT_SCHEDULED;
    }
    get minimisationRuns() {
        return (this.minimisation.runs || []).map((r) => ({
            ...r,
            actionLabel: RULE_LABELS[r.action] || r.action,
            modeLabel: r.dryRun ? DRY_RUN : APPLIED,
            actionText: `${RULE_LABELS[r.action] || r.action} (${r.dryRun ? DRY_RUN : APPLIED})`
        }));
    }
    get hasMinimisationRuns() {
        return this.minimisationRuns.length > 0;
    }

    // ----- handlers -----
    handleFilterChange(event) {
        this.statusFilter = event.detail.value;
    }

    handleOpen(event) {
        this.selectedId = event.currentTarget.dataset.id;
        this.resetDecision();
        // Move focus to the detail heading once it renders, for keyboard and screen-reader users.
        Promise.resolve().then(() => this.focusDetail());
    }

    handleReasonChange(event) {
        this.reason = event.target.value;
    }

    handleLegalBasisChange(event) {
        this.legalBasis = event.target.value;
    }

    async handlePreview() {
        this.previewLoading = true;
        this.previewError = undefined;
        try {
            const rows = await getPreview({ requestId: this.selectedId });
            this.previewRows = countRows(rows, 'preview');
            this.announcement = PREVIEW_TITLE;
        } catch (error) {
            this.previewError = error;
            this.previewRows = undefined;
        } finally {
            this.previewLoading = false;
        }
    }

    handleApprove() {
        return this.runAction(
            () =>
                approve({
                    requestId: this.selectedId,
                    reason: this.reason,
                    legalBasis: this.legalBasis
                }),
            APPROVED_TOAST
        );
    }

    handleReject() {
        if (!this.reason.trim() || !this.legalBasis.trim()) {
            this.actionError = REJECT_NEEDS;
            this.announcement = REJECT_NEEDS;
            return Promise.resolve();
        }
        return this.runAction(
            () =>
                reject({
                    requestId: this.selectedId,
                    reason: this.reason,
                    legalBasis: this.legalBasis
                }),
            REJECTED_TOAST
        );
    }

    handleRetry() {
        return this.runAction(() => retry({ requestId: this.selectedId }), RETRY_TOAST);
    }

    handleQueueRetry() {
        return refreshApex(this.requestsResult);
    }

    handleDetailRetry() {
        return refreshApex(this.detailResult);
    }

    handleMinimisationRetry() {
        return refreshApex(this.minimisationResult);
    }

    async runAction(call, successMessage) {
        this.busy = true;
        this.actionError = undefined;
        try {
            await call();
            this.dispatchEvent(
                new ShowToastEvent({ title: successMessage, message: '', variant: 'success' })
            );
            this.announcement = successMessage;
            this.resetDecision();
            await Promise.all([refreshApex(this.requestsResult), refreshApex(this.detailResult)]);
            this.focusDetail();
        } catch (error) {
            const message = userMessage(error, ACTION_FAILED);
            this.actionError = message;
            this.dispatchEvent(
                new ShowToastEvent({ title: ACTION_FAILED, message, variant: 'error' })
            );
        } finally {
            this.busy = false;
        }
    }

    resetDecision() {
        this.reason = '';
        this.legalBasis = '';
        this.previewRows = undefined;
        this.previewError = undefined;
        this.actionError = undefined;
    }

    focusDetail() {
        const heading = this.template.querySelector('.fse-detail-heading');
        if (heading) heading.focus();
    }
}
