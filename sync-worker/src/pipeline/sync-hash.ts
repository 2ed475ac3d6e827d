// SyncHash__c: sha256 (hex) of a canonical serialisation of an entity's registry-owned fields,
// compared with the org's copy to decide what changed. Values are compared as the org stores
// them: date-times as instants, line breaks as LF, multi-select values whatever their order (the
// org returns them in the value set's order), rich text as a Rich Text Area keeps it.
import { createHash } from 'node:crypto';
import type { FieldSet } from '../entities/fields.ts';
import { parseSalesforceDateTime } from '../salesforce/datetime.ts';
import { orgText, type SfRecord } from '../salesforce/record.ts';
import { storedRichText } from '../salesforce/rich-text.ts';

/**
 * Canonical form: fields sorted by name, each as [name, value] with empty/undefined -> null,
 * serialised with JSON.stringify. Field order and missing-vs-null do not change the hash.
 */
export function canonical(record: SfRecord, fields: FieldSet): string {
    return JSON.stringify(
        fields.sortedNames.map((name) => [name, normalizeValue(fields, name, record[name])])
    );
}

export function syncHash(record: SfRecord, fields: FieldSet): string {
    return createHash('sha256').update(canonical(record, fields)).digest('hex');
}

/** Make org-side values (CSV strings) comparable with mapped ones (used by --reconcile). */
export function normalizeValue(
    fields: FieldSet,
    name: string,
    value: string | null | undefined
): string | null {
    if (value === undefined || value === null || value === '') return null;
    const type = fields.typeOf(name);
    if (type === 'datetime' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        const time = parseSalesforceDateTime(value);
        return Number.isNaN(time) ? value : new Date(time).toISOString();
    }
    if (type === 'multipicklist' && value.includes(';'))
        return [...new Set(value.split(';').map((v) => v.trim()))].sort().join(';');
    if (type === 'html') return storedRichText(orgText(value)) || null;
    return orgText(value);
}
