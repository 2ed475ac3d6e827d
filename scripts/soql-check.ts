// SOQL check, part of metadata:check: every static SOQL in Apex ([SELECT ...]) and every query
// our custom metadata builds at run time (ErasurePolicy__mdt, RetentionRule__mdt) names objects,
// fields and relationships that exist, in force-app or among the standard objects; the names
// RoutingRule__mdt and ServiceConsoleSetting__mdt records hand to routing (skills, queues, the
// service channel, picklist values) exist in force-app. A deploy compiles static SOQL and fails
// on an unknown field; a wrong field in metadata fails only when the job runs, in production.
//
// Parsing: @jetstreamapp/soql-parser-js (a real SOQL grammar). Apex bind expressions are
// replaced by plain binds first (the grammar knows `:name`, not `:a.b(c)[0]`, `LIMIT :n` or
// `IN (:a, :b)`).
// Standard objects: the classes com.nawforce.runforce.SObjects.<Name> of apex-ls's sobject-types
// jar (the standard-object model apex-ls compiles against, API 65.0), read with `javap`, plus
// our stubs in scripts/apex-ls-stubs for what that jar lacks (Omni-Channel). Custom objects and
// custom fields: force-app.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type {
    Condition,
    FieldType,
    FunctionExp,
    HavingClause,
    Query,
    QueryBase,
    WhereClause
} from '@jetstreamapp/soql-parser-js';
import { XMLParser } from 'fast-xml-parser';

/** One object: fields, parent relationships (name -> target objects), child relationships. */
interface ObjectInfo {
    name: string;
    fields: Map<string, string>; // lower name -> API name
    parents: Map<string, string[]>; // lower relationship name -> target object names ('Name' = polymorphic)
    children: Map<string, string>; // lower child relationship name -> child object
    picklists: Map<string, Set<string>>; // lower field -> values (custom picklists only)
}

const SCALARS = new Set(
    'Id String Boolean Decimal Double Integer Long Datetime Date Time Blob Object Address Location'.split(
        ' '
    )
);

function emptyObject(name: string): ObjectInfo {
    return {
        name,
        fields: new Map(),
        parents: new Map(),
        children: new Map(),
        picklists: new Map()
    };
}

/**
 * Reads `public <type> <Name>;` lines, from javap output or from a stub's Java source, into an
 * object (statics such as SObjectType and Fields are skipped).
 */
export function readJavaFields(info: ObjectInfo, text: string): void {
    for (const m of text.matchAll(/^\s*public\s+([\w.$]+)(\[\])?\s+(\w+);/gm)) {
        const type = m[1].slice(m[1].lastIndexOf('.') + 1);
        const name = m[3];
        if (m[2]) info.children.set(name.toLowerCase(), type);
        else if (SCALARS.has(type)) info.fields.set(name.toLowerCase(), name);
        else info.parents.set(name.toLowerCase(), [type]);
    }
}

const asArray = <T>(v: T | T[] | undefined): T[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v];

export interface SchemaSource {
    /** force-app/main/default (objects/, classes/, customMetadata/ ...). */
    metadataDir: string;
    /** apex-ls's sobject-types jar. */
    sobjectTypesJar: string;
    /** Java stubs for standard objects the jar lacks or gets wrong (they win over the jar). */
    stubsDir?: string;
}

/** Objects by lower-case name, loaded on demand: custom from force-app, standard from the jar. */
export class Schema {
    private readonly objects = new Map<string, ObjectInfo | null>();
    private readonly custom = new Map<string, ObjectInfo>();
    private readonly stubs = new Map<string, string>();
    private readonly source: SchemaSource;

    constructor(source: SchemaSource) {
        this.source = source;
        this.readForceApp();
        if (source.stubsDir && existsSync(source.stubsDir)) {
            for (const f of readdirSync(source.stubsDir, { recursive: true, encoding: 'utf8' })) {
                if (f.endsWith('.java'))
                    this.stubs.set(
                        path.basename(f, '.java').toLowerCase(),
                        readFileSync(path.join(source.stubsDir, f), 'utf8')
                    );
            }
        }
    }

