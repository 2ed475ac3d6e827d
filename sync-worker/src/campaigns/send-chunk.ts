// Sending, one claim batch at a time (docs/campaigns.md, "Never twice"): what the throttle allows
// is claimed in the org (created Sending, with the unsubscribe token's hash), each message's key is
// flushed to the local journal, the channel is called, the outcome is journaled, and the batch's
// claims are confirmed in the org (Sent, Failed, Unknown) by Id. Claimed members the run could not
// attempt (a stop) are confirmed Failed-retryable: never attempted, the next run sends them.
import PQueue from 'p-queue';
import { BudgetExceededError } from '../salesforce/budget.ts';
import { scrubContact } from '../domain/mask.ts';
import type { Outgoing } from './channels/types.ts';
import { createClaims, logKey, updateLog, type Claim, type LogUpdate } from './send-log.ts';
import { newToken, unsubscribeLinks } from './unsubscribe.ts';
import { channelLimits, nowOf, setStatus, type Queued, type SendRun } from './run-state.ts';
import type { SendOutcome } from './types.ts';

interface Claimed {
    q: Queued;
    out: Outgoing;
    logId: string;
}

/** The outgoing message of a queued member, with its key and, for e-mail, a fresh token. */
function outgoingOf(run: SendRun, q: Queued): { out: Outgoing; claim: Claim } {
    const key = logKey(q.member.id, run.channel, q.attempt);
    const claim: Claim = {
        key,
        memberId: q.member.id,
        contactId: q.member.contactId,
        attempt: q.attempt
    };
    const out: Outgoing = { ...q.message, key };
    if (run.channel === 'email') {
        const t = newToken();
        const s = run.settings;
        claim.tokenHash = t.hash;
        claim.tokenExpiresAt = new Date(
            nowOf(run).getTime() + s.tokenDays * 86_400_000
        ).toISOString();
        out.unsubscribe = unsubscribeLinks(t.token, {
            pageUrl: s.unsubscribePageUrl ?? `${s.portalUrl.replace(/\/+$/, '')}/disiscrizione`,
            oneClickUrl: s.oneClickUrl,
            mailto: s.unsubscribeMailto,
            key
        });
    }
    return { out, claim };
}

/** Claims in the org; returns the claimed members (the others are counted and settled). */
async function claim(
    run: SendRun,
    batch: readonly Queued[],
    updates: LogUpdate[]
): Promise<Claimed[]> {
    const prepared = batch.map((q) => ({ q, ...outgoingOf(run, q) }));
    const results = await createClaims(
        run.o.client,
        prepared.map((p) => p.claim),
        {
            campaignId: run.campaign.id,
            channel: run.channel,
            runId: run.o.runId,
            at: nowOf(run).toISOString()
        }
    );
    const claimed: Claimed[] = [];
    for (const [i, r] of results.entries()) {
        const { q, out } = prepared[i];
        if ('id' in r) {
            claimed.push({ q, out, logId: r.id });
            if (q.previousId) updates.push({ id: q.previousId, status: 'Superseded' });
        } else if ('taken' in r) {
            run.builder.skip('ClaimedElsewhere', q.member.id);
        } else if ('lost' in r) {
            run.builder.defer('ClaimLost');
            await setStatus(run, q.member, 'Pending', 'ClaimLost: the next run sends it');
        } else {
            run.builder.fail(r.error, `the send log refused the claim: ${r.message}`, q.member.id);
            await setStatus(run, q.member, 'Failed', `${r.error}: the send log refused the claim`);
        }
    }
    return claimed;
}

