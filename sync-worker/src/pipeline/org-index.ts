// Diff: what exists in the org (Id, external id, SyncHash__c [, RegistryStatus__c]) versus the
// mapped snapshot. Pure helpers; the engine feeds them from one Bulk API 2.0 query per object.
import { Interner, KeyTable, grow } from '../util/key-table.ts';
import { syncHash } from './sync-hash.ts';
import type { SfRecord } from '../entities/professionals/map.ts';

/**
 * The org side of the diff, by external id. A Map of packed strings "id\thash\tstatus[\textra]"
 * works (tests use one) but costs ~250 bytes a record; runs use CompactIndex (~85 bytes).
 */
export type ExistingIndex = Map<string, string> | CompactIndex;

export interface Existing {
    id: string;
    hash: string;
    status: string;
    /** values of the entity's `orgFields` (e.g. a consent's CaptureDate and CaptureSource) */
    extra?: string[];
}

const SEP = '\u001f';

export function packExisting(e: Existing): string {
    const base = `${e.id}\t${e.hash}\t${e.status}`;
    return e.extra?.length ? `${base}\t${e.extra.join(SEP)}` : base;
}

export function unpackExisting(s: string | undefined): Existing | undefined {
    if (s === undefined) return undefined;
    const [id, hash, status, extra] = s.split('\t');
    return extra === undefined
        ? { id, hash, status }
        : { id, hash, status, extra: extra.split(SEP) };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The org's records in fixed-width columns: 18-byte Id, 32-byte sha256 (SyncHash__c as hex is
 * stored as binary), interned status; anything unusual (other hash formats, extra fields) in
 * small side maps. About 85 bytes a record with the key table, against ~250 for a Map.
 */
export class CompactIndex {
    private readonly keys: KeyTable;
    /** 1 where the org has the key (the key table may be shared with the engine's winners) */
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

    /** `keys`: share the engine's key table, so each fiscal code is stored once */
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

    put(key: string, e: Existing): void {
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
        if (e.id.length <= 18 && Buffer.byteLength(e.id) === e.id.length) {
            this.idLen[slot] = this.ids.write(e.id, slot * 18, 'latin1');
            this.otherId.delete(slot);
        } else {
            this.idLen[slot] = 0;
            this.otherId.set(slot, e.id);
        }
        this.otherHash.delete(slot);
        if (e.hash === '') this.hashMode[slot] = 0;
        else if (HEX64.test(e.hash)) {
            this.hashes.write(e.hash, slot * 32, 'hex');
            this.hashMode[slot] = 1;
        } else {
            this.hashMode[slot] = 2;
            this.otherHash.set(slot, e.hash);
        }
        this.status[slot] = this.statuses.id(e.status);
        if (e.extra) this.extras.set(slot, e.extra);
        else this.extras.delete(slot);
        if (this.present[slot] === 0) {
            this.present[slot] = 1;
            this.count++;
        }
    }

    private at(slot: number): Existing {
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

    lookup(key: string): Existing | undefined {
        const slot = this.slotOf(key);
        return slot < 0 ? undefined : this.at(slot);
    }

    /** [key, status] of every record, in insertion order. */
    *statusEntries(): IterableIterator<[string, string]> {
        for (let s = 0; s < this.keys.size && s < this.present.length; s++)
            if (this.present[s] === 1)
                yield [this.keys.key(s), this.statuses.values[this.status[s]]];
    }

    countStatus(values: readonly string[]): number {
        const codes = new Set(values.map((v) => this.statuses.id(v)));
        let n = 0;
        for (let s = 0; s < this.keys.size && s < this.present.length; s++)
            if (this.present[s] === 1 && codes.has(this.status[s])) n++;
        return n;
    }
}

/** The org's record for `key`, whichever kind of index holds it. */
export function existingOf(index: ExistingIndex, key: string): Existing | undefined {
    return index instanceof CompactIndex ? index.lookup(key) : unpackExisting(index.get(key));
}

export type Action = 'create' | 'update' | 'unchanged';

export function decide(existing: Existing | undefined, hash: string): Action {
    if (!existing) return 'create';
    return existing.hash === hash ? 'unchanged' : 'update';
}

/**
 * Index one org row. Normal runs trust SyncHash__c; `reconcile` recomputes the hash from the
 * real field values, so an edit made in the org shows up as a difference and is repaired.
 */
export function indexRow(
    index: ExistingIndex,
    row: Record<string, string>,
    o: {
        externalId: string;
        fields: readonly string[];
        statusField?: string;
        hashField?: string;
        reconcile: boolean;
        extraFields?: readonly string[];
    }
): void {
    const key = row[o.externalId];
    if (!key) return;
    const hash = o.reconcile
        ? syncHash(row as SfRecord, o.fields)
        : (row[o.hashField ?? 'SyncHash__c'] ?? '');
    const e: Existing = {
        id: row.Id,
        hash,
        status: o.statusField ? (row[o.statusField] ?? '') : ''
    };
    if (o.extraFields)
        e.extra = o.extraFields.map((f) => (row[f] ?? '').replace(/[\t\u001f]/g, ' '));
    if (index instanceof CompactIndex) index.put(key, e);
    else index.set(key, packExisting(e));
}

/** Keys of existing records in `activeValue` state that the full snapshot no longer contains. */
export function* absentActive(
    index: ExistingIndex,
    inSnapshot: (key: string) => boolean,
    activeValue: string | readonly string[]
): Iterable<string> {
    const active = typeof activeValue === 'string' ? [activeValue] : activeValue;
    if (index instanceof CompactIndex) {
        for (const [key, status] of index.statusEntries())
            if (active.includes(status) && !inSnapshot(key)) yield key;
        return;
    }
    for (const [key, packed] of index) {
        if (inSnapshot(key)) continue;
        if (active.includes(unpackExisting(packed)!.status)) yield key;
    }
}

export function countStatus(index: ExistingIndex, value: string | readonly string[]): number {
    const values = typeof value === 'string' ? [value] : value;
    if (index instanceof CompactIndex) return index.countStatus(values);
    let n = 0;
    for (const packed of index.values()) if (values.includes(unpackExisting(packed)!.status)) n++;
    return n;
}