    private readForceApp(): void {
        const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
        const objectsDir = path.join(this.source.metadataDir, 'objects');
        if (!existsSync(objectsDir)) return;
        for (const objectName of readdirSync(objectsDir)) {
            const info = emptyObject(objectName);
            const fieldsDir = path.join(objectsDir, objectName, 'fields');
            const isCustom = /__(c|mdt|e)$/.test(objectName);
            if (isCustom) {
                const base = objectName.endsWith('__mdt')
                    ? 'Id DeveloperName MasterLabel Label Language NamespacePrefix QualifiedApiName SystemModstamp'
                    : objectName.endsWith('__e')
                      ? 'ReplayId CreatedDate CreatedById EventUuid'
                      : 'Id Name OwnerId CreatedDate CreatedById LastModifiedDate LastModifiedById SystemModstamp IsDeleted LastViewedDate LastReferencedDate RecordTypeId';
                for (const f of base.split(' ')) info.fields.set(f.toLowerCase(), f);
                if (objectName.endsWith('__c')) {
                    info.parents.set('owner', ['Name']);
                    info.parents.set('createdby', ['User']);
                    info.parents.set('lastmodifiedby', ['User']);
                    info.parents.set('recordtype', ['RecordType']);
                }
            }
            if (existsSync(fieldsDir)) {
                for (const file of readdirSync(fieldsDir)) {
                    if (!file.endsWith('.field-meta.xml')) continue;
                    const name = file.slice(0, -'.field-meta.xml'.length);
                    info.fields.set(name.toLowerCase(), name);
                    let field: Record<string, unknown> | undefined;
                    try {
                        field = (
                            xml.parse(readFileSync(path.join(fieldsDir, file), 'utf8')) as {
                                CustomField?: Record<string, unknown>;
                            }
                        ).CustomField;
                    } catch {
                        continue; // malformed XML is reported by the XML check
                    }
                    if (!field) continue;
                    if (field.referenceTo && name.endsWith('__c')) {
                        const targets = asArray(field.referenceTo as string | string[]).map(String);
                        info.parents.set(name.slice(0, -3).toLowerCase() + '__r', targets);
                        if (field.relationshipName) {
                            for (const target of targets) {
                                const parent = this.customOf(target);
                                parent.children.set(
                                    `${String(field.relationshipName)}__r`.toLowerCase(),
                                    objectName
                                );
                            }
                        }
                    }
                    const valueSet = field.valueSet as
                        | {
                              valueSetDefinition?: {
                                  value?: { fullName: string } | { fullName: string }[];
                              };
                          }
                        | undefined;
                    const values = asArray(valueSet?.valueSetDefinition?.value).map((v) =>
                        String(v.fullName)
                    );
                    if (values.length > 0) info.picklists.set(name.toLowerCase(), new Set(values));
                }
            }
            const existing = this.custom.get(objectName.toLowerCase());
            if (existing) {
                for (const [k, v] of info.fields) existing.fields.set(k, v);
                for (const [k, v] of info.parents) existing.parents.set(k, v);
                for (const [k, v] of info.picklists) existing.picklists.set(k, v);
                existing.name = objectName;
            } else {
                this.custom.set(objectName.toLowerCase(), info);
            }
        }
    }

    private customOf(name: string): ObjectInfo {
        let info = this.custom.get(name.toLowerCase());
        if (!info) {
            info = emptyObject(name);
            this.custom.set(name.toLowerCase(), info);
        }
        return info;
    }

