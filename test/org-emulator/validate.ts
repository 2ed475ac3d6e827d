// Write validation and DML with the status codes and message formats of a real org
// (see docs/org-emulator.md for where each one comes from).
import { normaliseId } from './ids.ts';
import { parentFieldOf, type ObjectPerms, type RowAccess, type UserAccess } from './permissions.ts';
import { orgRichText } from './rich-text.ts';
import type { FieldDef, ObjectDef } from './schema.ts';
import { Table, type Store, type Value } from './store.ts';
import type { ValidationRules } from './validation-rules.ts';

export interface RecordError {
    statusCode: string;
    message: string;
    fields: string[];
}

/** An error that fails the whole request: answered as [{errorCode, message, fields?}]. */
export class ApiError extends Error {
    readonly status: number;
    readonly errorCode: string;
    readonly fields?: string[];
    readonly headers?: Record<string, string>;
    constructor(
        status: number,
        errorCode: string,
        message: string,
        fields?: string[],
        headers?: Record<string, string>
    ) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = fields;
        this.headers = headers;
    }
}

export type Mode = 'json' | 'csv';
export type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

const err = (statusCode: string, message: string, fields: string[] = []): RecordError => ({
    statusCode,
    message,
    fields
});

class TypeProblem extends Error {}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL_RE =
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function parseDate(s: string): number | null {
    const m = DATE_RE.exec(s.trim()) ?? DATETIME_RE.exec(s.trim());
    if (!m) return null;
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    const d = new Date(t);
    if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
    return t;
}

export function parseDateTime(s: string): number | null {
    const m = DATETIME_RE.exec(s.trim());
    if (!m) return null;
    let t = Date.UTC(
        +m[1],
        +m[2] - 1,
        +m[3],
        +(m[4] ?? 0),
        +(m[5] ?? 0),
        +(m[6] ?? 0),
        +(m[7] ?? '0').padEnd(3, '0')
    );
    if (Number.isNaN(t) || new Date(t).getUTCDate() !== +m[3]) return null;
    if (m[8] && m[8] !== 'Z') {
        const sign = m[8][0] === '-' ? -1 : 1;
        const digits = m[8].slice(1).replace(':', '');
        t -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60000;
    }
    return t;
}

/** Converts an incoming value to the stored representation; throws TypeProblem. */
function convert(f: FieldDef, raw: unknown, mode: Mode): Value {
    if (raw === null || raw === undefined) return null;
    switch (f.type) {
        case 'boolean':
            if (typeof raw === 'boolean') return raw;
            if (typeof raw === 'string') {
                const s = raw.trim().toLowerCase();
                if (s === 'true' || s === '1' || (mode === 'csv' && s === 'yes')) return true;
                if (s === 'false' || s === '0' || (mode === 'csv' && s === 'no')) return false;
            }
            if (typeof raw === 'number' && mode === 'json' && (raw === 0 || raw === 1))
                return raw === 1;
            throw new TypeProblem();
        case 'int':
        case 'double':
        case 'currency':
        case 'percent': {
            const n =
                typeof raw === 'number'
                    ? raw
                    : typeof raw === 'string' && raw.trim() !== ''
                      ? Number(raw.trim())
                      : NaN;
            if (!Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n)))
                throw new TypeProblem();
            return n;
        }
        case 'date': {
            const t = typeof raw === 'string' ? parseDate(raw) : null;
            if (t === null) throw new TypeProblem();
            return t;
        }
        case 'datetime': {
            const t =
                typeof raw === 'string'
                    ? parseDateTime(raw)
                    : typeof raw === 'number' && mode === 'json'
                      ? raw
                      : null;
            if (t === null) throw new TypeProblem();
            return t;
        }
        default:
            if (typeof raw === 'object') throw new TypeProblem();
            return String(raw);
    }
}

export interface WriteContext {
    store: Store;
    now: number;
    /** the user whose write it is: the owner of what it creates, whose permissions apply */
    userId: string;
    access: UserAccess;
    /** record access of that user for this call */
    rows: RowAccess;
    /** Apex system mode (white-box writes of the org's own code): no object, field or record
     *  access check; validation rules still apply */
    systemMode?: boolean;
    rules?: ValidationRules;
    /** decides, per record, whether an injected UNABLE_TO_LOCK_ROW hits it */
    lockFault?: () => boolean;
    /** decides, per parent id, whether other work holds it (children fail UNABLE_TO_LOCK_ROW) */
    parentLock?: (parentId: string) => boolean;
}

