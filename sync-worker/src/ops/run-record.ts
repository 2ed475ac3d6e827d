// The SyncRun__c record of a run (force-app/main/default/objects/SyncRun__c): its fields from
// the report (trimmed to fit Report__c), written at the end by an upsert on RunId__c; the ids of
// its Bulk jobs as they are created (BulkJobs__c) and its per-entity watermarks
// (EntityWatermarks__c).
import type { Report } from '../pipeline/report.ts';
import type { SfClient } from '../salesforce/http.ts';

const REPORT_MAX = 131072; // Report__c is a LongTextArea(131072)

/** SyncRun__c.Status__c has Running/Succeeded/Partial/Failed: a budget stop is Partial. */
function statusValue(report: Report): string {
    return report.status === 'Stopped' ? 'Partial' : report.status;
}

export function reportForOrg(report: Report): string {
    let text = JSON.stringify(report);
    if (text.length <= REPORT_MAX) return text;
    const trimmed = {
        ...report,
        rejects: report.rejects.slice(0, 100),
        failures: report.failures.slice(0, 100),
        // the largest groups and the most frequent unknown codes come first
        rejectGroups: report.rejectGroups.slice(0, 50),
        unknownCodes: report.unknownCodes.slice(0, 50)
    };
    trimmed.rejectsNotListed += report.rejects.length - trimmed.rejects.length;
    trimmed.failuresNotListed += report.failures.length - trimmed.failures.length;
    text = JSON.stringify(trimmed);
    if (text.length <= REPORT_MAX) return text;
    return JSON.stringify({
        ...report,
        rejects: [],
        failures: [],
        rejectGroups: report.rejectGroups.slice(0, 10),
        unknownCodes: report.unknownCodes.slice(0, 10),
        rejectsNotListed: report.rejects.length + report.rejectsNotListed,
        failuresNotListed: report.failures.length + report.failuresNotListed
    });
}

export function syncRunFields(report: Report): Record<string, unknown> {
    const organizations = report.entities.organizations;
    const professionals = report.entities.professionals;
    return {
        Status__c: statusValue(report),
        Mode__c: report.reconcile ? 'Reconcile' : report.mode === 'full' ? 'Full' : 'Incremental',
        DryRun__c: report.dryRun,
        StartedAt__c: report.startedAt,
        FinishedAt__c: report.finishedAt,
        ApiCallsUsed__c: report.apiCalls,
        SourceWatermark__c: report.watermark.current,
        EntityWatermarks__c: entityWatermarks(report),
        BulkJobs__c: report.bulkJobs.join(',') || null,
        Source__c: report.source.slice(0, 255),
        Entities__c: Object.keys(report.entities).join(','),
        Report__c: reportForOrg(report),
        ...(organizations
            ? {
                  OrganizationsWritten__c: organizations.created + organizations.updated,
                  OrganizationsUnchanged__c: organizations.unchanged,
                  OrganizationsRejected__c: organizations.rejected,
                  OrganizationsFailed__c: organizations.failed
              }
            : {}),
        ...(professionals
            ? {
                  ProfessionalsCreated__c: professionals.created,
                  ProfessionalsUpdated__c: professionals.updated,
                  ProfessionalsUnchanged__c: professionals.unchanged,
                  ProfessionalsDeactivated__c: professionals.deactivated,
                  ProfessionalsRejected__c: professionals.rejected,
                  ProfessionalsFailed__c: professionals.failed
              }
            : {})
    };
}

/** The watermarks the run leaves (every entity with one, carried forward or advanced). */
function entityWatermarks(report: Report): string | null {
    const out: Record<string, string> = {};
    for (const [entity, w] of Object.entries(report.watermarks).sort())
        if (w.current) out[entity] = w.current;
    return Object.keys(out).length ? JSON.stringify(out) : null;
}

/** One upsert by RunId__c (idempotent if retried). */
export async function writeSyncRun(client: SfClient, report: Report): Promise<void> {
    await client.json('PATCH', syncRunPath(client, report.runId), syncRunFields(report), {
        essential: true,
        idempotent: true
    });
}

/** Records the run's Bulk job ids on its SyncRun__c (an upsert by RunId__c: safe to repeat). */
export async function recordBulkJobs(
    client: SfClient,
    runId: string,
    ids: readonly string[]
): Promise<void> {
    await client.json(
        'PATCH',
        syncRunPath(client, runId),
        { BulkJobs__c: ids.join(',') },
        { idempotent: true }
    );
}

/** The REST path of the SyncRun__c record of `runId` (upserts by RunId__c). */
export function syncRunPath(client: SfClient, runId: string): string {
    return `${client.dataPath}/sobjects/SyncRun__c/RunId__c/${encodeURIComponent(runId)}`;
}
