// The SyncRun__c record of a run (force-app/main/default/objects/SyncRun__c), and the previous
// successful run's watermark for incremental runs.
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
    const o = r.entities.organizations;
    const p = r.entities.professionals;
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
        ...(o
            ? {
                  OrganizationsWritten__c: o.created + o.updated,
                  OrganizationsUnchanged__c: o.unchanged,
                  OrganizationsRejected__c: o.rejected,
                  OrganizationsFailed__c: o.failed
              }
            : {}),
        ...(p
            ? {
                  ProfessionalsCreated__c: p.created,
                  ProfessionalsUpdated__c: p.updated,
                  ProfessionalsUnchanged__c: p.unchanged,
                  ProfessionalsDeactivated__c: p.deactivated,
                  ProfessionalsRejected__c: p.rejected,
                  ProfessionalsFailed__c: p.failed
              }
            : {})
    };
}

/** One upsert by RunId__c (idempotent if retried). */
export async function writeSyncRun(client: SfClient, r: Report): Promise<void> {
    await client.json(
        'PATCH',
        `${client.dataPath}/sobjects/SyncRun__c/RunId__c/${encodeURIComponent(r.runId)}`,
        syncRunFields(r),
        {
            essential: true
        }
    );
}

/** Watermark of the latest successful, non-dry run (one REST query). */
export async function readPreviousWatermark(client: SfClient): Promise<string | null> {
    const soql =
        "SELECT SourceWatermark__c FROM SyncRun__c WHERE Status__c = 'Succeeded' AND DryRun__c = false AND SourceWatermark__c != null ORDER BY StartedAt__c DESC LIMIT 1";
    const res = await client.json<{ records?: Array<{ SourceWatermark__c?: string }> }>(
        'GET',
        `${client.dataPath}/query?q=${encodeURIComponent(soql)}`
    );
    return res?.records?.[0]?.SourceWatermark__c ?? null;
}