interface Prepared {
    obj: ObjectDef;
    table: Table;
    row: number; // -1 for an insert
    values: Map<FieldDef, Value>;
    errors: RecordError[];
    id: string | null;
}

export interface DmlResult {
    id: string | null;
    success: boolean;
    errors: RecordError[];
    created?: boolean;
}

export interface DmlItem {
    obj: ObjectDef;
    input: Record<string, unknown>;
}

function unknownField(obj: ObjectDef, name: string, mode: Mode): ApiError {
    if (mode === 'csv') return new ApiError(400, 'InvalidBatch', `Field name not found : ${name}`);
    return new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on sobject of type ${obj.name}`
    );
}

function describeValue(v: unknown): string {
    return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Validates one field value; returns an error or the converted value. */
function checkValue(
    ctx: WriteContext,
    f: FieldDef,
    raw: unknown,
    mode: Mode
): RecordError | { value: Value } {
    let value: Value;
    try {
        value = convert(f, raw, mode);
    } catch (e) {
        if (!(e instanceof TypeProblem)) throw e;
        if (mode === 'json') {
            const jt =
                typeof raw === 'string'
                    ? 'VALUE_STRING'
                    : typeof raw === 'number'
                      ? 'VALUE_NUMBER_INT'
                      : typeof raw === 'boolean'
                        ? 'VALUE_TRUE'
                        : 'START_OBJECT';
            const target =
                f.type === 'datetime'
                    ? 'datetime'
                    : f.type === 'date'
                      ? 'date'
                      : f.type === 'boolean'
                        ? 'boolean'
                        : f.type === 'int'
                          ? 'int'
                          : 'double';
            throw new ApiError(
                400,
                'JSON_PARSER_ERROR',
                `Cannot deserialize instance of ${target} from ${jt} value ${describeValue(raw)} or request may be missing a required field`
            );
        }
        return err(
            'INVALID_TYPE_ON_FIELD_IN_RECORD',
            `${f.label}: value not of required type: ${describeValue(raw)}`,
            [f.name]
        );
    }
    if (value === null) return { value };
    if (typeof value === 'string') {
        if (f.type === 'reference') return checkReference(ctx, f, value);
        if (f.type === 'email' && value !== '' && !EMAIL_RE.test(value)) {
            return err('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${value}`, [
                f.name
            ]);
        }
        if (
            f.type === 'picklist' &&
            f.restrictedPicklist &&
            value !== '' &&
            !f.picklistValues.some((p) => p.value === value)
        ) {
            return err(
                'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                `${f.label}: bad value for restricted picklist field: ${value}`,
                [f.name]
            );
        }
        if (f.type === 'multipicklist' && value !== '') {
            const parts = value
                .split(';')
                .map((s) => s.trim())
                .filter(Boolean);
            if (f.restrictedPicklist) {
                const bad = parts.find((p) => !f.picklistValues.some((v) => v.value === p));
                if (bad !== undefined)
                    return err(
                        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                        `${f.label}: bad value for restricted picklist field: ${bad}`,
                        [f.name]
                    );
            }
            // stored in the value set's order, whatever order was written (Knowledge Article
            // 000231088 "Multi-Select Picklist Value Ordering Behavior (UI vs SOQL)": SOQL,
            // Apex and the API return the values in the order they were created in Setup)
            const order = (v: string) => {
                const i = f.picklistValues.findIndex((p) => p.value === v);
                return i < 0 ? Number.MAX_SAFE_INTEGER : i;
            };
            value = [...new Set(parts)].sort((a, b) => order(a) - order(b)).join(';');
        }
        if (f.htmlFormatted && value !== '') value = orgRichText(value);
        if (value.length > f.length && f.length > 0) {
            return err(
                'STRING_TOO_LONG',
                `${f.label}: data value too large: ${value} (max length=${f.length})`,
                [f.name]
            );
        }
        if (value === '') value = null; // a real org stores empty text as null
    } else if (
        typeof value === 'number' &&
        ['double', 'currency', 'percent', 'int'].includes(f.type) &&
        f.precision > 0
    ) {
        const factor = 10 ** f.scale;
        value = Math.round(value * factor) / factor;
        if (Math.abs(value) >= 10 ** (f.precision - f.scale)) {
            return err(
                'NUMBER_OUTSIDE_VALID_RANGE',
                `${f.label}: value outside of valid range on numeric field: ${describeValue(raw)}`,
                [f.name]
            );
        }
    }
    return { value };
}