/** One outcome: journaled, counted, its log update and member status recorded. */
async function settle(
    run: SendRun,
    c: Claimed,
    outcome: SendOutcome,
    updates: LogUpdate[]
): Promise<void> {
    const at = nowOf(run).toISOString();
    const b = run.builder;
    const id = c.q.member.id;
    // counted with the failure, before any await: the breaker sees failures of sends done
    run.done++;
    if (outcome.kind === 'sent') {
        await run.journal!.write({ k: c.out.key, e: 'sent', m: outcome.messageId });
        b.report.counts.sent++;
        b.report.counts.segments += outcome.segments ?? 0;
        updates.push({
            id: c.logId,
            status: 'Sent',
            sentAt: at,
            messageId: outcome.messageId,
            segments: outcome.segments,
            reason: ''
        });
        await setStatus(run, c.q.member, 'Sent');
    } else if (outcome.kind === 'failed') {
        // counted before any await, with run.done: the breaker's message adds up
        run.sendFailures++;
        b.fail(outcome.code, outcome.reason, id);
        await run.journal!.write({
            k: c.out.key,
            e: 'failed',
            c: outcome.code,
            r: outcome.retryable
        });
        const reason = scrubContact(`${outcome.code}: ${outcome.reason}`);
        updates.push({ id: c.logId, status: 'Failed', retryable: outcome.retryable, reason });
        await setStatus(run, c.q.member, 'Failed', reason);
    } else {
        run.sendFailures++;
        b.fail(outcome.code, `${outcome.reason}; not sent again automatically`, id, true);
        await run.journal!.write({ k: c.out.key, e: 'unknown' });
        const reason = scrubContact(`${outcome.code}: ${outcome.reason}`);
        updates.push({ id: c.logId, status: 'Unknown', reason });
        await setStatus(run, c.q.member, 'Unknown', reason);
    }
    run.o.progress?.update(run.done);
}

/** Claimed but not attempted because the run is stopping: the next run sends them. */
async function release(run: SendRun, c: Claimed, updates: LogUpdate[]): Promise<void> {
    updates.push({
        id: c.logId,
        status: 'Failed',
        retryable: true,
        reason: 'NOT_ATTEMPTED: the run stopped before sending it'
    });
    run.builder.defer('Stopped');
    await setStatus(run, c.q.member, 'Pending', 'Stopped: the next run sends it');
}

/** Stops the run when most of its first sends failed: the channel is refusing (exit 5). */
export function checkBreaker(run: SendRun): void {
    const s = run.settings;
    if (run.builder.report.breaker || run.done < s.breakerMinSends) return;
    if (run.sendFailures / run.done <= s.breakerShare) return;
    const top = run.builder.topFailure();
    const fix = run.channel === 'email' ? 'relay' : run.channel === 'sms' ? 'gateway' : 'org';
    run.builder.report.breaker = `${run.channel}: ${run.sendFailures} of the first ${run.done} sends failed${top ? ` — ${top.count} × ${top.code}: ${top.cause}` : ''}; the rest were not attempted: fix the ${fix} configuration, then run again`;
    run.deferral = 'Stopped';
}

/** One call to the channel for `group`: paced, journaled before and after. */
async function sendGroup(run: SendRun, group: Claimed[], updates: LogUpdate[]): Promise<void> {
    for (let i = 0; i < group.length; i++) await run.throttle!.take();
    if (run.o.signal?.aborted || run.builder.report.breaker) {
        for (const c of group) await release(run, c, updates);
        return;
    }
    await Promise.all(group.map((c) => run.journal!.write({ k: c.out.key, e: 'attempt' })));
    const outcomes = await run.sender!.send(group.map((c) => c.out));
    for (const [i, c] of group.entries()) await settle(run, c, outcomes[i], updates);
    checkBreaker(run);
}

/** One claim batch: claim, send through the channel (paced, `concurrency` calls at once), confirm. */
export async function sendChunk(run: SendRun, chunk: readonly Queued[]): Promise<void> {
    const updates: LogUpdate[] = [];
    let claimed: Claimed[];
    try {
        claimed = await claim(run, chunk, updates);
    } catch (err) {
        if (!(err instanceof BudgetExceededError)) throw err;
        run.builder.warn(err.message);
        run.stopped = true;
        run.builder.defer('Stopped', chunk.length);
        return;
    }
    const size = run.sender!.batchSize;
    const queue = new PQueue({ concurrency: channelLimits(run).concurrency });
    for (let i = 0; i < claimed.length; i += size) {
        const group = claimed.slice(i, i + size);
        void queue.add(() => sendGroup(run, group, updates));
    }
    await queue.onIdle();
    await confirm(run, updates);
}

/** The batch's log updates in the org; the journal keeps what did not get there. */
async function confirm(run: SendRun, updates: LogUpdate[]): Promise<void> {
    if (!updates.length) return;
    try {
        const failures = await updateLog(run.o.client, updates);
        run.unconfirmed += failures.length;
        if (failures.length)
            run.builder.warn(
                `${failures.length} send log update(s) refused (e.g. ${failures[0]}): the local journal keeps their outcome for the next run`
            );
    } catch (err) {
        run.unconfirmed += updates.length;
        run.builder.warn(
            `send log not confirmed (${(err as Error).name}): the local journal keeps the outcomes for the next run`
        );
    }
}
