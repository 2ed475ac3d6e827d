// The run report: a stable JSON shape (docs/sync-worker.md), built as the stages count; keys
// are masked by the entities, messages scrubbed once more before they are stored.
import { scrubText } from '../domain/mask.ts';
import type { EntityCounts, EntityTally } from '../entities/types.ts';
import { causeOf } from '../salesforce/failure-causes.ts';
import { ReasonGroups } from './report-groups.ts';

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
    /** the oldest of the entity watermarks below (what an older worker would read) */
    watermark: { previous: string | null; current: string | null };
    /** per entity: the watermark the run read (before the overlap window) and the one it leaves */
    watermarks: Record<string, { previous: string | null; current: string | null }>;
    entities: Partial<Record<string, EntityCounts>>;
    apiCalls: number;
    /** the Bulk API 2.0 jobs the run created (also in SyncRun__c.BulkJobs__c) */
    bulkJobs: string[];
    rejects: Array<{ entity: string; key: string; reason: string }>;
    rejectsNotListed: number;
    failures: Array<{
        entity: string;
        key: string;
        errorCode: string;
        message: string;
        cause: string;
    }>;
    failuresNotListed: number;
    /** every failure counted once by (entity, errorCode, cause), largest first */
    failureGroups: Array<{
        entity: string;
        errorCode: string;
        cause: string;
        count: number;
        examples: string[];
    }>;
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
    private readonly failureGroups = new ReasonGroups();

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
            watermarks: {},
            entities: {},
            apiCalls: 0,
            bulkJobs: [],
            rejects: [],
            rejectsNotListed: 0,
            failures: [],
            failuresNotListed: 0,
            failureGroups: [],
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
            failure: (key, errorCode, message, cause) =>
                this.failure(name, key, errorCode, message, cause)
        };
    }

    reject(entity: string, key: string, reason: string): void {
        if (this.report.rejects.length < this.maxListed) {
            this.report.rejects.push({ entity, key, reason: scrubText(reason) });
        } else this.report.rejectsNotListed++;
    }

    failure(entity: string, key: string, errorCode: string, message: string, cause?: string): void {
        const reason = scrubText(cause ?? causeOf(errorCode, message)).slice(0, 400);
        this.failureGroups.add(entity, errorCode, reason, key);
        if (this.report.failures.length < this.maxListed) {
            this.report.failures.push({
                entity,
                key,
                errorCode,
                message: scrubText(message).slice(0, 300),
                cause: reason
            });
        } else this.report.failuresNotListed++;
    }

    /** Completes what is summed up from the lines (the failure groups); called at the end. */
    finalize(): Report {
        this.report.failureGroups = this.failureGroups.list().map((g) => ({
            entity: g.entity,
            errorCode: g.code ?? '',
            cause: g.reason,
            count: g.count,
            examples: g.examples
        }));
        return this.report;
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
    const groups = report.failureGroups ?? [];
    if (groups.length) {
        const total = groups.reduce((n, g) => n + g.count, 0);
        lines.push(`  failures by cause (${total}):`);
        for (const g of groups.slice(0, 10))
            lines.push(
                `    ${g.entity} ${g.count} × ${g.errorCode}: ${g.cause} (e.g. ${g.examples.join(', ')})`
            );
    }
    for (const w of report.warnings) lines.push(`  warning: ${w}`);
    return lines.join('\n');
}
