// Stage 2, what the org has (OrgIndex): the org's copy of each record by external id (Id,
// SyncHash__c or the real values, status), read after the source with one Bulk query per object,
// or by key in small incremental runs; kept in fixed-width columns over the staged key table.
import type { EntityTarget } from '../entities/types.ts';
import type { FieldSet } from '../entities/fields.ts';
import { learnDailyAllowance } from '../salesforce/limits.ts';
import { bulkQuery, queryByKeys } from '../salesforce/query.ts';
import type { SfRecord } from '../salesforce/record.ts';
import { Interner, KeyTable, grow } from '../util/key-table.ts';
import type { EntityStep, RunContext } from './context.ts';
import { absentFields, type StagedFile } from './stage.ts';
import { syncHash } from './sync-hash.ts';

/** The org's copy of one record. */
export interface OrgRecord {
    id: string;
    hash: string;
    status: string;
    /** values of the entity's `orgFields` (e.g. a consent's CaptureDate and CaptureSource) */
    extra?: string[];
}

/** The value of a lower-case hex digit by character code (0-9, a-f), -1 for anything else: the
 *  test of /^[0-9a-f]{64}$/ and the hex decoding in one pass over the hash (issue 22). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let v = 0; v < 16; v++) HEX_VALUE['0123456789abcdef'.charCodeAt(v)] = v;
const NO_STATUS = Symbol('no status yet');

/**
 * The org's records in fixed-width columns: 18-byte Id, 32-byte sha256 (SyncHash__c as hex is
 * stored as binary), interned status; anything unusual (other hash formats, extra fields) in
 * small side maps. About 85 bytes a record with the key table, against ~250 for a Map.
 */
export class OrgIndex {
    private readonly keys: KeyTable;
    /** 1 where the org has the key (the key table may be shared with the staged winners) */
    private present = new Uint8Array(1 << 16);
    private count = 0;
    private ids = Buffer.alloc(18 << 16);
    private idLen = new Uint8Array(1 << 16);
    private hashes = Buffer.alloc(32 << 16);
    /** 0 = '', 1 = 64 hex digits stored in `hashes`, 2 = in `otherHash` */
    private hashMode = new Uint8Array(1 << 16);
    private status = new Uint16Array(1 << 16);
    private readonly statuses = new Interner();
    private readonly otherHash = new Map<number, string>();
    private readonly otherId = new Map<number, string>();
    private readonly extras = new Map<number, string[]>();

    /** `keys`: share the staged file's key table, so each fiscal code is stored once */
    constructor(keys?: KeyTable) {
        this.keys = keys ?? new KeyTable(1 << 16);
    }

    get size(): number {
        return this.count;
    }

    private slotOf(key: string): number {
        const s = this.keys.get(key);
        return s >= 0 && s < this.present.length && this.present[s] === 1 ? s : -1;
    }

    has(key: string): boolean {
        return this.slotOf(key) >= 0;
    }

    /** The spelling the run uses for `key` (the first seen: the registry's when it has the
     *  key), for keys the org compares without case. */
    spelling(key: string): string {
        const slot = this.keys.get(key);
        return slot >= 0 ? this.keys.key(slot) : key;
    }

    put(key: string, record: OrgRecord): void {
        const slot = this.keys.add(key);
        if (slot >= this.present.length) {
            const n = this.keys.size;
            this.present = grow(this.present, n);
            this.idLen = grow(this.idLen, n);
            this.hashMode = grow(this.hashMode, n);
            this.status = grow(this.status, n);
            const ids = Buffer.alloc(this.idLen.length * 18);
            this.ids.copy(ids);
            this.ids = ids;
            const hashes = Buffer.alloc(this.idLen.length * 32);
            this.hashes.copy(hashes);
            this.hashes = hashes;
        }
        const id = record.id;
        if (id.length <= 18 && this.putAsciiId(slot, id)) {
            this.idLen[slot] = id.length;
            this.otherId.delete(slot);
        } else {
            this.idLen[slot] = 0;
            this.otherId.set(slot, id);
        }
        this.otherHash.delete(slot);
        const hash = record.hash;
        if (hash === '') this.hashMode[slot] = 0;
        else if (this.putHexHash(slot, hash)) this.hashMode[slot] = 1;
        else {
            this.hashMode[slot] = 2;
            this.otherHash.set(slot, hash);
        }
        // the status of the record before is the usual one (a run's rows are mostly Active)
        if (record.status !== this.lastStatus) {
            this.lastStatus = record.status;
            this.lastStatusId = this.statuses.id(record.status);
        }
        this.status[slot] = this.lastStatusId;
        if (record.extra) this.extras.set(slot, record.extra);
        else this.extras.delete(slot);
        if (this.present[slot] === 0) {
            this.present[slot] = 1;
            this.count++;
        }
    }

