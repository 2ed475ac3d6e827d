// The report of a campaign send, shaped like a sync's (docs/campaigns.md, "The report"): one
// headline saying what went wrong first, counts, skips grouped by reason, failures grouped by
// cause with up to three example members (CampaignMember Ids: no name, address or number), the
// API calls, and the status behind the exit code. Messages are scrubbed of e-mails, numbers that
// look like fiscal codes and tokens before they are stored.
import { scrubContact } from '../domain/mask.ts';
import { Groups } from '../pipeline/report-groups.ts';
import { EXIT_CODES } from '../pipeline/run-health.ts';
import { DEFERRALS, type Deferral } from './throttle.ts';
import { SKIP_REASONS, type Channel, type SkipReason } from './types.ts';

export interface CampaignCounts {
    /** the campaign's Contact members */
    members: number;
    /** sent by this run */
    sent: number;
    /** sent by an earlier run (the send log says so): not sent again */
    alreadySent: number;
    /** failed on this run or earlier without a retry (a permanent refusal) */
    failed: number;
    /** outcome unknown (a run stopped between claim and answer): never sent again automatically */
    unknown: number;
    /** bounced after an earlier send (a DSN) */
    bounced: number;
    skipped: number;
    /** eligible, not sent on this run (daily cap, quiet hours, a stop): the next run sends them */
    pending: number;
    /** SMS parts billed by this run */
    segments: number;
}

export interface CampaignReport {
    headline: string;
    runId: string;
    command: 'campaign send';
    campaign: { id: string; name: string };
    channel: Channel;
    dryRun: boolean;
    status: 'Succeeded' | 'Partial' | 'Stopped' | 'Failed';
    startedAt: string;
    finishedAt: string;
    counts: CampaignCounts;
    /** every skip, by reason (largest first) with what it means */
    skipGroups: Array<{ reason: SkipReason; meaning: string; count: number; examples: string[] }>;
    /** members left for the next run, by why */
    deferred: Array<{ reason: Deferral; meaning: string; count: number }>;
    /** every failure and unknown outcome, by code and cause */
    failureGroups: Array<{ code: string; cause: string; count: number; examples: string[] }>;
    /** claims of runs that died, resolved from their local journal or left unknown */
    recovered: { sent: number; retried: number; unknown: number; failed: number };
    /** sends per minute over the sending phase of this run */
    perMinute: number;
    apiCalls: number;
    /** compatibility with SyncRun__c readers (adminSyncRunMonitor): no registry entity */
    entities: Record<string, never>;
    warnings: string[];
    /** the relay, gateway or org refused most sends: the run stopped early (exit 5) */
    breaker?: string;
}

export function emptyCounts(): CampaignCounts {
    return {
        members: 0,
        sent: 0,
        alreadySent: 0,
        failed: 0,
        unknown: 0,
        bounced: 0,
        skipped: 0,
        pending: 0,
        segments: 0
    };
}

export class CampaignReportBuilder {
    readonly report: CampaignReport;
    private readonly skips = new Groups<{ reason: SkipReason }>();
    private readonly failures = new Groups<{ code: string; cause: string }>();
    private readonly deferrals = new Map<Deferral, number>();

    constructor(
        init: Pick<CampaignReport, 'runId' | 'campaign' | 'channel' | 'dryRun' | 'startedAt'>
    ) {
        this.report = {
            headline: '',
            command: 'campaign send',
            status: 'Succeeded',
            finishedAt: '',
            counts: emptyCounts(),
            skipGroups: [],
            deferred: [],
            failureGroups: [],
            recovered: { sent: 0, retried: 0, unknown: 0, failed: 0 },
            perMinute: 0,
            apiCalls: 0,
            entities: {},
            warnings: [],
            ...init
        };
    }

    skip(reason: SkipReason, memberId: string): void {
        this.report.counts.skipped++;
        this.skips.add(reason, memberId, { reason });
    }

    fail(code: string, cause: string, memberId: string, unknown = false): void {
        if (unknown) this.report.counts.unknown++;
        else this.report.counts.failed++;
        const clean = scrubContact(cause).slice(0, 240);
        this.failures.add(`${code}|${clean}`, memberId, { code, cause: clean });
    }

    defer(reason: Deferral, n = 1): void {
        this.report.counts.pending += n;
        this.deferrals.set(reason, (this.deferrals.get(reason) ?? 0) + n);
    }

    /** Skips so far by reason. */
    skipCounts(): Record<string, number> {
        return Object.fromEntries(this.skips.list().map((g) => [g.extra.reason, g.count]));
    }

    /** The largest group of failures so far. */
    topFailure(): { code: string; cause: string; count: number } | undefined {
        const g = this.failures.list()[0];
        return g ? { ...g.extra, count: g.count } : undefined;
    }

