// Diff: what exists in the org (Id, external id, SyncHash__c [, RegistryStatus__c]) versus the
// mapped snapshot. Pure helpers; the engine feeds them from one Bulk API 2.0 query per object.
import { syncHash } from './hash.ts';
import type { SfRecord } from './mapping.ts';

/** Compact per-record index entry: "id\thash\tstatus[\textra]" (about 100 bytes a record). */
export type ExistingIndex = Map<string, string>;

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
    index.set(
        key,
        packExisting({
            id: row.Id,
            hash,
            status: o.statusField ? (row[o.statusField] ?? '') : '',
            extra: o.extraFields?.map((f) => (row[f] ?? '').replace(/[\t\u001f]/g, ' '))
        })
    );
}

/** Keys of existing records in `activeValue` state that the full snapshot no longer contains. */
export function* absentActive(
    index: ExistingIndex,
    inSnapshot: (key: string) => boolean,
    activeValue: string | readonly string[]
): Iterable<string> {
    const active = typeof activeValue === 'string' ? [activeValue] : activeValue;
    for (const [key, packed] of index) {
        if (inSnapshot(key)) continue;
        if (active.includes(unpackExisting(packed)!.status)) yield key;
    }
}

export function countStatus(index: ExistingIndex, value: string | readonly string[]): number {
    const values = typeof value === 'string' ? [value] : value;
    let n = 0;
    for (const packed of index.values()) if (values.includes(unpackExisting(packed)!.status)) n++;
    return n;
}
