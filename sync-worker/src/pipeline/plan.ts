// Stage 3, diff and deactivation (ChangeSet): the staging file is re-read; duplicates are
// rejected (or kept as history), new or changed records (hash differs) go to a changes file,
// and in a full run the org's active records missing from the snapshot are ceased.
import { join } from 'node:path';
import type { EntityTarget, EntityTally } from '../entities/types.ts';
import type { SfRecord } from '../salesforce/record.ts';
import {
    lineBatches,
    lineChunks,
    NdjsonWriter,
    SCAN_CHUNK,
    type LineChunk
} from '../util/ndjson-file.ts';
import type { EntityStep, RunContext } from './context.ts';
import { absentActive, countStatus, type OrgIndex, type OrgRecord } from './org-index.ts';
import { parseStagedHead, type StagedFile, type StagedHead } from './stage.ts';

export type Action = 'create' | 'update' | 'unchanged';

export function decide(existing: OrgRecord | undefined, hash: string): Action {
    if (!existing) return 'create';
    return existing.hash === hash ? 'unchanged' : 'update';
}

/** One line of the changes file. */
export interface Change {
    action: 'create' | 'update' | 'deactivate';
    record: SfRecord;
}

/** What stage 3 hands on: the changes file and what it holds. */
export interface ChangeSet {
    path: string;
    /** changes to write (creates, updates, deactivations) */
    count: number;
    /** the latest registry time of the valid records at or before the run's start (the
     *  watermark candidate) */
    maxUpdated: string;
    /** records whose registry time is after the run's start (a defect of the registry) */
    future: { count: number; latest: string; example: string };
}

/**
 * The staged records by sequence number (line n of StagedFile.recordsPath holds the record of
 * sequence n), read forward: each `record(sequence)` asks for a later sequence than the one
 * before, as the plan goes through the heads in order. Read from the file's bytes (lineChunks
 * splits the lines as lineBatches does; stage.ts's StagedRecords, which this replaced, decoded
 * every line and is kept as the oracle of staged-record-lines.test.ts): only the
 * lines asked for are decoded, the others are skipped as bytes (issue 22, stop 26: a full run that
 * changes 1,000 of 100,000 records decoded ~45 MB of records into strings to parse 1,000). The
 * file is not opened when no record is asked for.
 */
export class StagedRecordLines {
    private readonly path: string;
    private chunks?: AsyncIterator<LineChunk>;
    private chunk?: LineChunk;
    /** the last sequence asked for */
    private last = 0;

    constructor(path: string) {
        this.path = path;
    }

    async record(sequence: number): Promise<SfRecord> {
        if (sequence <= this.last) throw new Error(`staged record ${sequence} asked for again`);
        this.last = sequence;
        this.chunks ??= lineChunks(this.path, SCAN_CHUNK)[Symbol.asyncIterator]();
        while (!this.chunk || sequence >= this.chunk.first + this.chunk.count) {
            const next = await this.chunks.next();
            if (next.done) throw new Error(`staged record ${sequence} missing from ${this.path}`);
            this.chunk = next.value;
        }
        const { bytes, first, bounds } = this.chunk;
        const i = 2 * (sequence - first);
        return JSON.parse(bytes.toString('utf8', bounds[i], bounds[i + 1])) as SfRecord;
    }

    async close(): Promise<void> {
        await this.chunks?.return?.(undefined);
    }
}

/** Resolves duplicates while re-reading the staging file: who superseded a record, if anyone. */
class DuplicateNames {
    private readonly losers: ReadonlyMap<number, string | number>;
    /** source ids of the winners named in duplicate rejects (only those are kept) */
    private readonly sourceOf = new Map<number, string>();

    constructor(losers: ReadonlyMap<number, string | number>) {
        this.losers = losers;
        for (const winner of losers.values())
            if (typeof winner === 'number') this.sourceOf.set(winner, '');
    }

    /** The source id of the record that superseded `staged`, or undefined (it is a winner). */
    supersededBy(staged: StagedHead): string | undefined {
        if (this.losers.size === 0) return undefined;
        if (this.sourceOf.has(staged.sequence)) this.sourceOf.set(staged.sequence, staged.sourceId);
        const lostTo = this.losers.get(staged.sequence);
        return typeof lostTo === 'number' ? this.sourceOf.get(lostTo) : lostTo;
    }
}

/**
 * The diff of one staged winner: counted, and written to `out` when it must be loaded. Its
 * record is read only then: most records of a run are unchanged, decided on the hash of the head
 * alone.
 */
