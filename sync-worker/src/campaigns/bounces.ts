// `fse-sync campaign bounces --from DIR`: the delivery status notifications the relay returned
// (one RFC 5322 message a file, e.g. what the bounce mailbox's fetcher leaves), each failed
// recipient matched to its send by the envelope id (the send log key) or, failing that, by the
// original Message-ID; the send marked Bounced in the send log, the member Bounced, the campaign's
// counts moved from sent to bounced. Handled files move to DIR/processed (or stay with --keep).
// Delayed notices ("Action: delayed") change nothing; a notice that matches no send is reported.
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { scrubContact } from '../domain/mask.ts';
import type { SfClient } from '../salesforce/http.ts';
import { queryByKeys, queryFirstPage, soqlString } from '../salesforce/query.ts';
import { campaignFields, parseSummary, writeCampaign } from './campaign-record.ts';
import { parseDsn, type Dsn } from './dsn.ts';
import { updateLog } from './send-log.ts';
import type { Channel } from './types.ts';

export interface BounceReport {
    headline: string;
    files: number;
    notDsn: number;
    bounced: number;
    delayed: number;
    alreadyBounced: number;
    unmatched: number;
    /** per campaign Id */
    campaigns: Record<string, number>;
    warnings: string[];
}

interface Hit {
    file: string;
    dsn: Dsn;
    status: string;
    diagnostic: string;
}

interface LogRow {
    Id: string;
    Key__c: string;
    Status__c: string;
    Campaign__c: string;
    CampaignMemberId__c: string;
    Channel__c: string;
    ProviderMessageId__c: string;
}

async function readNotices(
    dir: string,
    report: BounceReport
): Promise<{ hits: Hit[]; handled: string[] }> {
    const hits: Hit[] = [];
    const handled: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        report.files++;
        const file = join(dir, entry.name);
        const dsn = await parseDsn(await readFile(file)).catch(() => null);
        if (!dsn) {
            report.notDsn++;
            continue;
        }
        handled.push(file);
        const failed = dsn.recipients.find((r) => r.action === 'failed');
        if (!failed) {
            if (dsn.recipients.some((r) => r.action === 'delayed')) report.delayed++;
            continue;
        }
        hits.push({ file, dsn, status: failed.status, diagnostic: failed.diagnostic });
    }
    return { hits, handled };
}

async function findSends(client: SfClient, hits: Hit[]): Promise<Map<string, LogRow>> {
    const byKey = new Map<string, LogRow>();
    const select =
        'SELECT Id, Key__c, Status__c, Campaign__c, CampaignMemberId__c, Channel__c, ProviderMessageId__c FROM SendLog__c';
    const keys = hits.map((h) => h.dsn.envelopeId).filter((k): k is string => !!k);
    const ids = hits
        .filter((h) => !h.dsn.envelopeId && h.dsn.messageId)
        .map((h) => h.dsn.messageId!);
    const add = (row: Record<string, string>) => byKey.set(row.Key__c, row as unknown as LogRow);
    if (keys.length) await queryByKeys(client, select, 'Key__c', keys, add, { concurrency: 1 });
    if (ids.length)
        await queryByKeys(client, select, 'ProviderMessageId__c', ids, add, { concurrency: 1 });
    return byKey;
}

/** Moves the bounced sends' campaign counts from sent to bounced (one read and write each). */
async function adjustCampaigns(
    client: SfClient,
    counts: Map<string, Map<Channel, number>>
): Promise<void> {
    for (const [campaignId, byChannel] of counts) {
        const page = await queryFirstPage<{
            SendSummary__c?: string | null;
            LastSendStatus__c?: string | null;
        }>(
            client,
            `SELECT SendSummary__c, LastSendStatus__c FROM Campaign WHERE Id = ${soqlString(campaignId)}`
        );
        const row = page.records[0];
        if (!row) continue;
        const summary = parseSummary(row.SendSummary__c ?? '');
        for (const [channel, n] of byChannel) {
            const c = summary.channels[channel];
            if (!c) continue;
            c.bounced += n;
            c.sent = Math.max(0, c.sent - n);
        }
        await writeCampaign(
            client,
            campaignId,
            campaignFields(summary, row.LastSendStatus__c ?? 'Succeeded', new Date().toISOString())
        );
    }
}