    /** Loads the standard objects among `names` that are not loaded yet (one javap run). */
    load(names: Iterable<string>): void {
        const wanted = [...new Set([...names].map((n) => n.toLowerCase()))].filter(
            (n) => !this.objects.has(n)
        );
        const fromJar: string[] = [];
        for (const lower of wanted) {
            const custom = this.custom.get(lower);
            const isCustom = /__(c|mdt|e)$/.test(lower);
            if (isCustom) {
                this.objects.set(lower, custom ?? null);
                continue;
            }
            const stub = this.stubs.get(lower);
            if (stub) {
                const info = emptyObject(custom?.name ?? lower);
                readJavaFields(info, stub);
                const cls = /public\s+class\s+(\w+)/.exec(stub);
                if (cls) info.name = cls[1];
                this.objects.set(lower, merge(info, custom));
                continue;
            }
            fromJar.push(lower);
        }
        if (fromJar.length === 0) return;
        // javap wants the exact class name: find it in the jar listing (case-insensitive).
        const classNames = this.jarClassNames();
        const exact = fromJar.map((n) => classNames.get(n)).filter((n): n is string => !!n);
        for (const lower of fromJar) {
            if (!classNames.has(lower)) this.objects.set(lower, null);
        }
        if (exact.length === 0) return;
        const out = run('javap', [
            '-cp',
            this.source.sobjectTypesJar,
            ...exact.map((n) => `com.nawforce.runforce.SObjects.${n}`)
        ]);
        for (const block of out.split(/^Compiled from /m).slice(1)) {
            const cls = /public class com\.nawforce\.runforce\.SObjects\.(\w+) /.exec(block);
            if (!cls) continue;
            const info = emptyObject(cls[1]);
            readJavaFields(info, block);
            this.objects.set(
                cls[1].toLowerCase(),
                merge(info, this.custom.get(cls[1].toLowerCase()))
            );
        }
    }

    private classNamesCache: Map<string, string> | undefined;
    private jarClassNames(): Map<string, string> {
        if (!this.classNamesCache) {
            this.classNamesCache = new Map();
            const listing = run('jar', ['tf', this.source.sobjectTypesJar]);
            for (const m of listing.matchAll(/^com\/nawforce\/runforce\/SObjects\/(\w+)\.class$/gm))
                this.classNamesCache.set(m[1].toLowerCase(), m[1]);
        }
        return this.classNamesCache;
    }

    /** The object, once load() has been called for it; null when it does not exist. */
    get(name: string): ObjectInfo | null | undefined {
        return this.objects.get(name.toLowerCase());
    }

    /** Custom-object view (force-app only), for picklist values. */
    forceApp(name: string): ObjectInfo | undefined {
        return this.custom.get(name.toLowerCase());
    }
}

function merge(standard: ObjectInfo, custom: ObjectInfo | undefined): ObjectInfo {
    if (!custom) return standard;
    for (const [k, v] of custom.fields) standard.fields.set(k, v);
    for (const [k, v] of custom.parents) standard.parents.set(k, v);
    for (const [k, v] of custom.children) standard.children.set(k, v);
    for (const [k, v] of custom.picklists) standard.picklists.set(k, v);
    return standard;
}

function run(tool: string, args: string[]): string {
    const command = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', tool) : tool;
    const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error)
        throw new Error(`cannot run ${tool}: ${r.error.message} (a Java 17 JDK is needed)`);
    return r.stdout;
}

// ---------------------------------------------------------------------------------- Apex SOQL

/** A query found in Apex or built from metadata, with where it comes from. */
export interface SoqlSource {
    where: string; // file:line
    soql: string;
}

/** Every `[SELECT ...]` of an Apex source, with its line. */
export function staticSoql(text: string, file: string): SoqlSource[] {
    const found: SoqlSource[] = [];
    const start = /\[\s*SELECT\b/gi;
    let m: RegExpExecArray | null;
    while ((m = start.exec(text))) {
        const end = matching(text, m.index, '[', ']');
        if (end < 0) continue;
        found.push({
            where: `${file}:${text.slice(0, m.index).split('\n').length}`,
            soql: text.slice(m.index + 1, end)
        });
    }
    return found;
}

/** Index of the bracket closing the one at `open`, skipping Apex string literals; -1 if none. */
function matching(text: string, open: number, opening: string, closing: string): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const ch = text[i];
        if (ch === "'") {
            for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === '\\') i++;
            continue;
        }
        if (ch === opening) depth++;
        else if (ch === closing && --depth === 0) return i;
    }
    return -1;
}