async function diffRecord(
    entity: EntityTarget,
    head: StagedHead,
    records: StagedRecordLines,
    org: OrgIndex,
    tally: EntityTally,
    out: NdjsonWriter<Change>
): Promise<boolean> {
    const counts = tally.counts;
    const { hash } = head;
    if (org.hashIs(head.key, hash)) {
        counts.unchanged++;
        return false;
    }
    const existing = org.lookup(head.key);
    const action = decide(existing, hash);
    if (action === 'unchanged') {
        counts.unchanged++;
        return false;
    }
    const staged = await records.record(head.sequence);
    if (existing && entity.orgWins?.(existing.extra ?? [], staged)) {
        counts.conflicts++;
        return false;
    }
    if (action === 'create') counts.created++;
    else counts.updated++;
    const record = entity.hashField ? { ...staged, [entity.hashField]: hash } : staged;
    await out.write({ action, record });
    return true;
}

/** Diff: the staged winners that are new or changed go to `out`. */
async function diffStaged(
    entity: EntityTarget,
    staged: StagedFile,
    org: OrgIndex,
    tally: EntityTally,
    out: NdjsonWriter<Change>,
    startedAt: string
): Promise<{ count: number; maxUpdated: string; future: ChangeSet['future'] }> {
    const counts = tally.counts;
    const duplicates = new DuplicateNames(staged.winners.losers);
    let count = 0;
    let maxUpdated = '';
    const future = { count: 0, latest: '', example: '' };
    const records = new StagedRecordLines(staged.recordsPath);
    try {
        for await (const lines of lineBatches(staged.path)) {
            for (const line of lines) {
                if (!line) continue;
                const head = parseStagedHead(line);
                const winner = duplicates.supersededBy(head);
                if (winner !== undefined && entity.supersededIsHistory) {
                    counts.superseded = (counts.superseded ?? 0) + 1;
                    continue;
                }
                if (winner !== undefined) {
                    counts.rejected++;
                    tally.reject(
                        entity.maskKey(head.key),
                        `duplicate ${entity.externalId}: superseded by ${winner}, updated more recently`
                    );
                    continue;
                }
                counts.valid++;
                // the registry's clock: meta.lastUpdated (a consent's CaptureDate is another clock)
                const at = head.watermarkAt ?? head.updatedAt;
                if (at > startedAt) {
                    future.count++;
                    if (at > future.latest) future.latest = at;
                    future.example ||= head.sourceId;
                } else if (at > maxUpdated) maxUpdated = at;
                // the common case decided here, without a promise per record
                if (org.hashIs(head.key, head.hash)) counts.unchanged++;
                else if (await diffRecord(entity, head, records, org, tally, out)) count++;
            }
        }
    } finally {
        await records.close();
    }
    staged.winners.losers.clear();
    return { count, maxUpdated, future };
}

/** Deactivation: in a full run, Active records absent from the snapshot become ceased. */
async function planDeactivations(
    step: EntityStep,
    staged: StagedFile,
    org: OrgIndex,
    run: Pick<RunContext, 'config' | 'report'>,
    out: NdjsonWriter<Change>
): Promise<number> {
    const { entity, tally } = step;
    const status = entity.status!;
    const inSnapshot = (key: string) =>
        staged.winners.has(key) || staged.rejectedKeys.has(staged.fold(key));
    const absent = [...absentActive(org, inSnapshot, status.active)];
    const active = countStatus(org, status.active);
    const share = run.config.maxDeactivationShare;
    if (absent.length > 0 && absent.length > share * active && absent.length > 10) {
        run.report.warn(
            `${entity.name}: ${absent.length} of ${active} active records are missing from the snapshot, above maxDeactivationShare ${share}: no deactivation done (is the source complete?)`
        );
        return 0;
    }
    for (const key of absent) {
        tally.counts.deactivated++;
        // the hash is reset so a professional who comes back is rewritten in full
        const record: SfRecord = {
            [entity.externalId]: key,
            [status.field]: status.ceased,
            ...(entity.hashField ? { [entity.hashField]: 'deactivated' } : {})
        };
        await out.write({ action: 'deactivate', record });
    }
    return absent.length;
}

/** Stage 3: the changes to write, in `dir`/changes.ndjson. */
export async function planChanges(
    step: EntityStep,
    staged: StagedFile,
    org: OrgIndex,
    run: Pick<RunContext, 'config' | 'report'>
): Promise<ChangeSet> {
    const path = join(step.dir, 'changes.ndjson');
    const out = new NdjsonWriter<Change>(path);
    const diff = await diffStaged(
        step.entity,
        staged,
        org,
        step.tally,
        out,
        run.report.report.startedAt
    );
    let count = diff.count;
    if (step.full && step.entity.status)
        count += await planDeactivations(step, staged, org, run, out);
    await out.close();
    return { path, count, maxUpdated: diff.maxUpdated, future: diff.future };
}
