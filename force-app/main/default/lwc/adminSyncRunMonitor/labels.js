// Custom Labels of the sync monitor and the small formatting helpers that use them.
import title from '@salesforce/label/c.FSE_SyncMonitor_Title';
import runsHeading from '@salesforce/label/c.FSE_SyncMonitor_RunsHeading';
import runsCaption from '@salesforce/label/c.FSE_SyncMonitor_RunsCaption';
import refresh from '@salesforce/label/c.FSE_SyncMonitor_Refresh';
import empty from '@salesforce/label/c.FSE_SyncMonitor_Empty';
import colRun from '@salesforce/label/c.FSE_SyncMonitor_ColRun';
import colStatus from '@salesforce/label/c.FSE_SyncMonitor_ColStatus';
import colMode from '@salesforce/label/c.FSE_SyncMonitor_ColMode';
import colStarted from '@salesforce/label/c.FSE_SyncMonitor_ColStarted';
import colDuration from '@salesforce/label/c.FSE_SyncMonitor_ColDuration';
import colWritten from '@salesforce/label/c.FSE_SyncMonitor_ColWritten';
import colUnchanged from '@salesforce/label/c.FSE_SyncMonitor_ColUnchanged';
import colRejected from '@salesforce/label/c.FSE_SyncMonitor_ColRejected';
import colFailed from '@salesforce/label/c.FSE_SyncMonitor_ColFailed';
import colApiCalls from '@salesforce/label/c.FSE_SyncMonitor_ColApiCalls';
import colActions from '@salesforce/label/c.FSE_SyncMonitor_ColActions';
import details from '@salesforce/label/c.FSE_SyncMonitor_Details';
import dryRun from '@salesforce/label/c.FSE_SyncMonitor_DryRun';
import durationFormat from '@salesforce/label/c.FSE_SyncMonitor_DurationFormat';
import detailHeading from '@salesforce/label/c.FSE_SyncMonitor_DetailHeading';
import live from '@salesforce/label/c.FSE_SyncMonitor_Live';
import heartbeat from '@salesforce/label/c.FSE_SyncMonitor_Heartbeat';
import source from '@salesforce/label/c.FSE_SyncMonitor_Source';
import takenOver from '@salesforce/label/c.FSE_SyncMonitor_TakenOver';
import entitiesCaption from '@salesforce/label/c.FSE_SyncMonitor_EntitiesCaption';
import colEntity from '@salesforce/label/c.FSE_SyncMonitor_ColEntity';
import colRead from '@salesforce/label/c.FSE_SyncMonitor_ColRead';
import colValid from '@salesforce/label/c.FSE_SyncMonitor_ColValid';
import colCreated from '@salesforce/label/c.FSE_SyncMonitor_ColCreated';
import colUpdated from '@salesforce/label/c.FSE_SyncMonitor_ColUpdated';
import colDeactivated from '@salesforce/label/c.FSE_SyncMonitor_ColDeactivated';
import rejectsCaption from '@salesforce/label/c.FSE_SyncMonitor_RejectsCaption';
import failuresCaption from '@salesforce/label/c.FSE_SyncMonitor_FailuresCaption';
import colKey from '@salesforce/label/c.FSE_SyncMonitor_ColKey';
import colReason from '@salesforce/label/c.FSE_SyncMonitor_ColReason';
import colErrorCode from '@salesforce/label/c.FSE_SyncMonitor_ColErrorCode';
import colMessage from '@salesforce/label/c.FSE_SyncMonitor_ColMessage';
import notListed from '@salesforce/label/c.FSE_SyncMonitor_NotListed';
import noIssues from '@salesforce/label/c.FSE_SyncMonitor_NoIssues';
import reportMissing from '@salesforce/label/c.FSE_SyncMonitor_ReportMissing';
import reportUnreadable from '@salesforce/label/c.FSE_SyncMonitor_ReportUnreadable';
import warnings from '@salesforce/label/c.FSE_SyncMonitor_Warnings';
import budgetHeading from '@salesforce/label/c.FSE_SyncMonitor_BudgetHeading';
import budgetText from '@salesforce/label/c.FSE_SyncMonitor_BudgetText';
import runNowHeading from '@salesforce/label/c.FSE_SyncMonitor_RunNowHeading';
import mode from '@salesforce/label/c.FSE_SyncMonitor_Mode';
import modeFull from '@salesforce/label/c.FSE_SyncMonitor_ModeFull';
import modeIncremental from '@salesforce/label/c.FSE_SyncMonitor_ModeIncremental';
import entities from '@salesforce/label/c.FSE_SyncMonitor_Entities';
import reconcile from '@salesforce/label/c.FSE_SyncMonitor_Reconcile';
import submit from '@salesforce/label/c.FSE_SyncMonitor_Submit';
import requestedTitle from '@salesforce/label/c.FSE_SyncMonitor_RequestedTitle';
import requested from '@salesforce/label/c.FSE_SyncMonitor_Requested';
import requestFailed from '@salesforce/label/c.FSE_SyncMonitor_RequestFailed';
import runningWarning from '@salesforce/label/c.FSE_SyncMonitor_RunningWarning';
import entityOrganizations from '@salesforce/label/c.FSE_SyncMonitor_EntityOrganizations';
import entityProfessionals from '@salesforce/label/c.FSE_SyncMonitor_EntityProfessionals';
import entityConsents from '@salesforce/label/c.FSE_SyncMonitor_EntityConsents';
import entityContent from '@salesforce/label/c.FSE_SyncMonitor_EntityContent';

