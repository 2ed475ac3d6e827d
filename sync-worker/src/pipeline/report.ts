// The run report: a stable JSON shape (docs/sync-worker.md), built as the stages count; keys
// are masked by the entities, messages scrubbed once more before they are stored. Rejects are
// also grouped by reason (report-groups.ts) and judged against the health thresholds
// (run-health.ts): the headline says first what went wrong. Failures are grouped by their cause
// (what an admin can act on, salesforce/failure-causes.ts) with counts.
import type { HealthConfig } from '../config/schema.ts';
import { scrubText } from '../domain/mask.ts';
import type { EntityCounts, EntityTally, RejectInfo } from '../entities/types.ts';
import type { Vocabularies } from '../entities/vocabularies/load.ts';
import { causeOf } from '../salesforce/failure-causes.ts';
import { Groups, OTHER_REASONS, reasonGroup } from './report-groups.ts';
import { headlineOf, judgeHealth, type RunHealth } from './run-health.ts';

export type { EntityCounts } from '../entities/types.ts';

/** Rejects with one cause: how many, a few (masked) examples, and what fixes them. */
export interface RejectGroup {
    entity: string;
    /** the part of the records (e.g. `roles`); absent: whole records */
    part?: string;
    reason: string;
    count: number;
    examples: string[];
    hint?: string;
}

/** Failures with one cause: how many, a few (masked) examples. */
export interface FailureGroup {
    entity: string;
    errorCode: string;
    /** what it means and what to do */
    cause: string;
    count: number;
    examples: string[];
}

/** A registry code no vocabulary entry matched (rejected) or that took the fallback value. */
export interface UnknownCode {
    vocabulary: string;
    field: string;
    code: string;
    count: number;
    /** `rejected`, or the fallback value written */
    outcome: string;
}

/** The subject keys of the run (docs/privacy.md, "Subject key: worker side"): the tombstones
 *  read, and the stamp pass over Contacts with a blank or other-key SubjectKey__c. */
export interface SubjectKeyCounts {
    /** the fingerprint of the worker's key (not secret) */
    fingerprint: string;
    /** the org's erasure tombstones the run read */
    tombstones: number;
    /** Contacts with a fiscal code and a blank or other-key subject key */
    unstamped: number;
    /** stamped by this run (in a dry run: that would be) */
    stamped: number;
    failed: number;
}

export interface Report {
    /** one line: what went wrong first, or that all went well */
    headline: string;
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
    /** every failure counted once by (entity, errorCode, cause), largest groups first */
    failureGroups: FailureGroup[];
    /** every reject, grouped by reason, largest groups first */
    rejectGroups: RejectGroup[];
    /** codes the vocabularies did not know (config `vocabularies`) */
    unknownCodes: UnknownCode[];
    /** where the picklist values the vocabularies matched came from */
    picklists?: string;
    /** shares of rejects against the thresholds (config `health`) */
    health: RunHealth;
    warnings: string[];
    /** present when the run had the subject key and subject-aware entities */
    subjectKeys?: SubjectKeyCounts;
}