/**
 * Replaces every Apex bind expression (`:name`, `:obj.field`, `:call('x').Id`, `:list[0]`) by a
 * plain bind, `LIMIT :n`/`OFFSET :n` by a number and `IN (:a, :b)` by `IN :b`, which the
 * grammar understands.
 */
export function normaliseBinds(soql: string): string {
    let out = '';
    let n = 0;
    for (let i = 0; i < soql.length; i++) {
        const ch = soql[i];
        if (ch === "'") {
            let j = i + 1;
            for (; j < soql.length && soql[j] !== "'"; j++) if (soql[j] === '\\') j++;
            out += soql.slice(i, j + 1);
            i = j;
            continue;
        }
        if (ch !== ':') {
            out += ch;
            continue;
        }
        let j = i + 1;
        while (j < soql.length && /\s/.test(soql[j])) j++;
        while (j < soql.length) {
            if (/[\w.]/.test(soql[j])) j++;
            else if (soql[j] === '(' || soql[j] === '[') {
                const close = matching(soql, j, soql[j], soql[j] === '(' ? ')' : ']');
                if (close < 0) break;
                j = close + 1;
            } else break;
        }
        out += `:bind${n++}`;
        i = j - 1;
    }
    return out
        .replace(/\b(LIMIT|OFFSET)\s+:bind\d+/gi, '$1 1')
        .replace(/\(\s*:bind\d+(\s*,\s*:bind\d+)*\s*\)/g, ':bind');
}

// ---------------------------------------------------------------------------------- resolution

/** What a query needs resolved: object names first (to load them), then every path. */
export class SoqlChecker {
    private readonly schema: Schema;
    readonly problems: string[] = [];

    constructor(schema: Schema) {
        this.schema = schema;
    }

    /** Parses and checks queries; returns how many parsed. */
    check(queries: SoqlSource[]): number {
        const parsed: { source: SoqlSource; query: Query }[] = [];
        for (const source of queries) {
            try {
                parsed.push({
                    source,
                    query: parseQuery(normaliseBinds(source.soql), {
                        allowApexBindVariables: true,
                        // explicit: any other value makes the library build a new parser per call (~25 ms)
                        ignoreParseErrors: false
                    })
                });
            } catch (e) {
                const reason = (e as Error).message.split('\n')[0];
                this.problems.push(
                    `${source.where}: SOQL does not parse (${reason}): ${oneLine(source.soql)}`
                );
            }
        }
        // Resolve in rounds: each round loads the objects the previous one reached.
        for (let round = 0; round < 6; round++) {
            const needed = new Set<string>();
            for (const { query } of parsed) this.collectObjects(query, needed);
            const before = needed.size;
            this.schema.load(needed);
            if (before === 0) break;
            let pending = false;
            for (const { query } of parsed) pending = this.walk(query, null, () => {}) || pending;
            if (!pending) break;
        }
        for (const { source, query } of parsed) {
            this.walk(query, null, (message) =>
                this.problems.push(`${source.where}: ${message} in: ${oneLine(source.soql)}`)
            );
        }
        return parsed.length;
    }

    /** Objects the resolution needs loaded now (FROM objects, and relationship targets reached). */
    private collectObjects(query: Query, needed: Set<string>): void {
        if (query.sObject) needed.add(query.sObject);
        this.walk(query, needed, () => {});
    }

