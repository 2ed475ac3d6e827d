// In-memory, column-oriented record storage. One Table per object; each field is a column
// (Float64Array for numbers and dates, Int8Array for booleans, a plain array for text), so a
// million Contacts cost a few hundred bytes each. Row n of a table has the id made from the
// table's key prefix and counter n + 1, so lookups by id need no index.
import { idCounter, makeId, normaliseId } from './ids.ts';
import { ENTITY_DEFINITION, seedMetadata } from './metadata.ts';
import { ADMIN_USER, INTEGRATION_USER, type UserSpec } from './permissions.ts';
import type { FieldDef, ObjectDef, Schema } from './schema.ts';

export type Value = string | number | boolean | null;

const LIVE = 0;
const DELETED = 1; // in the recycle bin: visible to queryAll only
const PURGED = 2; // hard deleted or emptied from the recycle bin

type Column =
    | { kind: 'num'; data: Float64Array }
    | { kind: 'bool'; data: Int8Array }
    | { kind: 'str'; data: (string | null)[] };

function isNumeric(f: FieldDef): boolean {
    return ['int', 'double', 'currency', 'percent', 'date', 'datetime'].includes(f.type);
}

export class Table {
    readonly obj: ObjectDef;
    size = 0;
    liveCount = 0;
    deletedCount = 0;
    private capacity = 0;
    state = new Uint8Array(0);
    private columns = new Map<string, Column>();
    /** lower-case field name -> (normalised value -> row or rows) */
    readonly indexes = new Map<string, Map<string, number | number[]>>();
    readonly autoNumbers = new Map<string, number>();

    constructor(obj: ObjectDef) {
        this.obj = obj;
        for (const f of obj.fields) {
            if (f.type === 'id') continue;
            if (f.unique || f.externalId || f.idLookup)
                this.indexes.set(f.name.toLowerCase(), new Map());
        }
    }

    idOf(row: number): string {
        return makeId(this.obj.keyPrefix, row + 1);
    }

    rowOf(id18: string): number {
        const n = idCounter(id18);
        if (n < 1 || n > this.size) return -1;
        return n - 1;
    }

    private grow(min: number): void {
        if (min <= this.capacity) return;
        const cap = Math.max(min, this.capacity * 2, 1024);
        const st = new Uint8Array(cap);
        st.set(this.state);
        this.state = st;
        for (const col of this.columns.values()) {
            if (col.kind === 'num') {
                const d = new Float64Array(cap).fill(NaN);
                d.set(col.data);
                col.data = d;
            } else if (col.kind === 'bool') {
                const d = new Int8Array(cap).fill(-1);
                d.set(col.data);
                col.data = d;
            }
        }
        this.capacity = cap;
    }

    private column(f: FieldDef, create: boolean): Column | undefined {
        const key = f.name.toLowerCase();
        let col = this.columns.get(key);
        if (!col && create) {
            if (isNumeric(f))
                col = { kind: 'num', data: new Float64Array(this.capacity).fill(NaN) };
            else if (f.type === 'boolean')
                col = { kind: 'bool', data: new Int8Array(this.capacity).fill(-1) };
            else col = { kind: 'str', data: [] };
            this.columns.set(key, col);
        }
        return col;
    }

    get(row: number, f: FieldDef): Value {
        if (f.name === 'IsDeleted') return this.state[row] !== LIVE;
        if (
            f.calculated ||
            (!f.createable &&
                !f.custom &&
                !f.autoNumber &&
                (f.name === 'Name' || f.name === 'IsClosed'))
        ) {
            return this.derived(row, f);
        }
        const col = this.columns.get(f.name.toLowerCase());
        if (!col) return f.type === 'boolean' ? Boolean(f.defaultValue) : null;
        if (col.kind === 'num') {
            const v = col.data[row];
            return Number.isNaN(v) ? null : v;
        }
        if (col.kind === 'bool') {
            const v = col.data[row];
            return v < 0 ? Boolean(f.defaultValue) : v === 1;
        }
        return col.data[row] ?? null;
    }

    /** Values a real org computes: compound names, closed flags; formulas are not evaluated. */
    private derived(row: number, f: FieldDef): Value {
        const by = this.obj.byName;
        if (f.name === 'Name' && by.has('lastname')) {
            const first = this.get(row, by.get('firstname')!);
            const last = this.get(row, by.get('lastname')!);
            return [first, last].filter((v) => v !== null && v !== '').join(' ') || null;
        }
        if (f.name === 'IsClosed' && by.has('status')) {
            const status = this.get(row, by.get('status')!);
            return status === 'Closed' || status === 'Completed';
        }
        return null;
    }