function checkReference(
    ctx: WriteContext,
    f: FieldDef,
    value: string
): RecordError | { value: Value } {
    if (value === '') return { value: null };
    const id18 = normaliseId(value);
    if (!id18)
        return err('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
    const target = ctx.store.schema.byPrefix.get(id18.slice(0, 3));
    if (!target || !f.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())) {
        return err(
            'FIELD_INTEGRITY_EXCEPTION',
            `${f.label}: id value of incorrect type: ${value}`,
            [f.name]
        );
    }
    const loc = ctx.store.locate(id18);
    if (!loc) return err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
    if (!loc.table.isLive(loc.row)) return err('ENTITY_IS_DELETED', 'entity is deleted', [f.name]);
    // a lookup to a record the user cannot see (REST API Developer Guide, "Status Codes and
    // Error Responses": INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY)
    if (!ctx.systemMode && !ctx.rows.canRead(loc.table, loc.row))
        return err(
            'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
            'insufficient access rights on cross-reference id',
            [f.name]
        );
    return { value: id18 };
}

/** Resolves `Account: {OrgCode__c: 'X'}` / `Account.OrgCode__c` to the parent's id. */
function resolveForeignKey(
    ctx: WriteContext,
    f: FieldDef,
    parentType: string | undefined,
    extName: string,
    extValue: unknown,
    mode: Mode
): RecordError | { value: Value } {
    const name = parentType ?? f.referenceTo[0] ?? '';
    const parent = ctx.systemMode ? ctx.store.schema.get(name) : ctx.access.schemaView.get(name);
    if (!parent)
        throw new ApiError(400, 'INVALID_FIELD', `Cannot reference ${parentType} from ${f.name}`);
    const ext = parent.byName.get(extName.toLowerCase());
    if (!ext || !(ext.externalId || ext.idLookup)) {
        const msg = `${extName} is not a valid external id or lookup field on ${parent.name}`;
        if (mode === 'csv')
            throw new ApiError(
                400,
                'InvalidBatch',
                `Field name not found : ${f.relationshipName}.${extName}`
            );
        throw new ApiError(400, 'INVALID_FIELD', msg);
    }
    if (extValue === null || extValue === undefined || extValue === '') return { value: null };
    const text = String(extValue);
    const table = ctx.store.table(parent);
    let rows: number[];
    if (ext.type === 'id') {
        const loc = ctx.store.locate(text);
        rows = loc && loc.table === table && table.isLive(loc.row) ? [loc.row] : [];
    } else rows = table.lookup(ext, text);
    // the parent is looked up among the records the user can see
    if (!ctx.systemMode) rows = rows.filter((r) => ctx.rows.canRead(table, r));
    if (rows.length === 0) {
        return err(
            'INVALID_FIELD',
            `Foreign key external ID: ${text} not found for field ${ext.name} in entity ${parent.name}`,
            [f.name]
        );
    }
    if (rows.length > 1) {
        return err(
            'INVALID_FIELD',
            `Foreign key external ID: ${text} matches multiple records for field ${ext.name} in entity ${parent.name}`,
            [f.name]
        );
    }
    return { value: table.idOf(rows[0]) };
}

/** The field can be written: by its nature (createable / updateable) and by field-level
 *  security (a field the user reads but may not edit answers INVALID_FIELD_FOR_INSERT_UPDATE,
 *  "Please check the security settings of this field"). */
function writable(ctx: WriteContext, obj: ObjectDef, f: FieldDef, forInsert: boolean): boolean {
    if (!(forInsert ? f.createable : f.updateable)) return false;
    return ctx.systemMode === true || ctx.access.canEditField(obj, f);
}

/**
 * Turns one incoming record into stored values. `input` keys are field names, relationship
 * names with a nested object (JSON) or `Rel.ExtField` columns (CSV). `#N/A` (CSV) nulls.
 */
