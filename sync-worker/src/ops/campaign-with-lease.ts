// A campaign send as an operation (`fse-sync campaign send`, the scheduler's campaign jobs and
// CampaignSendRequest__e): the campaign and its templates checked first (exit 2 before anything
// is written), then the run under the same single-flight lease as the syncs — entity
// `campaign:<Campaign Id>`, so two sends of one campaign never run at once while syncs and other
// campaigns go on — and its SyncRun__c record (Mode Campaign, the report in Report__c), which
// adminSyncRunMonitor lists with the syncs.
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../config/errors.ts';
import type { SyncConfig } from '../config/schema.ts';
import { prepareCampaign } from '../campaigns/prepare.ts';
import type { CampaignReport } from '../campaigns/report.ts';
import { runCampaignSend, type SendOptions } from '../campaigns/send.ts';
import type { SfClient } from '../salesforce/http.ts';
import { Lease } from './lease.ts';
import { syncRunPath } from './run-record.ts';

export interface CampaignRunOptions extends Omit<SendOptions, 'prepared' | 'runId'> {
    client: SfClient;
    config: SyncConfig;
    /** campaign Id or name */
    campaign: string;
    channel?: string;
    runId?: string;
}

const REPORT_MAX = 131072;

function reportText(report: CampaignReport): string {
    const text = JSON.stringify(report);
    if (text.length <= REPORT_MAX) return text;
    return JSON.stringify({
        ...report,
        warnings: report.warnings.slice(0, 20),
        skipGroups: report.skipGroups,
        failureGroups: report.failureGroups.slice(0, 50)
    }).slice(0, REPORT_MAX);
}

/** The run's SyncRun__c, closed with its outcome (an upsert by RunId__c: safe to repeat). */
async function recordRun(client: SfClient, report: CampaignReport): Promise<void> {
    await client.json(
        'PATCH',
        syncRunPath(client, report.runId),
        {
            Status__c: report.status === 'Succeeded' ? 'Succeeded' : 'Partial',
            Mode__c: 'Campaign',
            DryRun__c: false,
            StartedAt__c: report.startedAt,
            FinishedAt__c: report.finishedAt,
            ApiCallsUsed__c: report.apiCalls,
            Entities__c: `campaign:${report.campaign.id}`,
            Source__c: `campaign ${report.campaign.name} (${report.channel})`.slice(0, 255),
            Report__c: reportText(report)
        },
        { essential: true, idempotent: true }
    );
}

export async function runCampaignWithLease(o: CampaignRunOptions): Promise<CampaignReport> {
    const { config } = o;
    const prepared = await prepareCampaign(o.client, config, o.campaign, o.channel);
    const runId = o.runId ?? randomUUID();
    const base = { ...o, prepared, runId };
    if (o.dryRun || !config.lease || !config.writeSyncRun) return runCampaignSend(base);
    if (config.heartbeatMs > 0 && config.heartbeatMs * 2 > config.leaseStaleAfterMs)
        throw new ConfigError(
            `heartbeatMs (${config.heartbeatMs}) must be at most half of leaseStaleAfterMs (${config.leaseStaleAfterMs})`
        );
    const lease = await Lease.acquire(o.client, {
        runId,
        entities: [`campaign:${prepared.campaign.id}`],
        mode: 'Campaign',
        source: `campaign ${prepared.campaign.name} (${prepared.channel})`,
        staleAfterMs: config.leaseStaleAfterMs,
        heartbeatMs: config.heartbeatMs,
        now: o.now,
        logger: o.logger
    });
    try {
        const signal = o.signal ? AbortSignal.any([o.signal, lease.lost]) : lease.lost;
        const report = await runCampaignSend({ ...base, signal });
        if (lease.takenOverFrom)
            report.warnings.push(
                `took over the stale lease of run ${lease.takenOverFrom} (marked Failed in the org)`
            );
        await recordRun(o.client, report);
        return report;
    } catch (err) {
        await o.client
            .json(
                'PATCH',
                syncRunPath(o.client, runId),
                {
                    Status__c: 'Failed',
                    FinishedAt__c: new Date().toISOString(),
                    Report__c: JSON.stringify({
                        runId,
                        status: 'Failed',
                        warnings: [`campaign send failed: ${(err as Error).name}`]
                    })
                },
                { essential: true, idempotent: true }
            )
            .catch(() => undefined);
        throw err;
    } finally {
        await lease.stop();
    }
}