export const LABELS = {
    title,
    runsHeading,
    runsCaption,
    refresh,
    empty,
    colRun,
    colStatus,
    colMode,
    colStarted,
    colDuration,
    colWritten,
    colUnchanged,
    colRejected,
    colFailed,
    colApiCalls,
    colActions,
    details,
    dryRun,
    durationFormat,
    detailHeading,
    live,
    heartbeat,
    source,
    takenOver,
    entitiesCaption,
    colEntity,
    colRead,
    colValid,
    colCreated,
    colUpdated,
    colDeactivated,
    rejectsCaption,
    failuresCaption,
    colKey,
    colReason,
    colErrorCode,
    colMessage,
    notListed,
    noIssues,
    reportMissing,
    reportUnreadable,
    warnings,
    budgetHeading,
    budgetText,
    runNowHeading,
    mode,
    modeFull,
    modeIncremental,
    entities,
    reconcile,
    submit,
    requestedTitle,
    requested,
    requestFailed,
    runningWarning,
    entityOrganizations,
    entityProfessionals,
    entityConsents,
    entityContent
};

const ENTITY_LABELS = {
    organizations: entityOrganizations,
    professionals: entityProfessionals,
    consents: entityConsents,
    content: entityContent
};

/** Entities the admin can request, in the worker's processing order. */
export const ENTITY_OPTIONS = Object.keys(ENTITY_LABELS).map((value) => ({
    label: ENTITY_LABELS[value],
    value
}));

/** Label of a report entity; unknown entities are shown by name. */
export function entityLabel(entity) {
    return ENTITY_LABELS[entity] || entity;
}

/** Replaces {0}, {1}... in a label with the given values. */
export function format(template, ...values) {
    return String(template || '').replace(/\{(\d+)\}/g, (match, index) => {
        const value = values[index];
        return value === undefined || value === null ? '' : String(value);
    });
}

/** "m min s s" from seconds; empty when unknown. */
export function formatDuration(seconds) {
    if (seconds === undefined || seconds === null || Number.isNaN(Number(seconds))) {
        return '';
    }
    const total = Math.max(0, Math.round(Number(seconds)));
    return format(durationFormat, Math.floor(total / 60), total % 60);
}
