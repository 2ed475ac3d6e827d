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

/**
 * The lookup field a relationship sets: `Account` -> `AccountId` (standard relationships are the
 * field without `Id`), `Parent__r` -> `Parent__c` (custom ones end in `__r` for a `__c` field).
 */
export function lookupFieldOf(relationship: string): string {
    return relationship.endsWith('__r') ? `${relationship.slice(0, -3)}__c` : `${relationship}Id`;
}

/**
 * Text as the worker writes it: line breaks as LF only. A raw CR in a Bulk upload made with
 * lineEnding LF fails the whole job ("ClientInputError : LineEnding is invalid on user data"),
 * and the hash compares what the org stores.
 */
export function orgText(value: string): string {
    return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

/**
 * Collections body record: relationship columns become nested objects; a null relationship
 * clears the lookup (`"AccountId": null`: REST API Developer Guide, "Update a Record": set a
 * field to null to clear it), other nulls stay null.
 */
export function toCollectionRecord(object: string, record: SfRecord): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: object } };
    for (const [column, value] of Object.entries(record)) {
        const relationship = splitRelationshipColumn(column);
        const text = value === null ? null : orgText(value);
        if (!relationship) out[column] = text;
        else if (text !== null) out[relationship[0]] = { [relationship[1]]: text };
        else out[lookupFieldOf(relationship[0])] = null;
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