function prepareValues(
    ctx: WriteContext,
    obj: ObjectDef,
    input: Record<string, unknown>,
    mode: Mode,
    forInsert: boolean,
    skip: Set<string>
): { values: Map<FieldDef, Value>; errors: RecordError[] } {
    const values = new Map<FieldDef, Value>();
    const errors: RecordError[] = [];
    const notWritable: string[] = [];
    for (const [key, rawIn] of Object.entries(input)) {
        if (key === 'attributes' || skip.has(key.toLowerCase())) continue;
        let raw = rawIn;
        if (mode === 'csv') {
            if (raw === '') continue; // Bulk API ignores empty cells
            if (raw === '#N/A') raw = null;
        }
        const dot = key.indexOf('.');
        if (
            dot > 0 ||
            (mode === 'json' && raw !== null && typeof raw === 'object' && !Array.isArray(raw))
        ) {
            // relationship by external id
            let relName = dot > 0 ? key.slice(0, dot) : key;
            let parentType: string | undefined;
            const colon = relName.indexOf(':'); // polymorphic `What:Account.Ext__c`
            if (colon > 0) {
                parentType = relName.slice(0, colon);
                relName = relName.slice(colon + 1);
            }
            const f = obj.byRelationship.get(relName.toLowerCase());
            if (!f) throw unknownField(obj, key, mode);
            let extName: string;
            let extValue: unknown;
            if (dot > 0) {
                extName = key.slice(dot + 1);
                extValue = raw;
            } else {
                const nested = raw as Record<string, unknown>;
                parentType =
                    (nested.attributes as { type?: string } | undefined)?.type ?? parentType;
                const keys = Object.keys(nested).filter((k) => k !== 'attributes');
                if (keys.length !== 1)
                    throw new ApiError(
                        400,
                        'INVALID_FIELD',
                        `Foreign key reference ${key} must name exactly one external id field`
                    );
                extName = keys[0];
                extValue = nested[extName];
            }
            if (!writable(ctx, obj, f, forInsert)) {
                notWritable.push(f.name);
                continue;
            }
            const r = resolveForeignKey(ctx, f, parentType, extName, extValue, mode);
            if ('value' in r) values.set(f, r.value);
            else errors.push(r);
            continue;
        }
        const f = obj.byName.get(key.toLowerCase());
        if (!f) throw unknownField(obj, key, mode);
        if (f.type === 'id') continue;
        if (!writable(ctx, obj, f, forInsert)) {
            notWritable.push(f.name);
            continue;
        }
        const r = checkValue(ctx, f, raw, mode);
        if ('value' in r) values.set(f, r.value);
        else errors.push(r);
    }
    if (notWritable.length) {
        errors.unshift(
            err(
                'INVALID_FIELD_FOR_INSERT_UPDATE',
                `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
                notWritable
            )
        );
    }
    return { values, errors };
}

function missingRequired(
    obj: ObjectDef,
    values: Map<FieldDef, Value>,
    table: Table,
    row: number
): RecordError | null {
    const missing: string[] = [];
    for (const f of obj.fields) {
        if (!f.required) continue;
        const v = values.has(f) ? values.get(f) : row >= 0 ? table.get(row, f) : null;
        if (v === null || v === undefined || v === '') missing.push(f.name);
    }
    return missing.length
        ? err(
              'REQUIRED_FIELD_MISSING',
              `Required fields are missing: [${missing.join(', ')}]`,
              missing
          )
        : null;
}

function idError(value: unknown): RecordError {
    return err('MALFORMED_ID', `malformed id ${describeValue(value)}`, ['Id']);
}

/** Locates the record an update/delete names; a RecordError when it cannot. */
function target(
    ctx: WriteContext,
    obj: ObjectDef | null,
    rawId: unknown,
    op: string
): { table: Table; row: number; id: string; obj: ObjectDef } | RecordError {
    if (rawId === undefined || rawId === null || rawId === '')
        return err('MISSING_ARGUMENT', `Id not specified in an ${op} call`, []);
    const id18 = normaliseId(String(rawId));
    if (!id18) return idError(rawId);
    const loc = ctx.store.locate(id18);
    if (obj && id18.slice(0, 3) !== obj.keyPrefix)
        return err(
            'MALFORMED_ID',
            `${obj.label} ID: id value of incorrect type: ${String(rawId)}`,
            ['Id']
        );
    if (!loc) return err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
    if (!loc.table.isLive(loc.row) && op !== 'hardDelete')
        return err('ENTITY_IS_DELETED', 'entity is deleted', []);
    return { ...loc, obj: loc.table.obj };
}

export interface DmlOptions {
    mode: Mode;
    allOrNone: boolean;
    /** upsert key (field name); 'Id' is allowed */
    extField?: string;
}

/**
 * Runs one DML call over a batch of records, in two phases: validate everything against the
 * current data (and the batch itself, for unique values), then apply. With allOrNone, any
 * failure rolls back the whole batch.
 */
export function dml(
    ctx: WriteContext,
    op: Operation,
    items: DmlItem[],
    opts: DmlOptions
): DmlResult[] {
    const prepared: Prepared[] = [];
    const { store } = ctx;
    // duplicate external ids inside one upsert batch fail every row that carries them
    const extCounts = new Map<string, number>();
    let extDef: FieldDef | undefined;
    if (op === 'upsert') {
        const obj = items[0]?.obj;
        if (obj) {
            extDef = obj.byName.get((opts.extField ?? 'Id').toLowerCase());
            if (!extDef || !(extDef.externalId || extDef.idLookup)) {
                throw new ApiError(
                    404,
                    'NOT_FOUND',
                    `Provided external ID field does not exist or is not accessible: ${opts.extField}`
                );
            }
            // REST API Developer Guide, "Upsert Records Using sObject Rows by External ID": a
            // unique index needs no special permission ("The Unique attribute prevents the
            // creation of duplicates"); a non-unique one needs "View All Data" (the SOAP API's
            // refusal: "Upsert requires view all data on a non-unique custom index")
            if (!ctx.systemMode && extDef.custom && !extDef.unique && !ctx.access.viewAllData)
                throw new ApiError(
                    400,
                    'INSUFFICIENT_ACCESS',
                    'Upsert requires view all data on a non-unique custom index'
                );
            for (const it of items) {
                const v = lookupKey(it.input, extDef.name);
                if (v !== undefined && v !== null && v !== '') {
                    const k = Table.key(extDef, String(v));
                    extCounts.set(k, (extCounts.get(k) ?? 0) + 1);
                }
            }
        }
    }
    for (const it of items) {
        const table = store.table(it.obj);
        const p: Prepared = {
            obj: it.obj,
            table,
            row: -1,
            values: new Map(),
            errors: [],
            id: null
        };
        prepared.push(p);
        const idRaw = lookupKey(it.input, 'Id');
        if (op === 'delete' || op === 'hardDelete') {
            const t = target(ctx, null, idRaw, op);
            if ('statusCode' in t) p.errors.push(t);
            else {
                p.row = t.row;
                p.table = t.table;
                p.obj = t.obj;
                p.id = t.id;
                if (
                    !t.obj.deletable ||
                    !allowed(ctx, t.obj, 'delete', () => ctx.rows.canDelete(t.table, t.row))
                )
                    p.errors.push(noAccess());
            }
            continue;
        }
        if (op === 'update') {
            const t = target(ctx, it.obj, idRaw, 'update');
            if ('statusCode' in t) {
                p.errors.push(t);
                continue;
            }
            p.row = t.row;
            p.id = t.id;
            if (!allowed(ctx, it.obj, 'edit', () => ctx.rows.canEdit(t.table, t.row))) {
                p.errors.push(noAccess());
                continue;
            }
        } else if (op === 'upsert') {
            const raw = lookupKey(it.input, extDef!.name);
            if (raw === undefined || raw === null || raw === '') {
                p.errors.push(err('MISSING_ARGUMENT', `${extDef!.name} not specified`, []));
                continue;
            }
            const text = String(raw);
            if ((extCounts.get(Table.key(extDef!, text)) ?? 0) > 1) {
                // the same key twice in one call (one collections call, one internal bulk
                // batch) is DUPLICATE_VALUE; DUPLICATE_EXTERNAL_ID is for a key that matches
                // several stored records (../shared/docs/salesforce-api.md, medium confidence)
                p.errors.push(
                    err('DUPLICATE_VALUE', `Duplicate external id specified: ${text}`, [
                        extDef!.name
                    ])
                );
                continue;
            }
            if (extDef!.type === 'id') {
                const t = target(ctx, it.obj, text, 'upsert');
                if ('statusCode' in t) {
                    p.errors.push(t);
                    continue;
                }
                p.row = t.row;
                p.id = t.id;
            } else {
                // the records the user cannot see are not matched: the row is then inserted,
                // and a unique external id refuses the duplicate (DUPLICATE_VALUE below)
                const rows = table
                    .lookup(extDef!, text)
                    .filter((r) => ctx.systemMode || ctx.rows.canRead(table, r));
                if (rows.length > 1) {
                    p.errors.push(
                        err(
                            'DUPLICATE_EXTERNAL_ID',
                            `${extDef!.label}: more than one record found for external id field: [${rows.map((r) => table.idOf(r)).join(', ')}]`,
                            [extDef!.name]
                        )
                    );
                    continue;
                }
                if (rows.length === 1) {
                    p.row = rows[0];
                    p.id = table.idOf(rows[0]);
                }
            }
        } else if (op === 'insert' && idRaw !== undefined && idRaw !== null && idRaw !== '') {
            p.errors.push(
                err('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', [
                    'Id'
                ])
            );
            continue;
        }
        if (op === 'insert' && !it.obj.createable) {
            p.errors.push(
                err(
                    'INSUFFICIENT_ACCESS_OR_READONLY',
                    `insufficient access rights on cross-reference id`,
                    []
                )
            );
            continue;
        }
        const forInsert = p.row < 0;
        if (forInsert && !allowed(ctx, it.obj, 'create', () => true)) {
            p.errors.push(noAccess());
            continue;
        }
        if (
            op === 'upsert' &&
            !forInsert &&
            !allowed(ctx, it.obj, 'edit', () => ctx.rows.canEdit(table, p.row))
        ) {
            p.errors.push(noAccess());
            continue;
        }
        const skip = new Set<string>(['id']);
        const { values, errors } = prepareValues(ctx, it.obj, it.input, opts.mode, forInsert, skip);
        // the upsert key itself is written on insert and unchanged on update
        if (op === 'upsert' && extDef && extDef.type !== 'id' && !forInsert) values.delete(extDef);
        p.values = values;
        p.errors.push(...errors);
        if (p.errors.length === 0) {
            const missing = missingRequired(it.obj, values, table, p.row);
            if (missing) p.errors.push(missing);
        }
        if (p.errors.length === 0) {
            const parent = parentAccess(ctx, table, p.row, values);
            if (parent) p.errors.push(parent);
        }
        if (p.errors.length === 0 && ctx.rules) {
            const broken = ctx.rules.check({
                obj: table.obj,
                table,
                row: p.row,
                values,
                hasCustomPermission: (name) => ctx.access.hasCustomPermission(name)
            });
            if (broken) p.errors.push(broken);
        }
    }
    // unique values: against stored rows and against the rest of the batch
    const claims = new Map<string, number>();
    prepared.forEach((p, i) => {
        if (p.errors.length || op === 'delete' || op === 'hardDelete') return;
        for (const [f, v] of p.values) {
            if (!f.unique || v === null) continue;
            const rows = p.table.lookup(f, v).filter((r) => r !== p.row);
            const claimKey = `${p.obj.name}.${f.name}=${Table.key(f, v)}`;
            if (rows.length) {
                p.errors.push(
                    err(
                        'DUPLICATE_VALUE',
                        `duplicate value found: ${f.name} duplicates value on record with id: ${p.table.idOf(rows[0])}`,
                        [f.name]
                    )
                );
            } else if (claims.has(claimKey)) {
                p.errors.push(
                    err(
                        'DUPLICATE_VALUE',
                        `duplicate value found: ${f.name} duplicates value on record with id: <unknown>`,
                        [f.name]
                    )
                );
            } else claims.set(claimKey, i);
        }
    });
    if (ctx.parentLock) lockedParents(ctx.parentLock, prepared);
    if (ctx.lockFault) {
        for (const p of prepared) {
            if (p.errors.length === 0 && p.row >= 0 && ctx.lockFault()) {
                p.errors.push(
                    err(
                        'UNABLE_TO_LOCK_ROW',
                        `unable to obtain exclusive access to this record or 1 records: ${p.id}`,
                        []
                    )
                );
            }
        }
    }
    const failed = prepared.some((p) => p.errors.length);
    if (opts.allOrNone && failed) {
        return prepared.map((p) => ({
            id: null,
            success: false,
            errors: p.errors.length
                ? p.errors
                : [
                      err(
                          'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                          'Record rolled back because not all records were valid and the request was using AllOrNone header',
                          []
                      )
                  ],
            ...(op === 'upsert' ? { created: false } : {})
        }));
    }
    return prepared.map((p) => {
        if (p.errors.length)
            return {
                id: op === 'delete' || op === 'hardDelete' ? p.id : null,
                success: false,
                errors: p.errors,
                ...(op === 'upsert' ? { created: false } : {})
            };
        if (op === 'delete') {
            cascade(ctx, p.table, p.row, false);
            p.table.softDelete(p.row, ctx.now);
            return { id: p.id, success: true, errors: [] };
        }
        if (op === 'hardDelete') {
            cascade(ctx, p.table, p.row, true);
            p.table.hardDelete(p.row);
            return { id: p.id, success: true, errors: [] };
        }
        if (p.row < 0) {
            const row = p.table.insert(p.values, ctx.now, ctx.userId);
            return {
                id: p.table.idOf(row),
                success: true,
                errors: [],
                ...(op === 'upsert' ? { created: true } : {})
            };
        }
        p.table.update(p.row, p.values, ctx.now, ctx.userId);
        return {
            id: p.id,
            success: true,
            errors: [],
            ...(op === 'upsert' ? { created: false } : {})
        };
    });
}

/** "insufficient access rights on object id": the record (or the object) is not the user's to
 *  write (REST API Developer Guide, "Status Codes and Error Responses"). */
function noAccess(): RecordError {
    return err('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
}

/** The object permission `perm` and, through `record`, the access to the record itself. */
function allowed(
    ctx: WriteContext,
    obj: ObjectDef,
    perm: keyof Pick<ObjectPerms, 'create' | 'edit' | 'delete'>,
    record: () => boolean
): boolean {
    if (ctx.systemMode) return true;
    return ctx.access.objectPerms(obj)[perm] && record();
}

/**
 * Controlled by Parent (a Contact of an Account, a master-detail child): writing the record
 * with a new parent needs edit access to the parent (read access when the master-detail field
 * has `writeRequiresMasterRead`); otherwise INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY.
 */
function parentAccess(
    ctx: WriteContext,
    table: Table,
    row: number,
    values: ReadonlyMap<FieldDef, Value>
): RecordError | null {
    if (ctx.systemMode || ctx.access.all) return null;
    if (ctx.access.sharingModel(table.obj) !== 'ControlledByParent') return null;
    const field = parentFieldOf(table.obj);
    if (!field || !values.has(field)) return null;
    const parentId = values.get(field);
    if (typeof parentId !== 'string') return null;
    if (row >= 0 && table.get(row, field) === parentId) return null;
    const loc = ctx.store.locate(parentId);
    if (!loc) return null;
    const ok = field.writeRequiresMasterRead
        ? ctx.rows.canRead(loc.table, loc.row)
        : ctx.rows.canEdit(loc.table, loc.row);
    return ok
        ? null
        : err(
              'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
              'insufficient access rights on cross-reference id',
              [field.name]
          );
}

/**
 * Lock contention clustered by parent (Bulk API 2.0 Developer Guide, "Organize Data to Minimize
 * Lock Contention": creating or updating a child locks its parent for the transaction): a
 * record — inserted or updated — whose lookup points to a parent held by other work fails
 * UNABLE_TO_LOCK_ROW naming the parent.
 */
function lockedParents(parentLock: (parentId: string) => boolean, prepared: Prepared[]): void {
    for (const p of prepared) {
        if (p.errors.length) continue;
        for (const f of p.obj.fields) {
            if (f.type !== 'reference' || f.referenceTo.includes('User')) continue;
            const value = p.values.has(f)
                ? p.values.get(f)
                : p.row >= 0
                  ? p.table.get(p.row, f)
                  : null;
            if (typeof value !== 'string' || !parentLock(value)) continue;
            p.errors.push(
                err(
                    'UNABLE_TO_LOCK_ROW',
                    `unable to obtain exclusive access to this record or 1 records: ${value}`,
                    []
                )
            );
            break;
        }
    }
}

/** Master-detail children go with their parent (to the recycle bin, or for good). */
function cascade(ctx: WriteContext, table: Table, row: number, hard: boolean): void {
    const id = table.idOf(row);
    for (const rel of table.obj.childRelationships) {
        if (!rel.cascadeDelete) continue;
        const child = ctx.store.table(rel.childSObject);
        const f = child.obj.byName.get(rel.field.toLowerCase())!;
        for (let r = 0; r < child.size; r++) {
            if (child.exists(r) && child.get(r, f) === id) {
                if (hard) child.hardDelete(r);
                else child.softDelete(r, ctx.now);
            }
        }
    }
}

function lookupKey(input: Record<string, unknown>, name: string): unknown {
    if (name in input) return input[name];
    const lower = name.toLowerCase();
    for (const k of Object.keys(input)) if (k.toLowerCase() === lower) return input[k];
    return undefined;
}
