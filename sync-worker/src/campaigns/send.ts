// One `fse-sync campaign send` (docs/campaigns.md): read the members, the consents at send time,
// the tombstones and the send log; resolve the claims a dead run left; decide every member; send
// to the eligible ones (claimed first, paced, journaled, confirmed); write back each member's
// status (only those that change) and the campaign's counts. A dry run reads and decides only.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryOptions } from '../config/schema.ts';
import { startOfDay } from '../domain/quiet-hours.ts';
import { bulkQueryOptions } from '../salesforce/query.ts';
import { upsertOptions, upsertRecords } from '../salesforce/upsert.ts';
import { readNdjson, NdjsonWriter } from '../util/ndjson-file.ts';
import { readConsents, readPortalUsers, readTombstones, stageMembers } from './audience.ts';
import {
    campaignFields,
    parseSummary,
    writeCampaign,
    type ChannelCounts
} from './campaign-record.ts';
import { EmailSender } from './channels/email.ts';
import { PushSender } from './channels/push.ts';
import { SmsSender } from './channels/sms.ts';
import type { ChannelSender } from './channels/types.ts';
import { decideAll, recoverClaims } from './decide.ts';
import { Journal } from './journal.ts';
import { CampaignReportBuilder, type CampaignReport } from './report.ts';
import {
    channelLimits,
    nowOf,
    setStatus,
    type Queued,
    type SendOptions,
    type SendRun
} from './run-state.ts';
import { checkBreaker, sendChunk } from './send-chunk.ts';
import { claimedSince, readLog, updateLog } from './send-log.ts';
import { DEFERRALS } from './throttle.ts';
import { Throttle } from './throttle.ts';

export type { SendOptions } from './run-state.ts';

const PURPOSE_LABELS: Record<string, string> = {
    formazione: 'Formazione',
    comunicazione: 'Comunicazione',
    sondaggi: 'Sondaggi'
};

function senderFor(run: SendRun): ChannelSender {
    const { o, campaign } = run;
    const retry = retryOptions(o.config);
    if (run.channel === 'email')
        return new EmailSender(
            run.settings.email!,
            {
                subject: campaign.emailSubject,
                body: o.prepared.emailBody!,
                purposeLabel: PURPOSE_LABELS[campaign.purpose] ?? campaign.purpose
            },
            { env: o.env, retry, signal: o.signal }
        );
    if (run.channel === 'sms')
        return new SmsSender(run.settings.sms!, { env: o.env, retry, signal: o.signal });
    return new PushSender(o.client, run.settings.push, {
        title: campaign.pushTitle,
        body: campaign.pushBody,
        targetId: campaign.courseId || undefined
    });
}

/** Members, tombstones, consents, portal users (push), the send log, today's claims. */
async function readOrg(run: SendRun): Promise<void> {
    const { client, config } = run.o;
    const bulk = bulkQueryOptions(config);
    run.members = await stageMembers(client, run.campaign.id, run.dir, bulk);
    run.erased = await readTombstones(client, bulk);
    run.consents = await readConsents(
        client,
        run.campaign.purpose,
        run.channel,
        run.members.individuals,
        bulk
    );
    if (run.channel === 'push')
        run.users = await readPortalUsers(client, run.members.contacts, bulk);
    run.log = await readLog(client, run.campaign.id, run.channel, bulk);
    run.usedToday = await claimedSince(client, run.channel, startOfDay(nowOf(run)));
}

function newRun(o: SendOptions, dir: string): SendRun {
    const { campaign, channel, settings } = o.prepared;
    return {
        o,
        campaign,
        channel,
        settings,
        dir,
        builder: new CampaignReportBuilder({
            runId: o.runId,
            campaign: { id: campaign.id, name: campaign.name },
            channel,
            dryRun: o.dryRun,
            startedAt: nowOf({ o } as SendRun).toISOString()
        }),
        consents: new Map(),
        erased: new Set(),
        users: new Map(),
        log: new Map(),
        usedToday: 0,
        resolvedJournals: [],
        queued: 0,
        changed: 0,
        unconfirmed: 0,
        stopped: false,
        done: 0,
        sendFailures: 0,
        lastProgressWrite: 0
    };
}

export async function runCampaignSend(o: SendOptions): Promise<CampaignReport> {
    const dir = join(o.tmpDir ?? tmpdir(), `fse-campaign-${o.runId}`);
    await mkdir(dir, { recursive: true });
    const run = newRun(o, dir);
    try {
        await readOrg(run);
        const recovered = await recoverClaims(run);
        if (!o.dryRun && recovered.length) {
            const failures = await updateLog(o.client, recovered);
            if (failures.length) run.resolvedJournals = [];
        }
        run.queue = new NdjsonWriter<Queued>(join(dir, 'queue.ndjson'));
        run.changes = new NdjsonWriter(join(dir, 'changes.ndjson'));
        await decideAll(run);
        await run.queue.close();
        if (o.dryRun) simulate(run);
        else await sendPhase(run);
        await run.changes.close();
        return await finish(run);
    } finally {
        await run.sender?.close();
        await rm(dir, { recursive: true, force: true });
    }
}

/** A dry run: what the throttle would let through now; nothing claimed or sent. */
function simulate(run: SendRun): void {
    const limits = channelLimits(run);
    const throttle = new Throttle({
        ...limits,
        usedToday: run.usedToday,
        now: () => nowOf(run).getTime()
    });
    const { count, deferral } = throttle.allowance(run.queued);
    run.builder.report.counts.sent = count;
    if (deferral || count < run.queued)
        run.builder.defer(deferral ?? 'DailyCap', run.queued - count);
}