    /**
     * Resolves every field of a query. `needed` (when given) collects objects to load; returns
     * true when something could not be decided yet because an object is not loaded.
     */
    private walk(
        query: QueryBase & { sObject?: string },
        needed: Set<string> | null,
        report: (message: string) => void,
        objectName?: string
    ): boolean {
        const name = objectName ?? query.sObject;
        if (!name) return false;
        const object = this.schema.get(name);
        if (object === undefined) {
            needed?.add(name);
            return true;
        }
        if (object === null) {
            report(`unknown object ${name}`);
            return false;
        }
        let pending = false;
        const aliases = new Set<string>();
        const prefix = query.sObjectAlias?.toLowerCase();
        const path = (p: string) => {
            pending = this.resolvePath(object, p, prefix, needed, report) || pending;
        };
        const fn = (f: FunctionExp | string) => {
            if (typeof f === 'string') path(f);
            else for (const p of f.parameters ?? []) fn(p);
        };
        for (const field of query.fields ?? []) {
            pending = this.field(object, field, prefix, needed, report, fn, aliases) || pending;
        }
        const where = (w: WhereClause | HavingClause | undefined) => {
            for (let c: WhereClause | HavingClause | undefined = w; c;) {
                const left = c.left as
                    (Condition & { field?: string; fn?: FunctionExp; valueQuery?: Query }) | null;
                if (left?.field) path(left.field);
                if (left?.fn) fn(left.fn);
                if (left?.valueQuery) {
                    pending = this.walk(left.valueQuery, needed, report) || pending;
                }
                c = 'right' in c ? c.right : undefined;
            }
        };
        where(query.where);
        where(query.having);
        for (const g of asArray(query.groupBy)) {
            if ('field' in g) path(g.field);
            else fn(g.fn);
        }
        for (const o of asArray(query.orderBy)) {
            if ('field' in o && o.field) {
                if (!aliases.has(o.field.toLowerCase())) path(o.field);
            } else if ('fn' in o && o.fn) fn(o.fn);
        }
        return pending;
    }

    private field(
        object: ObjectInfo,
        field: FieldType,
        prefix: string | undefined,
        needed: Set<string> | null,
        report: (message: string) => void,
        fn: (f: FunctionExp | string) => void,
        aliases: Set<string>
    ): boolean {
        switch (field.type) {
            case 'Field':
            case 'FieldRelationship': {
                const p =
                    field.type === 'Field'
                        ? field.field
                        : [...field.relationships, field.field].join('.');
                return this.resolvePath(object, p, prefix, needed, report);
            }
            case 'FieldFunctionExpression':
                if (field.alias) aliases.add(field.alias.toLowerCase());
                for (const p of field.parameters) fn(p);
                return false;
            case 'FieldSubquery': {
                const child = object.children.get(field.subquery.relationshipName.toLowerCase());
                if (!child) {
                    report(
                        `unknown child relationship ${object.name}.${field.subquery.relationshipName}`
                    );
                    return false;
                }
                return this.walk(field.subquery, needed, report, child);
            }
            case 'FieldTypeof':
                return this.resolvePath(object, field.field + '.Id', prefix, needed, report);
        }
        return false;
    }

