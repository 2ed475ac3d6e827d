// Stage 1, extract -> validate -> map -> stage (StagedFile): the entity's mapped records are
// written with their sync hash to local files in source order (heads and records apart); rejects are counted and
// reported; a compact table keeps each key's winner (the most recently updated record, the
// first on a tie).
import { join } from 'node:path';
import type { FieldSet } from '../entities/fields.ts';
import type { EntityTally, Produced, RejectInfo } from '../entities/types.ts';
import type { SfRecord } from '../salesforce/record.ts';
import { KeyTable, grow } from '../util/key-table.ts';
import { canonicalTime } from '../util/instant.ts';
import { NdjsonWriter } from '../util/ndjson-file.ts';
import { checkStop, type EntityStep, type RunContext } from './context.ts';
import { syncHash } from './sync-hash.ts';

/** What the staging file keeps of a record besides the record itself. */
export interface StagedHead {
    /** 1, 2, 3... in source order */
    sequence: number;
    /** external id */
    key: string;
    updatedAt: string;
    sourceId: string;
    /** the record's sync hash (sync-hash.ts), computed once while staging */
    hash: string;
    /** the registry's meta.lastUpdated when updatedAt is another clock (consents) */
    watermarkAt?: string;
}

/** One record of the staging file. */
export interface StagedRecord extends StagedHead {
    record: SfRecord;
}

/**
 * A line of the staging file: the head as a JSON array. The records are in a file of their own
 * (StagedFile.recordsPath), one a line in the same order (line n holds the record of sequence
 * n), so the plan reads a record only when it has to write it: an unchanged record is decided on
 * its head alone, and a run that changes nothing never reads the records back.
 */
export function stagedHeadLine(head: StagedHead): string {
    const { sequence, key, updatedAt, sourceId, hash, watermarkAt } = head;
    const fields = [sequence, key, updatedAt, sourceId, hash];
    if (watermarkAt !== undefined) fields.push(watermarkAt);
    return JSON.stringify(fields);
}

/** The head of a staging line (see stagedHeadLine). */
export function parseStagedHead(line: string): StagedHead {
    const [sequence, key, updatedAt, sourceId, hash, watermarkAt] = JSON.parse(line) as [
        number,
        string,
        string,
        string,
        string,
        string | undefined
    ];
    const head: StagedHead = { sequence, key, updatedAt, sourceId, hash };
    if (watermarkAt !== undefined) head.watermarkAt = watermarkAt;
    return head;
}

/**
 * The winner of each key: ~40 bytes a record (key table slot -> winner's sequence number and
 * updatedAt in ms), and the losers (few) with whom they lost to.
 */
export class Winners {
    /** key -> slot; shared with the org index, which adds the keys only the org has. Keys are
     *  matched as the org matches them (case-insensitively unless the entity says otherwise) */
    readonly keys: KeyTable;
    private sequence = new Uint32Array(1 << 16);
    private updatedAt = new Float64Array(1 << 16);
    /** the winner's declared fields it does not write (bit i = field i): the org keeps them */
    private absent = new Uint32Array(1 << 16);
    /** loser's sequence -> the winner's source id, or the winner's sequence (its source id is
     *  read back from the staging file, where the winner comes first) */
    readonly losers = new Map<number, string | number>();

    constructor(caseSensitive = false) {
        this.keys = new KeyTable(1 << 16, { caseInsensitive: !caseSensitive });
    }

    /** Records `sequence` for `key`: it wins when it was updated more recently. `absent`: the
     *  bit mask of the declared fields the record does not write. */
    offer(key: string, sequence: number, updatedAt: string, sourceId: string, absent = 0): void {
        const parsed = updatedAt ? instantTime(updatedAt) : NaN;
        const at = Number.isNaN(parsed) ? -Infinity : parsed;
        const known = this.keys.size;
        const slot = this.keys.add(key);
        if (slot >= this.sequence.length) {
            this.sequence = grow(this.sequence, slot + 1);
            this.updatedAt = grow(this.updatedAt, slot + 1);
            this.absent = grow(this.absent, slot + 1);
        }
        if (slot < known) {
            // a duplicate key: the most recently updated record wins, the first on a tie
            if (at > this.updatedAt[slot]) {
                this.losers.set(this.sequence[slot], sourceId);
                this.sequence[slot] = sequence;
                this.updatedAt[slot] = at;
                this.absent[slot] = absent;
            } else {
                this.losers.set(sequence, this.sequence[slot]);
            }
        } else {
            this.sequence[slot] = sequence;
            this.updatedAt[slot] = at;
            this.absent[slot] = absent;
        }
    }

    /** The bit mask of the declared fields the winner of `key` does not write (0: none). */
    absentMask(key: string): number {
        const slot = this.keys.get(key);
        return slot >= 0 && slot < this.absent.length ? this.absent[slot] : 0;
    }