/** Records that failed to load, the stamp pass's Contacts included. */
export function failedCount(report: Report): number {
    const entities = Object.values(report.entities).reduce((n, c) => n + (c?.failed ?? 0), 0);
    return entities + (report.subjectKeys?.failed ?? 0);
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

type GroupExtra = Omit<RejectGroup, 'count' | 'examples'>;

export class ReportBuilder {
    readonly report: Report;
    private readonly maxListed: number;
    private readonly groups = new Groups<GroupExtra>();
    private readonly failureGroups = new Groups<Omit<FailureGroup, 'count' | 'examples'>>();
    private vocabularies?: Vocabularies;

    constructor(
        init: Pick<Report, 'runId' | 'mode' | 'dryRun' | 'reconcile' | 'startedAt' | 'source'>,
        maxListed: number
    ) {
        this.maxListed = maxListed;
        this.report = {
            headline: '',
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
            rejectGroups: [],
            unknownCodes: [],
            health: { ok: true, problems: [] },
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
            reject: (key, reason, info) => this.reject(name, key, reason, info),
            failure: (key, errorCode, message, cause) =>
                this.failure(name, key, errorCode, message, cause)
        };
    }

    reject(entity: string, key: string, reason: string, info: RejectInfo = {}): void {
        if (this.report.rejects.length < this.maxListed) {
            this.report.rejects.push({ entity, key, reason: scrubText(reason) });
        } else this.report.rejectsNotListed++;
        const group = scrubText(info.group ?? reasonGroup(reason));
        const part = info.part;
        const extra: GroupExtra = {
            entity,
            ...(part ? { part } : {}),
            reason: group,
            ...(info.hint ? { hint: info.hint } : {})
        };
        const at = `${entity}|${part ?? ''}|`;
        this.groups.add(at + group, key, extra, at + OTHER_REASONS);
    }

    /** The run's vocabularies: their unknown codes go in the report. */
    useVocabularies(vocabularies: Vocabularies): void {
        this.vocabularies = vocabularies;
        this.report.picklists = vocabularies.origin;
    }

    /**
     * At the end of a run (or a validation): the groups of rejects, the unknown codes, the run
     * health (an unhealthy Succeeded run becomes Partial) and the headline.
     */
    settle(health: HealthConfig): Report {
        const report = this.finalize();
        report.rejectGroups = this.groups.list().map((g) => ({
            ...g.extra,
            reason: g.key.endsWith(OTHER_REASONS) ? OTHER_REASONS : g.extra.reason,
            count: g.count,
            examples: g.examples
        }));
        report.unknownCodes = (this.vocabularies?.unknownCodes() ?? []).map((u) => ({
            vocabulary: u.vocabulary,
            field: u.field,
            code: scrubText(u.code),
            count: u.count,
            outcome: u.value === undefined ? 'rejected' : u.value
        }));
        report.health = judgeHealth(report, health);
        if (!report.health.ok && report.status === 'Succeeded') report.status = 'Partial';
        report.headline = scrubText(headlineOf(report));
        return report;
    }

    /** The failure groups from the lines counted so far (settle() calls it; a failed run's
     *  record is written without settling). */
    finalize(): Report {
        this.report.failureGroups = this.failureGroups.list().map((g) => ({
            ...g.extra,
            count: g.count,
            examples: g.examples
        }));
        return this.report;
    }

    /** One record that could not be written: listed (up to maxListed) and counted in the group
     *  of its cause (what an admin can act on). */
    failure(entity: string, key: string, errorCode: string, message: string, cause?: string): void {
        const reason = scrubText(cause ?? causeOf(errorCode, message)).slice(0, 400);
        this.failureGroups.add(JSON.stringify([entity, errorCode, reason]), key, {
            entity,
            errorCode,
            cause: reason
        });
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

    warn(message: string): void {
        this.report.warnings.push(scrubText(message));
    }
}

/** The reject groups, unknown codes, failures and warnings of a report, as text lines. */
export function formatFindings(report: Report, lines: string[]): void {
    const groups = report.rejectGroups.slice(0, 10);
    if (groups.length) {
        const total = report.rejectGroups.reduce((n, g) => n + g.count, 0);
        lines.push(
            `  rejects by reason (${total} in ${report.rejectGroups.length} group${report.rejectGroups.length === 1 ? '' : 's'}${groups.length < report.rejectGroups.length ? `, the first ${groups.length}` : ''}):`
        );
        for (const g of groups) {
            const where = g.part ? `${g.entity}/${g.part}` : g.entity;
            lines.push(
                `    ${String(g.count).padStart(6)} × ${where}: ${g.reason} (e.g. ${g.examples.join(', ')})${g.hint ? ` — ${g.hint}` : ''}`
            );
        }
    }
    if (report.unknownCodes.length) {
        lines.push('  unknown codes:');
        for (const u of report.unknownCodes.slice(0, 20))
            lines.push(
                `    ${u.vocabulary} '${u.code}' ×${u.count} → ${u.outcome === 'rejected' ? 'rejected' : `fallback ${u.outcome}`} (${u.field})`
            );
    }
}

/** `; roles read 250, rejected 170` */
export function formatParts(counts: EntityCounts): string {
    return Object.entries(counts.parts ?? {})
        .map(([part, p]) => `; ${part} read ${p.read}, rejected ${p.rejected}`)
        .join('');
}

/** Human summary for a terminal: the headline first. */
export function formatReport(report: Report): string {
    const lines = [
        report.headline,
        `Run ${report.runId} — ${report.mode}${report.dryRun ? ' (dry run: nothing written)' : ''}${report.reconcile ? ', reconcile' : ''} — ${report.status}`,
        `  source ${report.source}, ${report.startedAt} → ${report.finishedAt}, ${report.apiCalls} API calls`
    ];
    for (const [name, c] of Object.entries(report.entities)) {
        if (!c) continue;
        lines.push(
            `  ${name.padEnd(14)} read ${c.read}, valid ${c.valid}, rejected ${c.rejected}, created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deactivated ${c.deactivated}, failed ${c.failed}${c.suppressed ? `, suppressed ${c.suppressed}` : ''}${c.conflicts ? `, conflicts ${c.conflicts}` : ''}${formatParts(c)}`
        );
    }
    const keys = report.subjectKeys;
    if (keys && (keys.unstamped || keys.tombstones))
        lines.push(
            `  subject keys   key fingerprint ${keys.fingerprint}, tombstones ${keys.tombstones}; Contacts without the key ${keys.unstamped}, stamped ${keys.stamped}, failed ${keys.failed}`
        );
    formatFindings(report, lines);
    const groups = report.failureGroups ?? [];
    if (groups.length) {
        const total = groups.reduce((n, g) => n + g.count, 0);
        lines.push(`  failures by cause (${total}):`);
        for (const g of groups.slice(0, 10))
            lines.push(
                `    ${String(g.count).padStart(6)} × ${g.entity} ${g.errorCode}: ${g.cause} (e.g. ${g.examples.join(', ')})`
            );
    }
    for (const w of report.warnings) lines.push(`  warning: ${w}`);
    return lines.join('\n');
}
