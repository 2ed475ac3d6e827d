// The registry watermark: incremental runs process what changed after the last successful
// run's watermark (SyncRun__c.SourceWatermark__c); a run moves it only when it succeeded.
// Issue 14's per-entity watermark belongs here.
import type { SfClient } from '../salesforce/http.ts';
import { queryFirstPage } from '../salesforce/query.ts';
import type { Report } from './report.ts';

/** Watermark of the latest successful, non-dry run (one REST query). */
export async function readPreviousWatermark(client: SfClient): Promise<string | null> {
    const soql =
        "SELECT SourceWatermark__c FROM SyncRun__c WHERE Status__c = 'Succeeded' AND DryRun__c = false AND SourceWatermark__c != null ORDER BY StartedAt__c DESC LIMIT 1";
    const page = await queryFirstPage<{ SourceWatermark__c?: string }>(client, soql);
    return page.records[0]?.SourceWatermark__c ?? null;
}

/** The watermark a run leaves: the latest updatedAt it loaded, only when everything made it. */
export function nextWatermark(report: Report, maxUpdated: string): string | null {
    const previous = report.watermark.previous;
    if (report.status !== 'Succeeded') return previous;
    return maxUpdated > (previous ?? '') ? maxUpdated : previous;
}