    /** Follows a.b.c from `object`; true when a target object is not loaded yet. */
    private resolvePath(
        object: ObjectInfo,
        fieldPath: string,
        prefix: string | undefined,
        needed: Set<string> | null,
        report: (message: string) => void
    ): boolean {
        let parts = fieldPath.split('.');
        if (parts.length > 1 && prefix && parts[0].toLowerCase() === prefix) parts = parts.slice(1);
        let current = object;
        for (let i = 0; i < parts.length - 1; i++) {
            const targets = current.parents.get(parts[i].toLowerCase());
            if (!targets) {
                report(`unknown relationship ${current.name}.${parts[i]} (path ${fieldPath})`);
                return false;
            }
            const next = this.schema.get(targets[0]);
            if (next === undefined) {
                needed?.add(targets[0]);
                return true;
            }
            if (next === null) {
                report(`relationship ${current.name}.${parts[i]} points to unknown ${targets[0]}`);
                return false;
            }
            current = next;
        }
        const last = parts[parts.length - 1];
        if (!current.fields.has(last.toLowerCase())) {
            report(
                `unknown field ${current.name}.${last}${parts.length > 1 ? ` (path ${fieldPath})` : ''}`
            );
        }
        return false;
    }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------------- metadata

type MetadataRecord = { file: string; values: Map<string, string> };

/** Records of a custom metadata type (customMetadata/<Type>.<Name>.md-meta.xml). */
export function metadataRecords(metadataDir: string, type: string): MetadataRecord[] {
    const dir = path.join(metadataDir, 'customMetadata');
    if (!existsSync(dir)) return [];
    const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
    const records: MetadataRecord[] = [];
    for (const file of readdirSync(dir)) {
        if (!file.startsWith(`${type}.`) || !file.endsWith('.md-meta.xml')) continue;
        const doc = xml.parse(readFileSync(path.join(dir, file), 'utf8')) as {
            CustomMetadata?: { values?: { field: string; value?: unknown }[] | { field: string } };
        };
        const values = new Map<string, string>();
        for (const v of asArray(doc.CustomMetadata?.values) as {
            field: string;
            value?: unknown;
        }[]) {
            if (typeof v.value === 'string') values.set(v.field, v.value.trim());
        }
        records.push({ file: path.join('customMetadata', file), values });
    }
    return records;
}

const FIELD_ACTIONS = new Set(['TOKEN', 'NULL', 'ID', 'ID_EMAIL', 'TRUE', 'FALSE']);

/** Field names of a `Field=ACTION` list (as ErasureEngine.parseActions reads it). */
function actionFields(text: string | undefined, where: string, problems: string[]): string[] {
    const fields: string[] = [];
    for (const raw of (text ?? '').split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const eq = line.indexOf('=');
        const action =
            eq > 0
                ? line
                      .slice(eq + 1)
                      .trim()
                      .toUpperCase()
                : '';
        if (!FIELD_ACTIONS.has(action)) {
            problems.push(`${where}: FieldActions__c line "${line}" is not Field=ACTION`);
            continue;
        }
        fields.push(line.slice(0, eq).trim());
    }
    return fields;
}

/**
 * Conditions__c lines (FseRecordCriteria in Apex: `Field OPERATOR Value`, ANDed) as a WHERE
 * clause whose values are binds, so the SOQL check resolves the field names; lines that are not
 * `Field OPERATOR Value` with an allowed operator are reported.
 */
export function conditionsWhere(
    text: string | undefined,
    where: string,
    problems: string[]
): string[] {
    const conditions: string[] = [];
    for (const raw of (text ?? '').split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const m =
            /^([A-Za-z0-9_.]+)\s+(NOT\s+IN|IN)\s+(\S.*)$/i.exec(line) ??
            /^([A-Za-z0-9_.]+)\s*(!=|<=|>=|=|<|>)\s*(\S.*)$/.exec(line);
        if (!m) {
            problems.push(`${where}: Conditions__c line "${line}" is not Field OPERATOR Value`);
            continue;
        }
        const [, field, op, value] = m;
        const operator = op.toUpperCase().replace(/\s+/g, ' ');
        conditions.push(
            /^null$/i.test(value.trim())
                ? `${field} ${operator} NULL`
                : `${field} ${operator} :c${conditions.length}`
        );
    }
    return conditions;
}

/** The queries ErasureEngine and MinimisationJob build from the metadata records. */
export function metadataSoql(metadataDir: string, problems: string[]): SoqlSource[] {
    const queries: SoqlSource[] = [];
    for (const r of metadataRecords(metadataDir, 'ErasurePolicy')) {
        const v = r.values;
        const object = v.get('ObjectApiName__c');
        const subject = v.get('SubjectField__c');
        if (!object || !subject) {
            problems.push(`${r.file}: ObjectApiName__c and SubjectField__c are required`);
            continue;
        }
        const fields = [
            'Id',
            subject,
            ...actionFields(v.get('FieldActions__c'), r.file, problems),
            ...(v.get('ExportFields__c') ?? '')
                .split(',')
                .map((f) => f.trim())
                .filter(Boolean)
        ];
        const conditions = [
            `${subject} IN :subjectKeys`,
            ...conditionsWhere(v.get('Conditions__c'), r.file, problems)
        ];
        queries.push({
            where: r.file,
            soql: `SELECT ${fields.join(', ')} FROM ${object} WHERE ${conditions.join(' AND ')}`
        });
    }
    for (const r of metadataRecords(metadataDir, 'RetentionRule')) {
        const v = r.values;
        const object = v.get('ObjectApiName__c');
        const conditions = conditionsWhere(v.get('Conditions__c'), r.file, problems);
        if (!object || conditions.length === 0) {
            problems.push(`${r.file}: ObjectApiName__c and Conditions__c are required`);
            continue;
        }
        const fields = ['Id', ...actionFields(v.get('FieldActions__c'), r.file, problems)];
        if (v.get('Action__c') === 'AggregateThenDelete') {
            for (const f of ['AggregateBy__c', 'AggregateField__c']) {
                const value = v.get(f);
                if (value) fields.push(value);
                else problems.push(`${r.file}: AggregateThenDelete needs ${f}`);
            }
        }
        queries.push({
            where: r.file,
            soql: `SELECT ${[...new Set(fields)].join(', ')} FROM ${object} WHERE ${conditions.join(' AND ')}`
        });
    }
    return queries;
}

/** Names RoutingRule__mdt / ServiceConsoleSetting__mdt give routing must exist in force-app. */
export function routingConfigProblems(metadataDir: string, schema: Schema): string[] {
    const problems: string[] = [];
    const names = (folder: string, suffix: string) =>
        new Set(
            existsSync(path.join(metadataDir, folder))
                ? readdirSync(path.join(metadataDir, folder))
                      .filter((f) => f.endsWith(suffix))
                      .map((f) => f.slice(0, -suffix.length))
                : []
        );
    const skills = names('skills', '.skill-meta.xml');
    const queues = names('queues', '.queue-meta.xml');
    const channels = names('serviceChannels', '.serviceChannel-meta.xml');
    const picklist = (object: string, field: string) =>
        schema.forceApp(object)?.picklists.get(field.toLowerCase());
    for (const r of metadataRecords(metadataDir, 'RoutingRule')) {
        const v = r.values;
        for (const spec of (v.get('Skills__c') ?? '').split(',')) {
            const skill = spec.split(':')[0].trim();
            if (skill && !skills.has(skill))
                problems.push(`${r.file}: Skills__c names skill ${skill}, not in skills/`);
        }
        const queue = v.get('DefaultQueue__c');
        if (queue && !queues.has(queue))
            problems.push(`${r.file}: DefaultQueue__c ${queue} is not in queues/`);
        for (const [field, object, target] of [
            ['Topic__c', 'Case', 'Topic__c'],
            ['Language__c', 'Case', 'Language__c'],
            ['FseRole__c', 'Contact', 'FseRole__c']
        ]) {
            const allowed = picklist(object, target);
            for (const value of (v.get(field) ?? '').split(/[,;]/).map((s) => s.trim())) {
                if (value && allowed && !allowed.has(value))
                    problems.push(
                        `${r.file}: ${field} "${value}" is not a value of ${object}.${target}`
                    );
            }
        }
    }
    for (const r of metadataRecords(metadataDir, 'ServiceConsoleSetting')) {
        const queue = r.values.get('DefaultQueue__c');
        if (queue && !queues.has(queue))
            problems.push(`${r.file}: DefaultQueue__c ${queue} is not in queues/`);
        const channel = r.values.get('ServiceChannel__c');
        if (channel && !channels.has(channel))
            problems.push(`${r.file}: ServiceChannel__c ${channel} is not in serviceChannels/`);
    }
    return problems;
}

/** The whole check: static SOQL of every class and trigger, metadata queries, routing names. */
export function checkSoql(source: SchemaSource): { problems: string[]; queries: number } {
    const schema = new Schema(source);
    const checker = new SoqlChecker(schema);
    const queries: SoqlSource[] = [];
    for (const folder of ['classes', 'triggers']) {
        const dir = path.join(source.metadataDir, folder);
        if (!existsSync(dir)) continue;
        // Recursive: classes/ is grouped in folders by domain (portal/, console/, ...).
        for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
            if (!/\.(cls|trigger)$/.test(file)) continue;
            queries.push(
                ...staticSoql(readFileSync(path.join(dir, file), 'utf8'), path.join(folder, file))
            );
        }
    }
    const metadataProblems: string[] = [];
    queries.push(...metadataSoql(source.metadataDir, metadataProblems));
    const parsed = checker.check(queries);
    return {
        problems: [
            ...checker.problems,
            ...metadataProblems,
            ...routingConfigProblems(source.metadataDir, schema)
        ],
        queries: parsed
    };
}
