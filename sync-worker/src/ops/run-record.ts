// The SyncRun__c record of a run (force-app/main/default/objects/SyncRun__c): its fields from
// the report (trimmed to fit Report__c), written once at the end by an upsert on RunId__c.
import type { Report } from '../pipeline/report.ts';
import type { SfClient } from '../salesforce/http.ts';

const REPORT_MAX = 131072; // Report__c is a LongTextArea(131072)

/** SyncRun__c.Status__c has Running/Succeeded/Partial/Failed: a budget stop is Partial. */
function statusValue(r: Report): string {
    return r.status === 'Stopped' ? 'Partial' : r.status;
}

export function reportForOrg(r: Report): string {
    let text = JSON.stringify(r);
    if (text.length <= REPORT_MAX) return text;
    const trimmed = { ...r, rejects: r.rejects.slice(0, 100), failures: r.failures.slice(0, 100) };
    trimmed.rejectsNotListed += r.rejects.length - trimmed.rejects.length;
    trimmed.failuresNotListed += r.failures.length - trimmed.failures.length;
    text = JSON.stringify(trimmed);
    if (text.length <= REPORT_MAX) return text;
    return JSON.stringify({
        ...r,
        rejects: [],
        failures: [],
        rejectsNotListed: r.rejects.length + r.rejectsNotListed,
        failuresNotListed: r.failures.length + r.failuresNotListed
    });
}

export function syncRunFields(r: Report): Record<string, unknown> {
    const organizations = r.entities.organizations;
    const professionals = r.entities.professionals;
    return {
        Status__c: statusValue(r),
        Mode__c: r.reconcile ? 'Reconcile' : r.mode === 'full' ? 'Full' : 'Incremental',
        DryRun__c: r.dryRun,
        StartedAt__c: r.startedAt,
        FinishedAt__c: r.finishedAt,
        ApiCallsUsed__c: r.apiCalls,
        SourceWatermark__c: r.watermark.current,
        Source__c: r.source.slice(0, 255),
        Entities__c: Object.keys(r.entities).join(','),
        Report__c: reportForOrg(r),
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

/** One upsert by RunId__c (idempotent if retried). */
export async function writeSyncRun(client: SfClient, r: Report): Promise<void> {
    await client.json('PATCH', syncRunPath(client, r.runId), syncRunFields(r), {
        essential: true
    });
}

/** The REST path of the SyncRun__c record of `runId` (upserts by RunId__c). */
export function syncRunPath(client: SfClient, runId: string): string {
    return `${client.dataPath}/sobjects/SyncRun__c/RunId__c/${encodeURIComponent(runId)}`;
}