    /** Whether `key` is in the snapshot (the key table may hold org-only keys too). */
    has(key: string): boolean {
        const slot = this.keys.get(key);
        return slot >= 0 && slot < this.sequence.length && this.sequence[slot] > 0;
    }
}

/**
 * Date.parse(value) (issue 22, stop 26: a canonical instant, the usual updatedAt, is read by
 * hand, in ~60% of Date.parse's time; any other text goes to Date.parse).
 */
export function instantTime(value: string): number {
    const time = canonicalTime(value);
    return Number.isNaN(time) ? Date.parse(value) : time;
}

/** What stage 1 hands on: the staging file and the winners of its keys. */
export interface StagedFile {
    /** the heads (stagedHeadLine), in source order */
    path: string;
    /** the records, one a line in the same order (see StagedRecordLines in plan.ts) */
    recordsPath: string;
    winners: Winners;
    keys: KeyTable;
    /** keys of rejected or suppressed records (as `fold` gives them): still in the registry,
     *  never deactivated */
    rejectedKeys: Set<string>;
    /** a key as the org compares it (lower case unless the external id is case-sensitive) */
    fold(key: string): string;
}

/** A key as the org compares it: the entity's external id is case-insensitive by default. */
export function keyFold(caseSensitive: boolean | undefined): (key: string) => string {
    return caseSensitive ? (key) => key : (key) => key.toLowerCase();
}

/** The bit mask of the declared fields (the first 32) `record` does not write. */
export function absentMask(fields: FieldSet, record: Readonly<Record<string, unknown>>): number {
    let mask = 0;
    const names = fields.names;
    for (let i = 0; i < names.length && i < 32; i++) if (!(names[i] in record)) mask |= 1 << i;
    return mask >>> 0;
}

/** The field names of a mask built by absentMask. */
export function absentFields(fields: FieldSet, mask: number): string[] {
    const out: string[] = [];
    const names = fields.names;
    for (let i = 0; i < names.length && i < 32; i++) if (mask & (1 << i)) out.push(names[i]);
    return out;
}

/** Counts one non-record result (suppressed, reject); its key is kept from deactivation. */
function countRejected(
    tally: EntityTally,
    result: Exclude<Produced, { ok: true }>,
    rejectedKeys: Set<string>,
    fold: (key: string) => string
): void {
    if ('suppressed' in result) {
        // an erased subject: counted, nothing listed, staged or written
        tally.counts.suppressed++;
        if (result.matchKey) rejectedKeys.add(fold(result.matchKey));
        return;
    }
    if (!('related' in result)) {
        tally.counts.read++;
        tally.counts.rejected++;
    }
    if ('matchKey' in result && result.matchKey) rejectedKeys.add(fold(result.matchKey));
    const { part, group, hint } = result as RejectInfo;
    tally.reject(result.key, result.reason, { part, group, hint });
}

/** Bytes the staging files are written in (issue 22, stop 26: ~50 MB at 100k professionals,
 *  written 64 KiB at a time, cost 20-30 ms more CPU in the stream's work per write). */
const STAGE_WRITE_CHUNK = 1 << 18;

/** Stage 1: writes the produced records to `dir`/staged.ndjson (heads) and
 *  staged-records.ndjson, counting and reporting. */
export async function stageRecords(
    step: EntityStep,
    produced: AsyncIterable<Produced>,
    run: Pick<RunContext, 'progress' | 'signal'>
): Promise<StagedFile> {
    const { entity, tally } = step;
    const path = join(step.dir, 'staged.ndjson');
    const recordsPath = join(step.dir, 'staged-records.ndjson');
    const out = new NdjsonWriter<never>(path, STAGE_WRITE_CHUNK);
    const records = new NdjsonWriter<never>(recordsPath, STAGE_WRITE_CHUNK);
    const winners = new Winners(entity.externalIdCaseSensitive);
    const fold = keyFold(entity.externalIdCaseSensitive);
    const rejectedKeys = new Set<string>();
    let sequence = 0;
    run.progress?.start(`${entity.name}: reading`, 0);
    for await (const result of produced) {
        if (!result.ok) {
            countRejected(tally, result, rejectedKeys, fold);
            continue;
        }
        tally.counts.read++;
        sequence++;
        if (sequence % 5000 === 0) {
            run.progress?.update(sequence);
            checkStop(run.signal, `while reading ${entity.name} (nothing of it written yet)`);
        }
        const absent = absentMask(entity.fields, result.record);
        winners.offer(result.key, sequence, result.updatedAt, result.sourceId, absent);
        const { key, updatedAt, sourceId, record, watermarkAt } = result;
        const hash = syncHash(record, entity.fields);
        const head = { sequence, key, updatedAt, sourceId, hash, watermarkAt };
        const a = out.writeLine(stagedHeadLine(head));
        if (a) await a;
        const b = records.writeLine(JSON.stringify(record));
        if (b) await b;
    }
    await out.close();
    await records.close();
    run.progress?.stop();
    return { path, recordsPath, winners, keys: winners.keys, rejectedKeys, fold };
}
