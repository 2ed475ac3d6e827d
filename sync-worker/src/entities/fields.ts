// The fields an entity writes, declared with their type (and the length of text fields): the
// sync hash normalises date-times by type, the mappers reject text longer than its field.
import { relationshipColumn } from '../salesforce/record.ts';

export type FieldType =
    | 'text'
    | 'picklist'
    /** values separated by `;`, returned by the org in the value set's order */
    | 'multipicklist'
    | 'date'
    | 'datetime'
    | 'number'
    | 'boolean'
    | 'html'
    /** a lookup set through the parent's external id (a relationship column) */
    | 'reference';

export interface Field {
    readonly name: string;
    readonly type: FieldType;
    /** text fields: values longer than this are rejected, never truncated */
    readonly maxLength?: number;
}

export const field = {
    text: (name: string, maxLength?: number): Field => ({ name, type: 'text', maxLength }),
    picklist: (name: string): Field => ({ name, type: 'picklist' }),
    multipicklist: (name: string): Field => ({ name, type: 'multipicklist' }),
    date: (name: string): Field => ({ name, type: 'date' }),
    datetime: (name: string): Field => ({ name, type: 'datetime' }),
    number: (name: string): Field => ({ name, type: 'number' }),
    boolean: (name: string): Field => ({ name, type: 'boolean' }),
    html: (name: string, maxLength?: number): Field => ({ name, type: 'html', maxLength }),
    /** `Account.OrgCode__c`: the lookup `relationship` set by the parent's `externalIdField` */
    reference: (relationship: string, externalIdField: string): Field => ({
        name: relationshipColumn(relationship, externalIdField),
        type: 'reference'
    })
};

/** An entity's registry-owned fields, in load (CSV column) order. */
export class FieldSet {
    readonly fields: readonly Field[];
    /** the names in declaration order */
    readonly names: readonly string[];
    /** the names sorted (the sync hash's canonical order) */
    readonly sortedNames: readonly string[];
    private readonly byName: ReadonlyMap<string, Field>;
    /** the text fields with a length, in declaration order (the ones tooLong checks) */
    private readonly limited: readonly (Field & { maxLength: number })[];

    constructor(fields: readonly Field[]) {
        this.fields = fields;
        this.names = fields.map((f) => f.name);
        this.sortedNames = [...this.names].sort();
        this.byName = new Map(fields.map((f) => [f.name, f]));
        this.limited = fields.filter(
            (f): f is Field & { maxLength: number } => f.maxLength !== undefined
        );
    }

    has(name: string): boolean {
        return this.byName.has(name);
    }

    typeOf(name: string): FieldType | undefined {
        return this.byName.get(name)?.type;
    }

    /** The first value longer than its field allows: `<field>: longer than N characters`. */
    tooLong(record: Readonly<Record<string, string | null>>): string | undefined {
        const limited = this.limited;
        for (let i = 0; i < limited.length; i++) {
            const f = limited[i];
            const value = record[f.name];
            if (typeof value === 'string' && value.length > f.maxLength)
                return `${f.name}: longer than ${f.maxLength} characters (got ${value.length})`;
        }
        return undefined;
    }
}