    /** the status of the last record put and its interned id (none yet: NO_STATUS) */
    private lastStatus: unknown = NO_STATUS;
    private lastStatusId = 0;

    /** Writes `id` (at most 18 characters) at `slot` when it is ASCII (one byte a character);
     *  false, leaving the slot's bytes unused, when it is not. */
    private putAsciiId(slot: number, id: string): boolean {
        const ids = this.ids;
        const at = slot * 18;
        for (let i = 0; i < id.length; i++) {
            const c = id.charCodeAt(i);
            if (c >= 128) return false;
            ids[at + i] = c;
        }
        return true;
    }

    /** Writes `hash` at `slot` as 32 bytes when it is 64 lower-case hex digits; false (the
     *  slot's bytes then unused) when it is anything else. */
    private putHexHash(slot: number, hash: string): boolean {
        if (typeof hash !== 'string' || hash.length !== 64) return false;
        const hashes = this.hashes;
        const at = slot * 32;
        for (let i = 0; i < 32; i++) {
            const a = hash.charCodeAt(2 * i);
            const b = hash.charCodeAt(2 * i + 1);
            const hi = a < 128 ? HEX_VALUE[a] : -1;
            const lo = b < 128 ? HEX_VALUE[b] : -1;
            if ((hi | lo) < 0) return false;
            hashes[at + i] = (hi << 4) | lo;
        }
        return true;
    }

    private at(slot: number): OrgRecord {
        const len = this.idLen[slot];
        const id = len
            ? this.ids.toString('latin1', slot * 18, slot * 18 + len)
            : this.otherId.get(slot)!;
        const mode = this.hashMode[slot];
        const hash =
            mode === 1
                ? this.hashes.toString('hex', slot * 32, slot * 32 + 32)
                : mode === 2
                  ? this.otherHash.get(slot)!
                  : '';
        const status = this.statuses.values[this.status[slot]];
        const extra = this.extras.get(slot);
        return extra ? { id, hash, status, extra } : { id, hash, status };
    }

    /** Whether the org has `key` with exactly this hash (the common case of a run, decided
     *  without building an OrgRecord). */
    hashIs(key: string, hash: string): boolean {
        const slot = this.slotOf(key);
        if (slot < 0) return false;
        switch (this.hashMode[slot]) {
            case 1:
                return (
                    hash.length === 64 &&
                    this.hashes.toString('hex', slot * 32, slot * 32 + 32) === hash
                );
            case 2:
                return this.otherHash.get(slot) === hash;
            default:
                return hash === '';
        }
    }

    lookup(key: string): OrgRecord | undefined {
        const slot = this.slotOf(key);
        return slot < 0 ? undefined : this.at(slot);
    }

    /** [key, status] of every record, in insertion order. */
    *statusEntries(): IterableIterator<[string, string]> {
        for (let s = 0; s < this.keys.size && s < this.present.length; s++)
            if (this.present[s] === 1)
                yield [this.keys.key(s), this.statuses.values[this.status[s]]];
    }

    /** The keys whose status is one of `values`, in insertion order. */
    *keysWithStatus(values: readonly string[]): IterableIterator<string> {
        const wanted = new Uint8Array(this.statuses.values.length);
        this.statuses.values.forEach((v, i) => (wanted[i] = values.includes(v) ? 1 : 0));
        for (let s = 0; s < this.keys.size && s < this.present.length; s++)
            if (this.present[s] === 1 && wanted[this.status[s]] === 1) yield this.keys.key(s);
    }

    countStatus(values: readonly string[]): number {
        const codes = new Set(values.map((v) => this.statuses.id(v)));
        let n = 0;
        for (let s = 0; s < this.keys.size && s < this.present.length; s++)
            if (this.present[s] === 1 && codes.has(this.status[s])) n++;
        return n;
    }
}

export interface IndexRowOptions {
    externalId: string;
    fields: FieldSet;
    statusField?: string;
    hashField?: string;
    /** recompute the hash from the real values instead of trusting the hash field */
    reconcile: boolean;
    extraFields?: readonly string[];
    /** reconcile: the fields the registry's record of `key` does not write (a rejected part):
     *  left out of the comparison, so the org's value (kept on purpose) is no difference */
    notWritten?: (key: string) => readonly string[] | undefined;
}