    warn(message: string): void {
        this.report.warnings.push(scrubContact(message));
    }

    /** Groups, status and headline; `stopped`: the run was asked to stop (SIGTERM, lease lost). */
    finish(o: {
        apiCalls: number;
        finishedAt: string;
        stopped: boolean;
        perMinute: number;
    }): CampaignReport {
        const r = this.report;
        r.apiCalls = o.apiCalls;
        r.finishedAt = o.finishedAt;
        r.perMinute = Math.round(o.perMinute);
        r.skipGroups = this.skips.list().map((g) => ({
            reason: g.extra.reason,
            meaning: SKIP_REASONS[g.extra.reason],
            count: g.count,
            examples: g.examples
        }));
        r.failureGroups = this.failures
            .list()
            .map((g) => ({ ...g.extra, count: g.count, examples: g.examples }));
        r.deferred = [...this.deferrals].map(([reason, count]) => ({
            reason,
            meaning: DEFERRALS[reason],
            count
        }));
        const c = r.counts;
        if (r.breaker) r.status = 'Partial';
        else if (o.stopped) r.status = 'Stopped';
        else if (c.failed || c.unknown || c.pending) r.status = 'Partial';
        r.headline = headlineOf(r);
        return r;
    }
}

function headlineOf(r: CampaignReport): string {
    const c = r.counts;
    const verb = r.dryRun ? 'would send' : 'sent';
    const done = `${r.channel}: ${verb} ${c.sent}, already sent ${c.alreadySent}, skipped ${c.skipped}`;
    if (r.breaker) return `Stopped early: ${r.breaker}`;
    const top = r.failureGroups[0];
    const parts: string[] = [];
    if (c.unknown)
        parts.push(`${c.unknown} with an unknown outcome (not sent again automatically)`);
    if (c.failed)
        parts.push(
            `${c.failed} failed${top ? ` — largest: ${top.count} × ${top.code}: ${top.cause}` : ''}`
        );
    if (c.pending)
        parts.push(
            `${c.pending} left for the next run (${r.deferred.map((d) => `${d.reason} ${d.count}`).join(', ')})`
        );
    if (r.status === 'Stopped') return `Stopped: ${done}; ${parts.join('; ') || 'nothing left'}`;
    if (parts.length) return `Partial: ${done}; ${parts.join('; ')}`;
    return `Succeeded: ${done}${c.skipped ? ' (by reason in the report)' : ''}`;
}

/** 0 every eligible member has the message; 3 some failed, unknown or left for the next run;
 *  5 the run stopped early because the channel refused most sends (docs/campaigns.md). */
export function campaignExitCode(r: CampaignReport): number {
    if (r.breaker) return EXIT_CODES.UNHEALTHY;
    return r.status === 'Succeeded' ? EXIT_CODES.OK : EXIT_CODES.PARTIAL;
}

/** The human summary on a terminal. */
export function formatCampaignReport(r: CampaignReport): string {
    const c = r.counts;
    const lines = [
        r.headline,
        `Campaign ${r.campaign.name} (${r.campaign.id}) — ${r.channel}${r.dryRun ? ' — dry run' : ''} — ${r.status} — run ${r.runId}`,
        `  members ${c.members}: sent ${c.sent}, already sent ${c.alreadySent}, skipped ${c.skipped}, failed ${c.failed}, unknown ${c.unknown}, bounced ${c.bounced}, pending ${c.pending}${c.segments ? `; SMS parts ${c.segments}` : ''}`
    ];
    if (r.skipGroups.length) {
        lines.push(`  skipped by reason (${c.skipped}):`);
        for (const g of r.skipGroups)
            lines.push(`    ${String(g.count).padStart(6)} × ${g.reason}: ${g.meaning}`);
    }
    if (r.failureGroups.length) {
        lines.push('  failures and unknown outcomes by cause:');
        for (const g of r.failureGroups)
            lines.push(
                `    ${String(g.count).padStart(6)} × ${g.code}: ${g.cause} (e.g. ${g.examples.join(', ')})`
            );
    }
    for (const d of r.deferred)
        lines.push(`  left for the next run: ${d.count} × ${d.reason}: ${d.meaning}`);
    const rec = r.recovered;
    if (rec.sent + rec.retried + rec.unknown + rec.failed)
        lines.push(
            `  claims of a stopped run: ${rec.sent} confirmed sent, ${rec.retried} never attempted (sent now), ${rec.failed} failed, ${rec.unknown} unknown`
        );
    lines.push(`  ${r.perMinute} messages/minute, ${r.apiCalls} API calls`);
    for (const w of r.warnings) lines.push(`  warning: ${w}`);
    return lines.join('\n');
}
