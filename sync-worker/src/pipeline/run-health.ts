// Run health (docs/sync-worker.md, "Run health"): a run whose share of rejected records, per
// entity, or of rejected parts (e.g. the roles of professionals), is above its threshold did not
// go well even if every valid record was loaded: it ends Partial with exit code 5, and its
// headline says what went wrong and how to fix it, e.g.
// "professionals: 68% of roles rejected — unknown target category 'X' ×170; map it in config:
// vocabularies.targetCategory.map".
import type { HealthConfig } from '../config/schema.ts';
import type { EntityCounts } from '../entities/types.ts';

export interface HealthProblem {
    entity: string;
    /** absent: whole records */
    part?: string;
    read: number;
    rejected: number;
    share: number;
    threshold: number;
    /** one line: what went wrong and, when known, what fixes it */
    message: string;
}

export interface RunHealth {
    ok: boolean;
    problems: HealthProblem[];
}

/** What run health reads of a report (report.ts's Report has it). */
interface Report {
    status: 'Succeeded' | 'Partial' | 'Stopped' | 'Failed';
    dryRun: boolean;
    warnings: string[];
    entities: Partial<Record<string, EntityCounts>>;
    rejectGroups: ReadonlyArray<{
        entity: string;
        part?: string;
        reason: string;
        count: number;
        hint?: string;
    }>;
    health: RunHealth;
    /** failures grouped by cause, largest first (report.ts) */
    failureGroups?: ReadonlyArray<{ entity: string; count: number; cause: string }>;
    /** the stamp pass (report.ts): its failures count with the entities' */
    subjectKeys?: { failed: number };
}

/** Exit codes (docs/sync-worker.md, "Exit codes"). */
export const EXIT_CODES = {
    OK: 0,
    FATAL: 1,
    USAGE: 2,
    PARTIAL: 3,
    LOCKED: 4,
    UNHEALTHY: 5
} as const;

function percent(share: number): string {
    const p = share * 100;
    return `${p >= 10 || Number.isInteger(p) ? Math.round(p) : p.toFixed(1)}%`;
}

/** The message of a problem: its share, then its largest group of rejects and the fix. */
function message(report: Report, entity: string, part: string | undefined, share: number): string {
    const top = report.rejectGroups.find((g) => g.entity === entity && g.part === part);
    const what = part ? `${part}` : 'records';
    const cause = top ? ` — ${top.reason} ×${top.count}` : '';
    const hint = top?.hint ? `; ${top.hint}` : top ? '; see rejectGroups in the report' : '';
    return `${entity}: ${percent(share)} of ${what} rejected${cause}${hint}`;
}

/** Judges one share: healthy unless above its threshold with at least `minRejected` rejects
 *  (so one odd record in a small incremental run does not fail it). */
function judge(
    config: HealthConfig,
    counts: { read: number; rejected: number },
    threshold: number
): boolean {
    if (counts.read === 0 || counts.rejected < config.minRejected) return true;
    return counts.rejected / counts.read <= threshold;
}

/** The shares of rejected records and parts of every entity, against the thresholds. */
export function judgeHealth(report: Report, config: HealthConfig): RunHealth {
    const problems: HealthProblem[] = [];
    for (const [entity, counts] of Object.entries(report.entities)) {
        if (!counts) continue;
        const shares: Array<{ part?: string; read: number; rejected: number; threshold: number }> =
            [
                {
                    read: counts.read,
                    rejected: counts.rejected,
                    threshold:
                        config.entities[entity as keyof HealthConfig['entities']] ??
                        config.maxRejectedShare
                },
                ...Object.entries(counts.parts ?? {}).map(([part, c]) => ({
                    part,
                    ...c,
                    threshold: config.parts[`${entity}.${part}`] ?? config.maxRejectedShare
                }))
            ];
        for (const s of shares) {
            if (judge(config, s, s.threshold)) continue;
            const share = s.rejected / s.read;
            problems.push({
                entity,
                ...(s.part ? { part: s.part } : {}),
                read: s.read,
                rejected: s.rejected,
                share: Math.round(share * 10000) / 10000,
                threshold: s.threshold,
                message: message(report, entity, s.part, share)
            });
        }
    }
    problems.sort((a, b) => b.share - a.share);
    return { ok: problems.length === 0, problems };
}

/** The first problem, and how many more there are; undefined when healthy. */
export function healthHeadline(health: RunHealth): string | undefined {
    const problems = health.problems;
    if (!problems.length) return undefined;
    const more =
        problems.length > 1 ? ` (and ${problems.length - 1} more above the health thresholds)` : '';
    return `${problems[0].message}${more}`;
}

/** One line: what went wrong first, or that all went well. */
export function headlineOf(report: Report): string {
    const dry = report.dryRun ? ' (dry run: nothing written)' : '';
    const unhealthy = healthHeadline(report.health);
    if (unhealthy) return `${unhealthy}${dry}`;
    const failed =
        Object.values(report.entities).reduce((n, c) => n + (c?.failed ?? 0), 0) +
        (report.subjectKeys?.failed ?? 0);
    const rejected = Object.values(report.entities).reduce((n, c) => n + (c?.rejected ?? 0), 0);
    const rejects = rejected
        ? `; ${rejected} rejected records, grouped by reason in the report`
        : '';
    switch (report.status) {
        case 'Stopped':
            return `Stopped: the run stopped cleanly before the end (${report.warnings[report.warnings.length - 1] ?? 'see warnings'})${dry}`;
        case 'Failed':
            return `Failed: ${report.warnings[report.warnings.length - 1] ?? 'fatal error'}${dry}`;
        case 'Partial': {
            // the largest cause first: what the admin can act on (salesforce/failure-causes.ts)
            const top = report.failureGroups?.[0];
            const cause = top
                ? ` — ${top.count} × ${top.entity}: ${top.cause}${report.failureGroups!.length > 1 ? ` (and ${report.failureGroups!.length - 1} more causes in failureGroups)` : ''}`
                : ' (see failures); the next run retries them';
            return `Partial: ${failed} valid records failed to load${cause}${rejects}${dry}`;
        }
        default:
            return report.dryRun
                ? `Succeeded${dry}: every valid record would be written${rejects}`
                : `Succeeded: every valid record is in the org${rejects}`;
    }
}

/** The exit code of a finished run: 0, 3 (failures, stopped), 5 (unhealthy). */
export function exitCodeOf(report: Report): number {
    if (report.status === 'Succeeded') return EXIT_CODES.OK;
    if (report.status === 'Failed') return EXIT_CODES.FATAL;
    if (report.status === 'Partial' && !report.health.ok) return EXIT_CODES.UNHEALTHY;
    return EXIT_CODES.PARTIAL;
}