    set(row: number, f: FieldDef, value: Value): void {
        const key = f.name.toLowerCase();
        const index = this.indexes.get(key);
        if (index) {
            const old = this.get(row, f);
            if (old !== null && this.state[row] === LIVE) this.unindex(index, f, old, row);
            if (value !== null && this.state[row] === LIVE) this.index(index, f, value, row);
        }
        const col = this.column(f, value !== null)!;
        if (!col) return;
        if (col.kind === 'num') col.data[row] = value === null ? NaN : (value as number);
        else if (col.kind === 'bool') col.data[row] = value === null ? -1 : value ? 1 : 0;
        else {
            const data = col.data;
            while (data.length < row) data.push(null);
            data[row] = value as string | null;
        }
    }

    /**
     * The index key of a value. A custom field matches case-insensitively only when it is
     * Unique and not case-sensitive (Apex Developer Guide, "Upserting Records": "Custom field
     * matching is case-insensitive only if the custom field has the Unique and Treat "ABC" and
     * "abc" as duplicate values (case insensitive) attributes"); standard fields as before.
     */
    static key(f: FieldDef, value: Value): string {
        const s = String(value);
        const insensitive = f.custom ? f.unique && !f.caseSensitive : !f.caseSensitive;
        return insensitive ? s.toLowerCase() : s;
    }

    private index(
        index: Map<string, number | number[]>,
        f: FieldDef,
        value: Value,
        row: number
    ): void {
        const k = Table.key(f, value);
        const cur = index.get(k);
        if (cur === undefined) index.set(k, row);
        else if (typeof cur === 'number') index.set(k, [cur, row]);
        else cur.push(row);
    }

    private unindex(
        index: Map<string, number | number[]>,
        f: FieldDef,
        value: Value,
        row: number
    ): void {
        const k = Table.key(f, value);
        const cur = index.get(k);
        if (cur === undefined) return;
        if (typeof cur === 'number') {
            if (cur === row) index.delete(k);
        } else {
            const rest = cur.filter((r) => r !== row);
            if (rest.length === 0) index.delete(k);
            else index.set(k, rest.length === 1 ? rest[0] : rest);
        }
    }

    /** Live rows whose indexed field equals value. */
    lookup(f: FieldDef, value: Value): number[] {
        const index = this.indexes.get(f.name.toLowerCase());
        if (!index) {
            const out: number[] = [];
            const k = Table.key(f, value);
            for (let r = 0; r < this.size; r++) {
                const v = this.get(r, f);
                if (this.state[r] === LIVE && v !== null && Table.key(f, v) === k) out.push(r);
            }
            return out;
        }
        const cur = index.get(Table.key(f, value));
        return cur === undefined ? [] : typeof cur === 'number' ? [cur] : [...cur];
    }

    isLive(row: number): boolean {
        return this.state[row] === LIVE;
    }

    isDeleted(row: number): boolean {
        return this.state[row] === DELETED;
    }

    exists(row: number): boolean {
        return row >= 0 && row < this.size && this.state[row] !== PURGED;
    }

    insert(values: Map<FieldDef, Value>, now: number, userId: string): number {
        const row = this.size;
        this.grow(row + 1);
        this.size++;
        this.state[row] = LIVE;
        this.liveCount++;
        for (const [f, v] of values) this.set(row, f, v);
        for (const f of this.obj.fields) {
            if (f.autoNumber) {
                const n = (this.autoNumbers.get(f.name) ?? 0) + 1;
                this.autoNumbers.set(f.name, n);
                this.set(row, f, formatAutoNumber(this.obj.autoNumberFormat ?? '{00000000}', n));
            } else if (
                !values.has(f) &&
                f.defaultValue !== null &&
                f.defaultValue !== undefined &&
                f.type !== 'boolean'
            ) {
                this.set(row, f, f.defaultValue as Value);
            }
        }
        const sys = this.obj.byName;
        for (const name of ['createddate', 'lastmodifieddate', 'systemmodstamp']) {
            const f = sys.get(name);
            if (f) this.set(row, f, now);
        }
        for (const name of ['createdbyid', 'lastmodifiedbyid']) {
            const f = sys.get(name);
            if (f) this.set(row, f, userId);
        }
        const owner = sys.get('ownerid');
        if (owner && !values.has(owner)) this.set(row, owner, userId);
        return row;
    }

    update(row: number, values: Map<FieldDef, Value>, now: number, userId: string): void {
        for (const [f, v] of values) this.set(row, f, v);
        const sys = this.obj.byName;
        for (const name of ['lastmodifieddate', 'systemmodstamp']) {
            const f = sys.get(name);
            if (f) this.set(row, f, now);
        }
        const by = sys.get('lastmodifiedbyid');
        if (by) this.set(row, by, userId);
    }

    private unindexRow(row: number): void {
        for (const [key, index] of this.indexes) {
            const f = this.obj.byName.get(key)!;
            const v = this.get(row, f);
            if (v !== null) this.unindex(index, f, v, row);
        }
    }