/**
 * Index one org row. Normal runs trust SyncHash__c; `reconcile` recomputes the hash from the
 * real field values, so an edit made in the org shows up as a difference and is repaired.
 */
export function indexRow(
    index: OrgIndex,
    row: Record<string, string>,
    options: IndexRowOptions
): void {
    const key = row[options.externalId];
    if (!key) return;
    // compared as the org stores it: the external id is matched without case (the registry's
    // "course-1" is the org's "Course-1"), so its spelling is no difference
    let compared: Record<string, string> = row;
    const kept = options.reconcile ? options.notWritten?.(key) : undefined;
    if (options.reconcile) {
        compared = { ...row, [options.externalId]: index.spelling(key) };
        for (const field of kept ?? []) delete compared[field];
    }
    const hash = options.reconcile
        ? syncHash(compared as SfRecord, options.fields)
        : (row[options.hashField ?? 'SyncHash__c'] ?? '');
    const record: OrgRecord = {
        id: row.Id,
        hash,
        status: options.statusField ? (row[options.statusField] ?? '') : ''
    };
    if (options.extraFields)
        record.extra = options.extraFields.map((f) => (row[f] ?? '').replace(/[\t\u001f]/g, ' '));
    index.put(key, record);
}

/** Keys of existing records in `activeValue` state that the full snapshot no longer contains. */
export function* absentActive(
    index: OrgIndex,
    inSnapshot: (key: string) => boolean,
    activeValue: string | readonly string[]
): Iterable<string> {
    const active = typeof activeValue === 'string' ? [activeValue] : activeValue;
    for (const key of index.keysWithStatus(active)) if (!inSnapshot(key)) yield key;
}

export function countStatus(index: OrgIndex, value: string | readonly string[]): number {
    return index.countStatus(typeof value === 'string' ? [value] : value);
}

/** The fields to read: the hash (or every field when values are compared), status, extras. */
function queryFields(entity: EntityTarget, compareValues: boolean): string[] {
    const status = entity.status ? [entity.status.field] : [];
    const fields = compareValues
        ? ['Id', ...new Set([entity.externalId, ...entity.fields.names, ...status])]
        : ['Id', entity.externalId, entity.hashField!, ...status];
    for (const f of entity.orgFields ?? []) if (!fields.includes(f)) fields.push(f);
    return fields;
}

/**
 * Reads what the org has of `entity` into an OrgIndex sharing the staged key table. An
 * incremental run only needs the org's copy of the records it read (the changed ones): when
 * they are few, REST queries on their external ids instead of the whole object. A full run
 * needs every record (deactivation), --reconcile keeps the Bulk read of the real values.
 */
export async function readOrgIndex(
    step: EntityStep,
    staged: StagedFile,
    run: RunContext
): Promise<OrgIndex> {
    const { entity, full } = step;
    const { client, config } = run;
    const index = new OrgIndex(staged.keys);
    const compareValues = run.reconcile || !entity.hashField;
    const onRow = (row: Record<string, string>) =>
        indexRow(index, row, {
            externalId: entity.externalId,
            fields: entity.fields,
            statusField: entity.status?.field,
            hashField: entity.hashField,
            reconcile: compareValues,
            extraFields: entity.orgFields,
            notWritten: (key) => {
                const mask = staged.winners.absentMask(key);
                return mask ? absentFields(entity.fields, mask) : undefined;
            }
        });
    const stagedKeys = staged.keys.size;
    const targeted =
        !full && !run.reconcile && !!entity.targetedRead && stagedKeys <= config.targetedReadMax;
    const select = `SELECT ${queryFields(entity, compareValues).join(', ')} FROM ${entity.object}`;
    const rows = targeted
        ? await queryByKeys(client, select, entity.externalId, staged.keys.keys(), onRow, {
              concurrency: config.concurrency
          })
        : await bulkQuery(client, `${select} WHERE ${entity.externalId} != null`, onRow, run.bulk);
    run.logger.info(
        {
            event: 'org-read',
            entity: entity.name,
            object: entity.object,
            records: rows,
            via: targeted ? 'keys' : 'bulk',
            ...(targeted ? { keys: stagedKeys } : {})
        },
        'existing records indexed'
    );
    await learnDailyAllowance(client);
    return index;
}