export async function processBounces(
    client: SfClient,
    dir: string,
    o: { keep?: boolean } = {}
): Promise<BounceReport> {
    const report: BounceReport = {
        headline: '',
        files: 0,
        notDsn: 0,
        bounced: 0,
        delayed: 0,
        alreadyBounced: 0,
        unmatched: 0,
        campaigns: {},
        warnings: []
    };
    const { hits, handled } = await readNotices(dir, report);
    const sends = hits.length ? await findSends(client, hits) : new Map<string, LogRow>();
    const byMessageId = new Map([...sends.values()].map((s) => [s.ProviderMessageId__c, s]));
    const updates = [];
    const members: Array<Record<string, string | null>> = [];
    const counts = new Map<string, Map<Channel, number>>();
    for (const h of hits) {
        const send =
            (h.dsn.envelopeId && sends.get(h.dsn.envelopeId)) ||
            (h.dsn.messageId ? byMessageId.get(h.dsn.messageId) : undefined);
        if (!send) {
            report.unmatched++;
            continue;
        }
        if (send.Status__c === 'Bounced') {
            report.alreadyBounced++;
            continue;
        }
        const reason = scrubContact(
            `BOUNCED_${h.status || 'UNKNOWN'}: ${h.diagnostic || 'the recipient server refused the message'}`
        ).slice(0, 255);
        updates.push({ id: send.Id, status: 'Bounced' as const, reason });
        members.push({
            Id: send.CampaignMemberId__c,
            SendStatus__c: 'Bounced',
            SendReason__c: reason,
            SendChannel__c: send.Channel__c,
            LastSendAt__c: new Date().toISOString()
        });
        const byChannel = counts.get(send.Campaign__c) ?? new Map<Channel, number>();
        byChannel.set(
            send.Channel__c as Channel,
            (byChannel.get(send.Channel__c as Channel) ?? 0) + 1
        );
        counts.set(send.Campaign__c, byChannel);
        report.campaigns[send.Campaign__c] = (report.campaigns[send.Campaign__c] ?? 0) + 1;
        report.bounced++;
    }
    const failures = [
        ...(await updateLog(client, updates)),
        ...(await updateMembers(client, members))
    ];
    if (failures.length)
        report.warnings.push(`${failures.length} record(s) not updated, e.g. ${failures[0]}`);
    await adjustCampaigns(client, counts);
    if (!o.keep && !failures.length) {
        await mkdir(join(dir, 'processed'), { recursive: true });
        for (const file of handled)
            await rename(file, join(dir, 'processed', file.split('/').pop()!));
    }
    report.headline = `${report.bounced} bounce(s) recorded${report.unmatched ? `, ${report.unmatched} notice(s) matched no send` : ''}${report.delayed ? `, ${report.delayed} delay notice(s) ignored` : ''}${report.notDsn ? `, ${report.notDsn} file(s) are not delivery status notifications (left in place)` : ''}`;
    return report;
}

async function updateMembers(
    client: SfClient,
    records: Array<Record<string, string | null>>
): Promise<string[]> {
    const failures: string[] = [];
    for (let i = 0; i < records.length; i += 200) {
        const chunk = records.slice(i, i + 200);
        const answers = await client.json<
            Array<{ success?: boolean; errors?: Array<{ statusCode?: string }> }>
        >(
            'PATCH',
            `${client.dataPath}/composite/sobjects`,
            {
                allOrNone: false,
                records: chunk.map((r) => ({ attributes: { type: 'CampaignMember' }, ...r }))
            },
            { idempotent: true }
        );
        chunk.forEach((r, j) => {
            if (!answers[j]?.success)
                failures.push(`${r.Id}: ${answers[j]?.errors?.[0]?.statusCode ?? 'NO_RESULT'}`);
        });
    }
    return failures;
}