    softDelete(row: number, now: number): void {
        if (this.state[row] !== LIVE) return;
        this.unindexRow(row);
        this.state[row] = DELETED;
        this.liveCount--;
        this.deletedCount++;
        const f = this.obj.byName.get('systemmodstamp');
        if (f) this.set(row, f, now);
    }

    hardDelete(row: number): void {
        if (this.state[row] === LIVE) {
            this.unindexRow(row);
            this.liveCount--;
        } else if (this.state[row] === DELETED) this.deletedCount--;
        this.state[row] = PURGED;
    }
}

function formatAutoNumber(format: string, n: number): string {
    return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
}

export class Store {
    readonly schema: Schema;
    private tables = new Map<string, Table>();
    /** the integration user (row 1 of User): the org's own rows are created by them */
    readonly userId: string;
    readonly orgId: string;
    /** the users of the org, in row order: the integration user, an administrator, then those
     *  tests created (kept across reset(), with the same ids) */
    readonly users: UserSpec[] = [INTEGRATION_USER, ADMIN_USER];

    constructor(schema: Schema) {
        this.schema = schema;
        this.orgId = makeId('00D', 1);
        this.userId = makeId('005', 1);
        this.seed();
    }

    /** Adds a user (a User row); returns its id. */
    addUser(spec: UserSpec): string {
        if (this.users.some((u) => u.username.toLowerCase() === spec.username.toLowerCase()))
            throw new Error(`a user named ${spec.username} exists already`);
        this.users.push(spec);
        return this.insertUser(spec, Date.now());
    }

    /** The id of the user at `index` in `users`. */
    userIdAt(index: number): string {
        return makeId('005', index + 1);
    }

    table(obj: ObjectDef | string): Table {
        // a user's view of an object (permissions.ts) stands for the object itself
        const def = this.schema.get(typeof obj === 'string' ? obj : obj.name);
        if (!def)
            throw new Error(`unknown object ${String(typeof obj === 'string' ? obj : obj.name)}`);
        let t = this.tables.get(def.name);
        if (!t) {
            t = new Table(def);
            this.tables.set(def.name, t);
        }
        return t;
    }

    allTables(): Table[] {
        return [...this.tables.values()];
    }

    /** Resolves any id (15 or 18 characters) to its table and row, or null. */
    locate(id: string): { table: Table; row: number; id: string } | null {
        const id18 = normaliseId(id);
        if (!id18) return null;
        const obj = this.schema.byPrefix.get(id18.slice(0, 3));
        if (!obj) return null;
        const table = this.table(obj);
        const row = table.rowOf(id18);
        if (row < 0 || !table.exists(row) || table.idOf(row) !== id18) return null;
        return { table, row, id: id18 };
    }

    reset(): void {
        this.tables.clear();
        this.seed();
    }

    private insertUser(spec: UserSpec, now: number): string {
        const f = (n: string) => this.schema.get('User')!.byName.get(n.toLowerCase())!;
        const users = this.table('User');
        const values = new Map<FieldDef, Value>([
            [f('Username'), spec.username],
            [f('LastName'), spec.lastName],
            [f('FirstName'), spec.firstName ?? null],
            [f('Alias'), spec.alias ?? spec.lastName.slice(0, 8)],
            [f('Email'), spec.email ?? spec.username],
            [f('IsActive'), true],
            [f('UserType'), spec.userType ?? 'Standard'],
            [f('TimeZoneSidKey'), 'Europe/Rome'],
            [f('LocaleSidKey'), 'it_IT'],
            [f('LanguageLocaleKey'), 'it'],
            [f('EmailEncodingKey'), 'UTF-8']
        ]);
        if (spec.contactId) values.set(f('ContactId'), spec.contactId);
        return users.idOf(users.insert(values, now, this.userId));
    }

    private seed(): void {
        const now = Date.now();
        const f = (o: string, n: string) => this.schema.get(o)!.byName.get(n.toLowerCase())!;
        const org = this.table('Organization');
        org.insert(
            new Map<FieldDef, Value>([
                [f('Organization', 'Name'), 'FSE Engage Emulated Org'],
                [f('Organization', 'OrganizationType'), 'Enterprise Edition'],
                [f('Organization', 'IsSandbox'), false],
                [f('Organization', 'InstanceName'), 'EMU1'],
                [f('Organization', 'LanguageLocaleKey'), 'it'],
                [f('Organization', 'TimeZoneSidKey'), 'Europe/Rome'],
                [f('Organization', 'DefaultLocaleSidKey'), 'it_IT']
            ]),
            now,
            this.userId
        );
        for (const spec of this.users) this.insertUser(spec, now);
        if (this.schema.get(ENTITY_DEFINITION)) seedMetadata(this, now);
    }
}
