// SyncHash__c: sha256 (hex) of a canonical serialisation of an entity's registry-owned fields,
// compared with the org's copy to decide what changed. Values are compared as the org stores
// them: date-times as instants, line breaks as LF, multi-select values whatever their order (the
// org returns them in the value set's order), rich text as a Rich Text Area keeps it.
import { hash } from 'node:crypto';
import type { FieldSet, FieldType } from '../entities/fields.ts';
import { parseSalesforceDateTime } from '../salesforce/datetime.ts';
import { orgText, type SfRecord } from '../salesforce/record.ts';
import { storedRichText } from '../salesforce/rich-text.ts';
import { isCanonicalInstant } from '../util/instant.ts';

/** A field set's canonical form, prepared once: sorted names, their types, and the [name, value]
 *  pairs that each record fills in turn (one array for every record: no allocation per record). */
interface Canon {
    names: readonly string[];
    types: readonly (FieldType | undefined)[];
    pairs: [string, string | null][];
    /** whether normalizeAs gives a text value of the field as orgText does (not for date-times,
     *  multi-select values and rich text) */
    plain: readonly boolean[];
}

const canons = new WeakMap<FieldSet, Canon>();

function canonOf(fields: FieldSet): Canon {
    let canon = canons.get(fields);
    if (!canon) {
        const names = fields.sortedNames;
        canon = {
            names,
            types: names.map((name) => fields.typeOf(name)),
            pairs: names.map((name) => [name, null]),
            plain: names.map((name) => {
                const type = fields.typeOf(name);
                return type !== 'datetime' && type !== 'multipicklist' && type !== 'html';
            })
        };
        canons.set(fields, canon);
    }
    return canon;
}

/**
 * Canonical form: fields sorted by name, each as [name, value] with empty/undefined -> null,
 * serialised with JSON.stringify. Field order and missing-vs-null do not change the hash.
 */
export function canonical(record: SfRecord, fields: FieldSet): string {
    const { names, types, pairs, plain } = canonOf(fields);
    for (let i = 0; i < names.length; i++) {
        const value = record[names[i]];
        // a text without CR, or a canonical instant, is its own normal form (issue 22: the
        // usual value skips normalizeAs)
        pairs[i][1] =
            typeof value === 'string' &&
            value !== '' &&
            (plain[i]
                ? value.indexOf('\r') < 0
                : types[i] === 'datetime' && isCanonicalInstant(value))
                ? value
                : normalizeAs(types[i], value);
    }
    const text = JSON.stringify(pairs);
    for (const pair of pairs) pair[1] = null;
    return text;
}

export function syncHash(record: SfRecord, fields: FieldSet): string {
    return hash('sha256', canonical(record, fields), 'hex');
}

/** Make org-side values (CSV strings) comparable with mapped ones (used by --reconcile). */
export function normalizeValue(
    fields: FieldSet,
    name: string,
    value: string | null | undefined
): string | null {
    return normalizeAs(fields.typeOf(name), value);
}

function normalizeAs(type: FieldType | undefined, value: string | null | undefined): string | null {
    if (value === undefined || value === null || value === '') return null;
    if (type === 'datetime' && !isCanonicalInstant(value) && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        const time = parseSalesforceDateTime(value);
        return Number.isNaN(time) ? value : new Date(time).toISOString();
    }
    if (type === 'multipicklist' && value.includes(';'))
        return [...new Set(value.split(';').map((v) => v.trim()))].sort().join(';');
    if (type === 'html') return storedRichText(orgText(value)) || null;
    return orgText(value);
}
