// The run report: a stable JSON shape (docs/sync-worker.md), built as the stages count; keys
// are masked by the entities, messages scrubbed once more before they are stored.
import { scrubText } from '../domain/mask.ts';
import type { EntityCounts, EntityTally } from '../entities/types.ts';

export type { EntityCounts } from '../entities/types.ts';

export interface Report {
    runId: string;
    mode: 'full' | 'incremental';
    dryRun: boolean;
    reconcile: boolean;
    status: 'Succeeded' | 'Partial' | 'Stopped' | 'Failed';
    startedAt: string;
    finishedAt: string;
    source: string;
    watermark: { previous: string | null; current: string | null };
    entities: Partial<Record<string, EntityCounts>>;
    apiCalls: number;
    rejects: Array<{ entity: string; key: string; reason: string }>;
    rejectsNotListed: number;
    failures: Array<{ entity: string; key: string; errorCode: string; message: string }>;
    failuresNotListed: number;
    warnings: string[];
}

export function emptyCounts(): EntityCounts {
    return {
        read: 0,
        valid: 0,
        rejected: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        deactivated: 0,
        failed: 0,
        suppressed: 0,
        conflicts: 0
    };
}

export class ReportBuilder {
    readonly report: Report;
    private readonly maxListed: number;

    constructor(
        init: Pick<Report, 'runId' | 'mode' | 'dryRun' | 'reconcile' | 'startedAt' | 'source'>,
        maxListed: number
    ) {
        this.maxListed = maxListed;
        this.report = {
            ...init,
            status: 'Succeeded',
            finishedAt: '',
            watermark: { previous: null, current: null },
            entities: {},
            apiCalls: 0,
            rejects: [],
            rejectsNotListed: 0,
            failures: [],
            failuresNotListed: 0,
            warnings: []
        };
    }

    entity(name: string): EntityCounts {
        return (this.report.entities[name] ??= emptyCounts());
    }

    /** The counts and report lines of one entity. */
    tally(name: string): EntityTally {
        const counts = this.entity(name);
        return {
            counts,
            reject: (key, reason) => this.reject(name, key, reason),
            failure: (key, errorCode, message) => this.failure(name, key, errorCode, message)
        };
    }

    reject(entity: string, key: string, reason: string): void {
        if (this.report.rejects.length < this.maxListed) {
            this.report.rejects.push({ entity, key, reason: scrubText(reason) });
        } else this.report.rejectsNotListed++;
    }

    failure(entity: string, key: string, errorCode: string, message: string): void {
        if (this.report.failures.length < this.maxListed) {
            this.report.failures.push({
                entity,
                key,
                errorCode,
                message: scrubText(message).slice(0, 300)
            });
        } else this.report.failuresNotListed++;
    }

    warn(message: string): void {
        this.report.warnings.push(scrubText(message));
    }
}

/** Human summary for a terminal. */
export function formatReport(report: Report): string {
    const lines = [
        `Run ${report.runId} — ${report.mode}${report.dryRun ? ' (dry run: nothing written)' : ''}${report.reconcile ? ', reconcile' : ''} — ${report.status}`,
        `  source ${report.source}, ${report.startedAt} → ${report.finishedAt}, ${report.apiCalls} API calls`
    ];
    for (const [name, c] of Object.entries(report.entities)) {
        if (!c) continue;
        lines.push(
            `  ${name.padEnd(14)} read ${c.read}, valid ${c.valid}, rejected ${c.rejected}, created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deactivated ${c.deactivated}, failed ${c.failed}${c.suppressed ? `, suppressed ${c.suppressed}` : ''}${c.conflicts ? `, conflicts ${c.conflicts}` : ''}`
        );
    }
    const shown = report.rejects.slice(0, 10);
    if (shown.length) {
        lines.push(
            `  rejects (first ${shown.length} of ${report.rejects.length + report.rejectsNotListed}):`
        );
        for (const x of shown) lines.push(`    ${x.entity} ${x.key}: ${x.reason}`);
    }
    const failed = report.failures.slice(0, 10);
    if (failed.length) {
        lines.push(
            `  failures (first ${failed.length} of ${report.failures.length + report.failuresNotListed}):`
        );
        for (const x of failed) lines.push(`    ${x.entity} ${x.key}: ${x.errorCode} ${x.message}`);
    }
    for (const w of report.warnings) lines.push(`  warning: ${w}`);
    return lines.join('\n');
}
