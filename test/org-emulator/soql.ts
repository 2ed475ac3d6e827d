// SOQL through @jetstreamapp/soql-parser-js, evaluated over the in-memory store. What is not
// supported is refused with MALFORMED_QUERY rather than answered wrongly.
import {
    parseQuery,
    type FunctionExp,
    type LiteralType,
    type LogicalOperator,
    type Operator,
    type OptionalParentheses,
    type Query,
    type Subquery
} from '@jetstreamapp/soql-parser-js';
import { normaliseId } from './ids.ts';
import type { RowAccess } from './permissions.ts';
import type { FieldDef, ObjectDef, Schema } from './schema.ts';
import type { Store, Table, Value } from './store.ts';
import { ApiError, parseDate, parseDateTime } from './validate.ts';

export interface Column {
    /** path as written in the query, e.g. "Account.Name" */
    path: string;
    /** relationship hops then the field */
    hops: FieldDef[];
    field: FieldDef;
}

export type AggregateFn = 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

/** An aggregate function of the SELECT list: `COUNT(Id) CNT`, `MAX(CreatedDate)` (expr0). */
export interface AggregateColumn {
    /** the alias, or the implied alias expr0, expr1, … (counting unaliased aggregates only) */
    key: string;
    fn: AggregateFn;
    col: Column;
    /** as written, e.g. COUNT(Id) */
    raw: string;
}

/**
 * What a query of one user sees (permissions.ts): the user's schema (objects they can read,
 * fields they can read) and their record access. Without it a query sees everything.
 */
export interface QueryAccess {
    schema: Pick<Schema, 'get'>;
    rows: RowAccess;
}

/** Resolves names in one query: the user's schema, and whether a row is visible. */
interface Scope {
    schema: Pick<Schema, 'get'>;
    canRead?: (table: Table, row: number) => boolean;
}

export interface CompiledQuery {
    obj: ObjectDef;
    table: Table;
    /** the records of parents the query may show (relationship paths): null when invisible */
    canRead?: (table: Table, row: number) => boolean;
    columns: Column[];
    countOnly: boolean;
    rows: number[];
    totalSize: number;
    /** aggregate functions without GROUP BY: the SELECT list, and the AggregateResult rows */
    aggregates?: AggregateColumn[];
    aggregateRows?: Record<string, Value>[];
}

const AGGREGATES = new Set<string>(['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG']);
const NUMERIC = new Set<string>(['int', 'double', 'currency', 'percent']);

const malformed = (msg: string) => new ApiError(400, 'MALFORMED_QUERY', msg);

