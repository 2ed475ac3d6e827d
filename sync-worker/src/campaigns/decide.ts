// Each member, in turn, against the send log and the consent read at send time: already sent
// (never again), bounced, unknown (never again automatically), failed for good, skipped (with
// the reason), or queued for this run with its message. Also the claims a dead run left in
// `Sending`, resolved from its local journal when this machine has it.
import { readNdjson } from '../util/ndjson-file.ts';
import { prepareMessage } from './content.ts';
import { skipReason } from './eligibility.ts';
import { readDeadJournals } from './journal.ts';
import type { LogUpdate } from './send-log.ts';
import { nowOf, setStatus, type SendRun } from './run-state.ts';
import { SKIP_REASONS, type LogRecord, type Member } from './types.ts';

const codeOf = (reason: string) => /^([A-Z0-9_]+):/.exec(reason)?.[1] ?? 'FAILED';

/** Claims of runs that stopped (status Sending, another run): what their journal says. */
export async function recoverClaims(run: SendRun): Promise<LogUpdate[]> {
    const stale = [...run.log.values()].filter(
        (r) => r.status === 'Sending' && r.runId !== run.o.runId
    );
    if (!stale.length) return [];
    const journals = await readDeadJournals(run.settings.stateDir, run.campaign.id, run.channel);
    const updates: LogUpdate[] = [];
    const rec = run.builder.report.recovered;
    for (const r of stale) {
        const v = journals.verdict(r.runId, r.key);
        const from = `run ${r.runId}`;
        if (v.state === 'sent') {
            Object.assign(r, { status: 'Sent', messageId: v.messageId });
            updates.push({
                id: r.id,
                status: 'Sent',
                messageId: v.messageId,
                reason: `confirmed from the local journal of ${from}`
            });
            rec.sent++;
        } else if (v.state === 'failed') {
            Object.assign(r, {
                status: 'Failed',
                retryable: v.retryable,
                reason: `${v.code}: failed in ${from}`
            });
            updates.push({ id: r.id, status: 'Failed', retryable: v.retryable, reason: r.reason });
            rec.failed++;
        } else if (v.state === 'never-attempted') {
            Object.assign(r, {
                status: 'Failed',
                retryable: true,
                reason: `NOT_ATTEMPTED: claimed by ${from}, which stopped before sending`
            });
            updates.push({ id: r.id, status: 'Failed', retryable: true, reason: r.reason });
            rec.retried++;
        } else {
            const why =
                v.state === 'in-flight'
                    ? 'was sending it when it stopped'
                    : 'stopped and left no journal on this machine';
            Object.assign(r, {
                status: 'Unknown',
                reason: `UNKNOWN_OUTCOME: ${from} ${why}; it may have been delivered: not sent again automatically`
            });
            updates.push({ id: r.id, status: 'Unknown', reason: r.reason });
            rec.unknown++;
        }
    }
    run.resolvedJournals = journals.files;
    return updates;
}

/** What the send log decides alone: true when the member is settled without a new send. */
async function settledByLog(
    run: SendRun,
    member: Member,
    l: LogRecord | undefined
): Promise<boolean> {
    const b = run.builder;
    if (!l || l.status === 'Superseded') return false;
    if (l.status === 'Sent') {
        b.report.counts.alreadySent++;
        await setStatus(run, member, 'Sent');
        return true;
    }
    if (l.status === 'Bounced') {
        b.report.counts.bounced++;
        await setStatus(run, member, 'Bounced', l.reason);
        return true;
    }
    if ((l.status === 'Unknown' || l.status === 'Sending') && !run.o.resendUnknown) {
        b.fail(
            'UNKNOWN_OUTCOME',
            l.reason || 'a run stopped between claim and answer',
            member.id,
            true
        );
        await setStatus(run, member, 'Unknown', l.reason);
        return true;
    }
    if (l.status === 'Failed' && !l.retryable && !run.o.retryFailed) {
        b.fail(codeOf(l.reason), l.reason.replace(/^[A-Z0-9_]+:\s*/, ''), member.id);
        await setStatus(run, member, 'Failed', l.reason);
        return true;
    }
    return false;
}

async function decideMember(run: SendRun, member: Member, now: number): Promise<void> {
    const l = run.log.get(member.id);
    if (await settledByLog(run, member, l)) return;
    const reason = skipReason(member, {
        channel: run.channel,
        now,
        erased: run.erased,
        consentOf: (id) => run.consents.get(id),
        userOf: (id) => run.users.get(id)
    });
    if (reason) {
        run.builder.skip(reason, member.id);
        await setStatus(run, member, 'Skipped', `${reason}: ${SKIP_REASONS[reason]}`);
        return;
    }
    const prepared = prepareMessage(member, {
        channel: run.channel,
        campaign: run.campaign,
        portalUrl: run.settings.portalUrl,
        maxSegments: run.settings.sms?.maxSegments ?? 3,
        userId: run.users.get(member.contactId)
    });
    if ('code' in prepared) {
        run.builder.fail(prepared.code, prepared.reason, member.id);
        await setStatus(run, member, 'Failed', `${prepared.code}: ${prepared.reason}`);
        return;
    }
    run.queued++;
    await run.queue!.write({
        member,
        attempt: (l?.attempt ?? 0) + 1,
        previousId: l?.id,
        message: prepared.message
    });
}

/** Every staged member decided; the ones to send on this run go to the queue file. */
export async function decideAll(run: SendRun): Promise<void> {
    const now = nowOf(run).getTime();
    for await (const member of readNdjson<Member>(run.members!.file)) {
        run.builder.report.counts.members++;
        await decideMember(run, member, now);
    }
}
