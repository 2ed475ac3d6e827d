// SyncHash__c: sha256 (hex) of a canonical serialisation of the mapped registry-owned fields.
import { createHash } from 'node:crypto';
import type { SfRecord } from '../entities/professionals/map.ts';

/**
 * Canonical form: fields sorted by name, each as [name, value] with empty/undefined -> null,
 * serialised with JSON.stringify. Field order and missing-vs-null do not change the hash.
 */
export function canonical(record: SfRecord, fields: readonly string[]): string {
    let sorted = SORTED.get(fields);
    if (!sorted) SORTED.set(fields, (sorted = [...fields].sort()));
    return JSON.stringify(sorted.map((f) => [f, normalizeValue(f, record[f])]));
}

// hot path (once per record and run): sorted field lists and instant-field tests are cached
const SORTED = new WeakMap<readonly string[], string[]>();
const INSTANT_FIELD = new Map<string, boolean>();
function isInstantField(field: string): boolean {
    let yes = INSTANT_FIELD.get(field);
    if (yes === undefined) {
        yes = /LastUpdated__c$|At__c$|^EffectiveFrom$|^EffectiveTo$|^CaptureDate$/.test(field);
        INSTANT_FIELD.set(field, yes);
    }
    return yes;
}

export function syncHash(record: SfRecord, fields: readonly string[]): string {
    return createHash('sha256').update(canonical(record, fields)).digest('hex');
}

/** Make org-side values (CSV strings) comparable with mapped ones (used by --reconcile). */
export function normalizeValue(field: string, v: string | null | undefined): string | null {
    if (v === undefined || v === null || v === '') return null;
    if (isInstantField(field) && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
        const d = new Date(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
        return Number.isNaN(d.getTime()) ? v : d.toISOString();
    }
    return v;
}