/** The channel's counts as SendSummary__c keeps them (pending: members not settled yet). */
function channelCounts(run: SendRun, status: string): ChannelCounts {
    const c = run.builder.report.counts;
    const settled = c.sent + c.alreadySent + c.failed + c.skipped + c.bounced + c.unknown;
    return {
        members: run.members?.count ?? c.members,
        sent: c.sent + c.alreadySent,
        failed: c.failed,
        skipped: c.skipped,
        bounced: c.bounced,
        unknown: c.unknown,
        pending: Math.max(0, (run.members?.count ?? c.members) - settled),
        skippedBy: run.builder.skipCounts(),
        at: nowOf(run).toISOString(),
        status
    };
}

/** The campaign's counts in the org (at most every progressEveryMs unless `force`). */
async function writeProgress(run: SendRun, status: string, force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - run.lastProgressWrite < run.settings.progressEveryMs) return;
    run.lastProgressWrite = now;
    const summary = parseSummary(run.campaign.summary);
    summary.channels[run.channel] = channelCounts(run, status);
    run.campaign.summary = JSON.stringify(summary);
    try {
        await writeCampaign(
            run.o.client,
            run.campaign.id,
            campaignFields(summary, status, nowOf(run).toISOString()),
            force
        );
    } catch (err) {
        run.builder.warn(
            `the campaign's counts were not updated (${(err as Error).name}); the next run writes them`
        );
    }
}

/** Whether the run claims no more members (and why, for the members left). */
function stopping(run: SendRun): boolean {
    if (run.o.signal?.aborted && !run.deferral) {
        run.stopped = true;
        run.deferral = 'Stopped';
    }
    return run.deferral !== undefined || run.builder.report.breaker !== undefined;
}

async function leaveForNextRun(run: SendRun, q: Queued): Promise<void> {
    const why = run.deferral ?? 'Stopped';
    run.builder.defer(why);
    await setStatus(run, q.member, 'Pending', `${why}: ${DEFERRALS[why]}`);
}

async function flushChunk(run: SendRun, chunk: Queued[]): Promise<void> {
    const { count, deferral } = run.throttle!.allowance(chunk.length);
    if (deferral) run.deferral = deferral;
    else if (count < chunk.length) run.deferral = 'DailyCap';
    for (const q of chunk.slice(count)) await leaveForNextRun(run, q);
    if (count) await sendChunk(run, chunk.slice(0, count));
    checkBreaker(run);
    await writeProgress(run, 'Running');
}

/** Claims and sends the queued members, a claim batch at a time. */
async function sendPhase(run: SendRun): Promise<void> {
    if (run.queued === 0) return;
    const { o } = run;
    run.sender = senderFor(run);
    await run.sender.verify();
    run.throttle = new Throttle({
        ...channelLimits(run),
        usedToday: run.usedToday,
        now: () => nowOf(run).getTime()
    });
    run.journal = await Journal.open(run.settings.stateDir, {
        run: o.runId,
        pid: process.pid,
        campaign: run.campaign.id,
        channel: run.channel,
        at: nowOf(run).toISOString()
    });
    await writeProgress(run, 'Running', true);
    o.progress?.start(`campaign ${run.campaign.name} ${run.channel}`, run.queued);
    run.sendStartedAt = Date.now();
    let chunk: Queued[] = [];
    for await (const q of readNdjson<Queued>(join(run.dir, 'queue.ndjson'))) {
        if (stopping(run)) {
            await leaveForNextRun(run, q);
            continue;
        }
        chunk.push(q);
        if (chunk.length >= run.settings.claimBatchSize) {
            await flushChunk(run, chunk);
            chunk = [];
        }
    }
    if (chunk.length) {
        if (stopping(run)) for (const q of chunk) await leaveForNextRun(run, q);
        else await flushChunk(run, chunk);
    }
    o.progress?.stop();
}

const statusValue = (run: SendRun) => {
    const c = run.builder.report.counts;
    return run.stopped || run.builder.report.breaker || c.failed || c.unknown || c.pending
        ? 'Partial'
        : 'Succeeded';
};

/** Member statuses that changed, the campaign's counts, the journals; then the report. */
async function finish(run: SendRun): Promise<CampaignReport> {
    const { o, builder } = run;
    const minutes = run.sendStartedAt ? (Date.now() - run.sendStartedAt) / 60_000 : 0;
    if (!o.dryRun) {
        if (run.changed) {
            const result = await upsertRecords(
                o.client,
                {
                    object: 'CampaignMember',
                    externalId: 'Id',
                    operation: 'update',
                    columns: [
                        'Id',
                        'SendStatus__c',
                        'SendReason__c',
                        'SendChannel__c',
                        'LastSendAt__c'
                    ]
                },
                readNdjson(join(run.dir, 'changes.ndjson')),
                run.changed,
                upsertOptions(o.config, { tmpDir: run.dir, logger: o.logger })
            );
            if (result.failed.count) {
                for await (const f of result.failed) {
                    builder.warn(
                        `${result.failed.count} member status(es) not written back, e.g. ${f.errorCode}: ${f.cause}`
                    );
                    break;
                }
            }
            await result.failed.dispose();
        }
        await writeProgress(run, statusValue(run), true);
        if (run.journal) {
            if (run.unconfirmed === 0) await run.journal.discard();
            else await run.journal.close();
        }
        for (const file of run.resolvedJournals) await rm(file, { force: true });
    }
    return builder.finish({
        apiCalls: o.client.calls,
        finishedAt: nowOf(run).toISOString(),
        stopped: run.stopped,
        perMinute: minutes > 0 ? run.done / minutes : 0
    });
}
