// A Salesforce record as the worker handles it: a flat map of field -> text, where a lookup
// set through the parent's external id is one relationship column `Relationship.ExternalId__c`
// (Bulk API 2.0's CSV convention), nested only when a REST body needs it.

/** A record to write or read: flat field map; relationship columns as `Relationship.Field`. */
export type SfRecord = Record<string, string | null>;

/** The column that sets a lookup through the parent's external id: `Account.OrgCode__c`. */
export function relationshipColumn(relationship: string, externalIdField: string): string {
    return `${relationship}.${externalIdField}`;
}

/** [relationship, field] of a relationship column, or undefined for a plain field. */
export function splitRelationshipColumn(column: string): [string, string] | undefined {
    const dot = column.indexOf('.');
    return dot > 0 ? [column.slice(0, dot), column.slice(dot + 1)] : undefined;
}

export function isRelationshipColumn(column: string): boolean {
    return column.includes('.');
}

/** Collections body record: relationship columns become nested objects, nulls stay null. */
export function toCollectionRecord(object: string, record: SfRecord): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: object } };
    for (const [column, value] of Object.entries(record)) {
        const relationship = splitRelationshipColumn(column);
        if (!relationship) out[column] = value;
        else if (value !== null) out[relationship[0]] = { [relationship[1]]: value };
    }
    return out;
}

/**
 * REST query JSON as the Bulk CSV gives it: relationship fields as `Account.OrgCode__c`,
 * null as '', other values as strings; `attributes` dropped.
 */
export function flattenRecord(
    record: Record<string, unknown>,
    prefix = '',
    out: Record<string, string> = {}
): Record<string, string> {
    for (const [field, value] of Object.entries(record)) {
        if (field === 'attributes') continue;
        const name = prefix + field;
        if (value === null || value === undefined) out[name] = '';
        else if (typeof value === 'object')
            flattenRecord(value as Record<string, unknown>, `${name}.`, out);
        else out[name] = String(value);
    }
    return out;
}