function noSuchColumn(soql: string, name: string, obj: ObjectDef): ApiError {
    return new ApiError(
        400,
        'INVALID_FIELD',
        `\n${soql}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
    );
}

export function invalidType(name: string): ApiError {
    return new ApiError(
        400,
        'INVALID_TYPE',
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
    );
}

/** Resolves `Account.Owner.Name` from `obj`; polymorphic hops use their first target. */
function resolvePath(scope: Scope, soql: string, obj: ObjectDef, path: string): Column {
    const parts = path.split('.');
    const hops: FieldDef[] = [];
    let cur = obj;
    // a leading object name is allowed: SELECT Contact.Name FROM Contact
    if (
        parts.length > 1 &&
        parts[0].toLowerCase() === obj.name.toLowerCase() &&
        !obj.byRelationship.has(parts[0].toLowerCase())
    )
        parts.shift();
    for (let i = 0; i < parts.length - 1; i++) {
        const rel = cur.byRelationship.get(parts[i].toLowerCase());
        if (!rel) throw noSuchColumn(soql, parts.slice(i).join('.'), cur);
        const next = scope.schema.get(rel.referenceTo[0] ?? '');
        // an object the user cannot read is no relationship of theirs
        if (!next) throw noSuchColumn(soql, parts.slice(i).join('.'), cur);
        hops.push(rel);
        cur = next;
    }
    const field = cur.byName.get(parts[parts.length - 1].toLowerCase());
    if (!field) throw noSuchColumn(soql, parts[parts.length - 1], cur);
    return { path, hops, field };
}

/** Reads a column's value for a row, following lookups (by id prefix for polymorphic ones);
 *  a parent the user cannot see reads as null. */
export function readPath(
    store: Store,
    table: Table,
    row: number,
    col: Column,
    canRead?: (table: Table, row: number) => boolean
): Value {
    let t = table;
    let r = row;
    for (const hop of col.hops) {
        const id = t.get(r, hop) as string | null;
        if (!id) return null;
        const loc = store.locate(id);
        if (!loc || (canRead && !canRead(loc.table, loc.row))) return null;
        t = loc.table;
        r = loc.row;
    }
    if (col.field.type === 'id') return t.idOf(r);
    const f = col.hops.length === 0 ? col.field : t.obj.byName.get(col.field.name.toLowerCase());
    return f ? t.get(r, f) : null;
}

// ---- WHERE -------------------------------------------------------------------------------

type Pred = (table: Table, row: number) => boolean;
/**
 * A WHERE condition as the parser emits it, read loosely: the union of the parser's condition
 * shapes (value, date literal, function, semi-join, bare negation) with every part optional.
 */
interface WhereCondition extends OptionalParentheses {
    field?: string;
    fn?: FunctionExp;
    valueQuery?: Query;
    operator?: Operator;
    value?: string | string[];
    literalType?: LiteralType | LiteralType[];
}

/** The parser's WHERE tree: a condition, then an operator and the rest of the chain. */
interface WhereNode {
    left?: WhereCondition | null;
    operator?: LogicalOperator;
    right?: WhereNode;
}

type Token = '(' | ')' | LogicalOperator | { cond: WhereCondition };

function flatten(node: WhereNode | undefined, out: Token[]): void {
    if (!node) return;
    const left = node.left;
    if (left) {
        for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
        if (left.field !== undefined || left.fn !== undefined || left.literalType !== undefined)
            out.push({ cond: left });
        for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    }
    if (node.operator) out.push(node.operator.toUpperCase() as LogicalOperator);
    if (node.right) flatten(node.right, out);
}

function unquote(v: string): string {
    const s = v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1) : v;
    return s.replace(
        /\\(.)/g,
        (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[c] ?? c
    );
}

interface Range {
    start: number;
    end: number;
}

function startOfDay(t: number): number {
    return Math.floor(t / 86400000) * 86400000;
}

/** Date literals evaluated in UTC (a real org uses the running user's time zone). */
export function dateLiteral(value: string, n: number | undefined, now = Date.now()): Range {
    const day = 86400000;
    const today = startOfDay(now);
    const d = new Date(today);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    const weekStart = today - d.getUTCDay() * day; // weeks start on Sunday (en_US locale)
    const name = value.split(':')[0].toUpperCase();
    switch (name) {
        case 'TODAY':
            return { start: today, end: today + day };
        case 'YESTERDAY':
            return { start: today - day, end: today };
        case 'TOMORROW':
            return { start: today + day, end: today + 2 * day };
        case 'THIS_WEEK':
            return { start: weekStart, end: weekStart + 7 * day };
        case 'LAST_WEEK':
            return { start: weekStart - 7 * day, end: weekStart };
        case 'NEXT_WEEK':
            return { start: weekStart + 7 * day, end: weekStart + 14 * day };
        case 'THIS_MONTH':
            return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
        case 'LAST_MONTH':
            return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
        case 'NEXT_MONTH':
            return { start: Date.UTC(y, m + 1, 1), end: Date.UTC(y, m + 2, 1) };
        case 'THIS_YEAR':
            return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
        case 'LAST_YEAR':
            return { start: Date.UTC(y - 1, 0, 1), end: Date.UTC(y, 0, 1) };
        case 'NEXT_YEAR':
            return { start: Date.UTC(y + 1, 0, 1), end: Date.UTC(y + 2, 0, 1) };
        case 'LAST_N_DAYS':
            return { start: today - n! * day, end: today + day };
        case 'NEXT_N_DAYS':
            return { start: today + day, end: today + (n! + 1) * day };
        case 'N_DAYS_AGO':
            return { start: today - n! * day, end: today - n! * day + day };
        default:
            throw malformed(`date literal ${value} is not supported by the emulator`);
    }
}

function literal(
    col: Column,
    literalType: WhereCondition['literalType'],
    raw: string,
    soql: string
): Value | Range {
    const f = col.field;
    const bad = () =>
        new ApiError(
            400,
            'INVALID_FIELD',
            `\n${soql}\n^\nERROR at Row:1:Column:1\nvalue of filter criterion for field '${col.path}' must be of type ${f.type === 'datetime' ? 'dateTime' : f.type} and should ${literalType === 'STRING' ? 'not ' : ''}be enclosed in quotes`
        );
    if (literalType === 'NULL') return null;
    switch (f.type) {
        case 'boolean':
            if (literalType !== 'BOOLEAN') throw bad();
            return raw.toUpperCase() === 'TRUE';
        case 'int':
        case 'double':
        case 'currency':
        case 'percent':
            if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw bad();
            return Number(raw);
        case 'date':
        case 'datetime': {
            if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
                const m = /:(\d+)$/.exec(raw);
                return dateLiteral(raw, m ? Number(m[1]) : undefined);
            }
            if (f.type === 'date' && literalType === 'DATE') return parseDate(raw);
            if (f.type === 'datetime' && literalType === 'DATETIME') return parseDateTime(raw);
            throw bad();
        }
        default:
            if (literalType !== 'STRING') throw bad();
            return unquote(raw);
    }
}

function compare(a: Value, b: Value): number {
    if (typeof a === 'string' && typeof b === 'string') {
        const x = a.toLowerCase();
        const y = b.toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function likeToRegex(pattern: string): RegExp {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '\\' && i + 1 < pattern.length)
            re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        else if (c === '%') re += '[\\s\\S]*';
        else if (c === '_') re += '[\\s\\S]';
        else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, 'i');
}

function normaliseForField(f: FieldDef, v: Value): Value {
    if ((f.type === 'id' || f.type === 'reference') && typeof v === 'string')
        return normaliseId(v) ?? v;
    return v;
}

function compileCondition(
    store: Store,
    scope: Scope,
    soql: string,
    obj: ObjectDef,
    cond: WhereCondition
): { pred: Pred; col: Column; op: string; values: Value[] } {
    if (
        cond.fn ||
        cond.valueQuery ||
        cond.literalType === 'SUBQUERY' ||
        cond.literalType === 'APEX_BIND_VARIABLE'
    ) {
        throw malformed(
            'functions, semi-joins and bind variables in WHERE are not supported by the emulator'
        );
    }
    const col = resolvePath(scope, soql, obj, cond.field!);
    const op = String(cond.operator).toUpperCase();
    const rawValues = Array.isArray(cond.value) ? cond.value : [cond.value];
    const types = Array.isArray(cond.literalType)
        ? cond.literalType
        : rawValues.map(() => cond.literalType);
    const lits = rawValues.map((v, i) =>
        literal(col, types[i] ?? cond.literalType, String(v), soql)
    );
    const read = (t: Table, r: number) => readPath(store, t, r, col, scope.canRead);
    const isRange = (x: unknown): x is Range => typeof x === 'object' && x !== null;
    const f = col.field;
    const scalar = lits.map((l) => (isRange(l) ? l : normaliseForField(f, l)));
    const eq = (v: Value, l: Value | Range): boolean => {
        if (isRange(l)) return v !== null && (v as number) >= l.start && (v as number) < l.end;
        if (l === null || v === null) return v === l;
        if (f.type === 'multipicklist' && typeof v === 'string' && typeof l === 'string') {
            const a = v.toLowerCase().split(';').sort().join(';');
            return (
                a ===
                l
                    .toLowerCase()
                    .split(';')
                    .map((s) => s.trim())
                    .sort()
                    .join(';')
            );
        }
        return compare(v, l) === 0;
    };
    let pred: Pred;
    switch (op) {
        case '=':
            pred = (t, r) => eq(read(t, r), scalar[0]);
            break;
        case '!=':
        case '<>':
            pred = (t, r) => !eq(read(t, r), scalar[0]);
            break;
        case '<':
        case '<=':
        case '>':
        case '>=': {
            const l = scalar[0];
            pred = (t, r) => {
                const v = read(t, r);
                if (v === null || l === null) return false;
                if (isRange(l)) {
                    const x = v as number;
                    return op === '<'
                        ? x < l.start
                        : op === '<='
                          ? x < l.end
                          : op === '>'
                            ? x >= l.end
                            : x >= l.start;
                }
                const c = compare(v, l);
                return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
            };
            break;
        }
        case 'IN':
        case 'NOT IN': {
            const set = new Set(
                scalar
                    .filter((l) => !isRange(l))
                    .map((l) => (typeof l === 'string' ? l.toLowerCase() : l))
            );
            const ranges = scalar.filter(isRange);
            const inSet = (v: Value) =>
                set.has(typeof v === 'string' ? v.toLowerCase() : v) ||
                ranges.some((rg) => eq(v, rg));
            pred = op === 'IN' ? (t, r) => inSet(read(t, r)) : (t, r) => !inSet(read(t, r));
            break;
        }
        case 'LIKE': {
            const re = likeToRegex(String(scalar[0] ?? ''));
            pred = (t, r) => {
                const v = read(t, r);
                return v !== null && re.test(String(v));
            };
            break;
        }
        case 'INCLUDES':
        case 'EXCLUDES': {
            if (f.type !== 'multipicklist')
                throw malformed(`${op} only applies to multi-select picklists`);
            const wanted = scalar.map((l) =>
                String(l)
                    .toLowerCase()
                    .split(';')
                    .map((s) => s.trim())
            );
            const has = (v: Value) => {
                if (v === null) return false;
                const parts = new Set(String(v).toLowerCase().split(';'));
                return wanted.some((w) => w.every((x) => parts.has(x)));
            };
            pred = op === 'INCLUDES' ? (t, r) => has(read(t, r)) : (t, r) => !has(read(t, r));
            break;
        }
        default:
            throw malformed(`operator ${op} is not supported by the emulator`);
    }
    return { pred, col, op, values: scalar.filter((l) => !isRange(l)) as Value[] };
}

interface WhereResult {
    pred: Pred;
    /** indexed equality conditions that every matching row must satisfy (for index use) */
    keys: { col: Column; values: Value[] }[];
}

function compileWhere(
    store: Store,
    scope: Scope,
    soql: string,
    obj: ObjectDef,
    where: WhereNode
): WhereResult {
    const tokens: Token[] = [];
    flatten(where, tokens);
    let pos = 0;
    const peek = () => tokens[pos];
    const keys: WhereResult['keys'] = [];
    // expr := term (op term)*, with AND and OR never mixed at one level (as SOQL requires)
    const parseExpr = (top: boolean): Pred => {
        const preds: Pred[] = [parseUnary(top)];
        let joiner: string | null = null;
        while (peek() === 'AND' || peek() === 'OR') {
            const op = tokens[pos++] as string;
            if (joiner && joiner !== op)
                throw malformed('unexpected token: mixing AND and OR requires parentheses');
            joiner = op;
            preds.push(parseUnary(top && op === 'AND'));
        }
        if (preds.length === 1) return preds[0];
        if (joiner === 'OR') {
            return (t, r) => preds.some((p) => p(t, r));
        }
        return (t, r) => preds.every((p) => p(t, r));
    };
    const parseUnary = (top: boolean): Pred => {
        const tok = tokens[pos++];
        if (tok === 'NOT') {
            const inner = parseUnary(false);
            return (t, r) => !inner(t, r);
        }
        if (tok === '(') {
            // a parenthesised group stays indexable only if it is a plain AND chain at the top
            const inner = parseExpr(false);
            if (tokens[pos++] !== ')') throw malformed('unbalanced parentheses');
            return inner;
        }
        if (tok && typeof tok === 'object') {
            const c = compileCondition(store, scope, soql, obj, tok.cond);
            if (
                top &&
                (c.op === '=' || c.op === 'IN') &&
                c.col.hops.length === 0 &&
                !c.values.includes(null)
            ) {
                keys.push({ col: c.col, values: c.values });
            }
            return c.pred;
        }
        throw malformed('unexpected token in WHERE');
    };
    const pred = parseExpr(true);
    if (pos !== tokens.length) throw malformed('unexpected token in WHERE');
    // keys are only safe when the whole top level is an AND chain
    const hasTopOr = (() => {
        let depth = 0;
        for (const t of tokens) {
            if (t === '(') depth++;
            else if (t === ')') depth--;
            else if (depth === 0 && (t === 'OR' || t === 'NOT')) return true;
        }
        return false;
    })();
    return { pred, keys: hasTopOr ? [] : keys };
}

// ---- SELECT --------------------------------------------------------------------------------

/** A parsed query; `sObjectPrefix` (a subquery's) is listed so that it can be refused. */
type ParsedQuery = Query & Pick<Subquery, 'sObjectPrefix'>;

export function compileQuery(
    store: Store,
    soql: string,
    includeDeleted: boolean,
    access?: QueryAccess
): CompiledQuery {
    let q: ParsedQuery;
    try {
        q = parseQuery(soql);
    } catch (e) {
        throw malformed(
            `\n${soql}\n^\nERROR at Row:1:Column:1\n${(e as Error).message.split('\n')[0]}`
        );
    }
    const rowAccess = access?.rows;
    const canRead =
        rowAccess && !rowAccess.all ? (t: Table, r: number) => rowAccess.canRead(t, r) : undefined;
    const scope: Scope = { schema: access?.schema ?? store.schema, canRead };
    // an object the user cannot read does not exist for them
    const obj = scope.schema.get(String(q.sObject ?? ''));
    if (!obj) throw invalidType(String(q.sObject));
    for (const k of [
        'groupBy',
        'having',
        'for',
        'update',
        'withDataCategory',
        'usingScope',
        'sObjectPrefix'
    ] as const) {
        if (q[k] !== undefined) throw malformed(`${k} is not supported by the emulator`);
    }
    const table = store.table(obj);
    const columns: Column[] = [];
    let countOnly = false;
    const aggregates: AggregateColumn[] = [];
    let implied = 0;
    for (const f of q.fields ?? []) {
        if (f.type === 'Field' || f.type === 'FieldRelationship') {
            const path =
                f.type === 'Field'
                    ? f.field
                    : (f.rawValue ?? [...f.relationships, f.field].join('.'));
            if ('alias' in f && f.alias)
                throw malformed('field aliases are not supported by the emulator');
            columns.push(resolvePath(scope, soql, obj, path));
        } else if (
            f.type === 'FieldFunctionExpression' &&
            String(f.functionName).toUpperCase() === 'COUNT' &&
            (f.parameters ?? []).length === 0
        ) {
            countOnly = true;
        } else if (
            f.type === 'FieldFunctionExpression' &&
            AGGREGATES.has(String(f.functionName).toUpperCase()) &&
            (f.parameters ?? []).length === 1 &&
            typeof f.parameters[0] === 'string'
        ) {
            const fn = String(f.functionName).toUpperCase() as AggregateFn;
            const param = String(f.parameters[0]);
            const col = resolvePath(scope, soql, obj, param);
            checkAggregatable(soql, fn, col);
            aggregates.push({
                key: f.alias ?? `expr${implied++}`,
                fn,
                col,
                raw: f.rawValue ?? `${fn}(${param})`
            });
        } else {
            throw malformed(
                `${('rawValue' in f ? f.rawValue : undefined) ?? f.type} is not supported by the emulator (functions, FIELDS(), subqueries, TYPEOF)`
            );
        }
    }
    if (countOnly && (columns.length || aggregates.length))
        throw malformed('COUNT() must be the only element in the SELECT list');
    // without GROUP BY (refused above) every element must be aggregated (SOQL and SOSL
    // Reference, "Aggregate Functions"; the error text follows what an org answers)
    if (aggregates.length && columns.length)
        throw malformed(`Field must be grouped or aggregated: ${columns[0].path}`);
    if (aggregates.length && q.orderBy)
        throw malformed('Ordered field must be grouped or aggregated');
    const where = q.where ? compileWhere(store, scope, soql, obj, q.where) : null;
    // candidate rows: from an index when an indexed equality is required, otherwise a scan
    let candidates: Iterable<number> | null = null;
    if (where) {
        for (const k of where.keys) {
            const f = k.col.field;
            if (f.type === 'id') {
                const rows: number[] = [];
                for (const v of k.values) {
                    const loc = typeof v === 'string' ? store.locate(v) : null;
                    if (loc && loc.table === table) rows.push(loc.row);
                }
                candidates = [...new Set(rows)].sort((a, b) => a - b);
                break;
            }
            if (table.indexes.has(f.name.toLowerCase()) && !includeDeleted) {
                const rows = new Set<number>();
                for (const v of k.values) for (const r of table.lookup(f, v)) rows.add(r);
                candidates = [...rows].sort((a, b) => a - b);
                break;
            }
        }
    }
    const rows: number[] = [];
    // records the user cannot see are not there: fewer rows, no error
    const hidesRows = canRead !== undefined && !rowAccess!.readsAll(table);
    const visit = (r: number) => {
        if (!(includeDeleted ? table.exists(r) : table.isLive(r))) return;
        if (hidesRows && !canRead(table, r)) return;
        if (where && !where.pred(table, r)) return;
        rows.push(r);
    };
    if (candidates) for (const r of candidates) visit(r);
    else for (let r = 0; r < table.size; r++) visit(r);
    if (q.orderBy) {
        const orders = (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]).map((o) => {
            // the parser sets `fn` only on function clauses
            if ('fn' in o) throw malformed('ORDER BY functions are not supported by the emulator');
            const col = resolvePath(scope, soql, obj, o.field);
            const desc = String(o.order ?? 'ASC').toUpperCase() === 'DESC';
            const nullsLast = o.nulls ? String(o.nulls).toUpperCase() === 'LAST' : desc;
            return { col, desc, nullsLast };
        });
        const keyed = rows.map((r) => ({
            r,
            k: orders.map((o) => readPath(store, table, r, o.col, canRead))
        }));
        keyed.sort((a, b) => {
            for (let i = 0; i < orders.length; i++) {
                const o = orders[i];
                const x = a.k[i];
                const y = b.k[i];
                if (x === null && y === null) continue;
                if (x === null) return o.nullsLast ? 1 : -1;
                if (y === null) return o.nullsLast ? -1 : 1;
                const c = compare(x, y);
                if (c !== 0) return o.desc ? -c : c;
            }
            return a.r - b.r;
        });
        rows.length = 0;
        for (const k of keyed) rows.push(k.r);
    }
    const offset = q.offset ?? 0;
    if (aggregates.length) {
        // one AggregateResult row over every matching row; LIMIT and OFFSET apply to that row
        const one = aggregateRow(store, table, rows, aggregates, canRead);
        const out = [one].slice(offset, q.limit !== undefined ? offset + q.limit : undefined);
        return {
            obj,
            table,
            canRead,
            columns,
            countOnly: false,
            rows: [],
            totalSize: out.length,
            aggregates,
            aggregateRows: out
        };
    }
    let result = rows;
    if (offset > 2000)
        throw new ApiError(
            400,
            'NUMBER_OUTSIDE_VALID_RANGE',
            `Maximum SOQL offset allowed is 2000`
        );
    if (offset || q.limit !== undefined)
        result = rows.slice(offset, q.limit !== undefined ? offset + q.limit : undefined);
    return {
        obj,
        table,
        canRead,
        columns,
        countOnly,
        rows: countOnly ? [] : result,
        totalSize: result.length
    };
}

// ---- aggregate functions (without GROUP BY) ----------------------------------------------

/** Which field types an aggregate function accepts: SUM and AVG need numbers; MIN, MAX and
 *  COUNT_DISTINCT refuse checkboxes, long text and multi-select picklists (as describe's
 *  `aggregatable`/`groupable` do in an org). Refused with INVALID_FIELD. */
function checkAggregatable(soql: string, fn: AggregateFn, col: Column): void {
    const t = col.field.type;
    const ok =
        fn === 'SUM' || fn === 'AVG'
            ? NUMERIC.has(t)
            : fn === 'COUNT'
              ? t !== 'textarea' || col.field.length <= 255
              : t !== 'boolean' &&
                t !== 'multipicklist' &&
                (t !== 'textarea' || col.field.length <= 255) &&
                (fn !== 'COUNT_DISTINCT' || !['double', 'currency', 'percent'].includes(t));
    if (!ok)
        throw new ApiError(
            400,
            'INVALID_FIELD',
            `\n${soql}\n^\nERROR at Row:1:Column:1\nfield ${col.path} does not support aggregate operator ${fn}`
        );
}

/** MIN and MAX of a picklist follow the picklist's value order, not the alphabet (SOQL and
 *  SOSL Reference, "Aggregate Functions"). */
function orderKey(f: FieldDef, v: Value): Value {
    if (f.type !== 'picklist' || typeof v !== 'string') return v;
    const i = f.picklistValues.findIndex((p) => p.value.toLowerCase() === v.toLowerCase());
    return i < 0 ? f.picklistValues.length : i;
}

/** The AggregateResult row: COUNT counts non-null values (COUNT(Id) every row), the others
 *  ignore nulls and are null when nothing is left. */
function aggregateRow(
    store: Store,
    table: Table,
    rows: number[],
    aggregates: AggregateColumn[],
    canRead?: (table: Table, row: number) => boolean
): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const a of aggregates) {
        const f = a.col.field;
        let count = 0;
        let sum = 0;
        let best: Value = null;
        let bestKey: Value = null;
        const distinct = new Set<Value>();
        for (const r of rows) {
            const v = readPath(store, table, r, a.col, canRead);
            if (v === null) continue;
            count++;
            if (a.fn === 'SUM' || a.fn === 'AVG') sum += v as number;
            else if (a.fn === 'COUNT_DISTINCT')
                distinct.add(typeof v === 'string' && !f.caseSensitive ? v.toLowerCase() : v);
            else if (a.fn === 'MIN' || a.fn === 'MAX') {
                const k = orderKey(f, v);
                const c = bestKey === null ? 0 : compare(k, bestKey);
                if (bestKey === null || (a.fn === 'MIN' ? c < 0 : c > 0)) {
                    best = v;
                    bestKey = k;
                }
            }
        }
        out[a.key] =
            a.fn === 'COUNT'
                ? count
                : a.fn === 'COUNT_DISTINCT'
                  ? distinct.size
                  : a.fn === 'SUM'
                    ? count
                        ? roundTo(sum, f.scale)
                        : null
                    : a.fn === 'AVG'
                      ? count
                          ? sum / count
                          : null
                      : formatValue(f, best, 'rest');
    }
    return out;
}

function roundTo(n: number, scale: number): number {
    const p = 10 ** Math.max(0, scale);
    return Math.round(n * p) / p;
}

/** An AggregateResult row as the REST API shows it (no url: it is not a record). */
export function toAggregateRecord(row: Record<string, Value>): Record<string, unknown> {
    return { attributes: { type: 'AggregateResult' }, ...row };
}

export function formatDateTime(t: number, style: 'rest' | 'csv'): string {
    const iso = new Date(t).toISOString();
    return style === 'rest' ? iso.replace('Z', '+0000') : iso;
}

export function formatValue(f: FieldDef, v: Value, style: 'rest' | 'csv'): Value {
    if (v === null) return null;
    if (f.type === 'datetime') return formatDateTime(v as number, style);
    if (f.type === 'date') return new Date(v as number).toISOString().slice(0, 10);
    return v;
}

/** A record's `attributes.url`; EntityDefinition and FieldDefinition rows are named by their
 *  DurableId (e.g. `/sobjects/FieldDefinition/Account.Name`) rather than by an Id. */
export function recordUrl(table: Table, row: number, version: string): string {
    const f = table.obj.urlField ? table.obj.byName.get(table.obj.urlField.toLowerCase()) : null;
    const key = f ? String(table.get(row, f)) : table.idOf(row);
    return `/services/data/v${version}/sobjects/${table.obj.name}/${key}`;
}

/** One record as the REST API shows it: attributes, then the selected fields in order. */
export function toRestRecord(
    store: Store,
    q: CompiledQuery,
    row: number,
    version: string
): Record<string, unknown> {
    const rec: Record<string, unknown> = {
        attributes: { type: q.obj.name, url: recordUrl(q.table, row, version) }
    };
    for (const col of q.columns) {
        if (col.hops.length === 0) {
            rec[col.field.name] = formatValue(
                col.field,
                col.field.type === 'id' ? q.table.idOf(row) : q.table.get(row, col.field),
                'rest'
            );
            continue;
        }
        // nested parent objects: {Account: {attributes, Name}}; null when the lookup is empty
        let holder = rec;
        let t: Table | null = q.table;
        let r = row;
        for (const hop of col.hops) {
            const key = hop.relationshipName!;
            let id: string | null = null;
            let loc: ReturnType<Store['locate']> = null;
            if (t) {
                id = t.get(r, hop) as string | null;
                loc = id ? store.locate(id) : null;
                // a parent the user cannot see is shown as no parent
                if (loc && q.canRead && !q.canRead(loc.table, loc.row)) loc = null;
            }
            if (!loc) {
                if (!(key in holder)) holder[key] = null;
                t = null;
                break;
            }
            if (!holder[key]) {
                holder[key] = {
                    attributes: {
                        type: loc.table.obj.name,
                        url: recordUrl(loc.table, loc.row, version)
                    }
                };
            }
            holder = holder[key] as Record<string, unknown>;
            t = loc.table;
            r = loc.row;
        }
        if (t) {
            const f = t.obj.byName.get(col.field.name.toLowerCase());
            holder[col.field.name] = f
                ? formatValue(f, f.type === 'id' ? t.idOf(r) : t.get(r, f), 'rest')
                : null;
        }
    }
    return rec;
}
