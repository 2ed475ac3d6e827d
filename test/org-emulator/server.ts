// The HTTP side: a plain node:http server routing the REST, Bulk API 2.0, OAuth and
// /__emulator endpoints to the org state.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BulkJobs, uploadTooLarge } from './bulk2.ts';
import { basicInfo, describeGlobal, describeSObject } from './describe.ts';
import { FaultState, type Faults } from './faults.ts';
import { makeId, normaliseId } from './ids.ts';
import {
    loadPermissionSets,
    STANDARD_SHARING,
    UserAccess,
    type PermissionSetDef,
    type SharingModel,
    type UserSpec
} from './permissions.ts';
import { loadSchema, type ObjectDef, type Schema } from './schema.ts';
import { BulkV1Jobs, type AsyncFormat, asyncError } from './bulk1.ts';
import {
    compileQuery,
    invalidType,
    recordUrl,
    toAggregateRecord,
    toRestRecord,
    formatValue,
    type CompiledQuery
} from './soql.ts';
import { Store } from './store.ts';
import { authFailure, EventBus, loadEventDefs } from './streaming.ts';
import { ApiError, dml, type DmlItem, type Operation, type WriteContext } from './validate.ts';
import { ValidationRules } from './validation-rules.ts';

export interface EmulatorOptions {
    port?: number;
    metadataDir?: string;
    faults?: Faults;
    /** DailyApiRequests Max (default 100,000 + 1,000 per licence for 5 licences = 105,000) */
    apiLimit?: number;
    seed?: number;
    /** how long a bulk job waits in UploadComplete and InProgress (ms, default 50) */
    bulkStepMs?: number;
    /** how long a CometD /meta/connect is held without events (ms, default 110,000 as in an org) */
    streamingTimeoutMs?: number;
    /** the integration user's password for the OAuth password grant (default: any non-empty one) */
    password?: string;
    /** Bulk API 2.0 upload limit per job, measured after base64 (default 150 MB, for tests) */
    bulkUploadLimitBytes?: number;
    /** Bulk API 1.0 query results are split into files of at most this size (default 1 GB) */
    bulkV1ResultMaxBytes?: number;
    /**
     * Whose `accessToken` it is (and who client-credentials and unknown JWT subjects log in
     * as): 'admin' (default, a System Administrator), 'integration' (FSE_Sync_Integration on a
     * Minimum Access profile, the sync worker's user) or the username of a user in `users`.
     */
    user?: string;
    /** more users, created at start (each also gets a token: `tokenFor(username)`) */
    users?: UserSpec[];
    /** organization-wide defaults overriding those of permissions.ts (by object API name) */
    sharing?: Record<string, SharingModel>;
}

export const API_VERSIONS = Array.from({ length: 64 - 31 + 1 }, (_, i) => `${31 + i}.0`);
const QUERY_BATCH = 2000;

export interface Response {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    raw?: string | Buffer;
}

export interface Request {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
    version: string;
    /** the user the request's token belongs to */
    userId: string;
}

const json = (status: number, body?: unknown, headers?: Record<string, string>): Response => ({
    status,
    body,
    headers
});

/** A JSON request body: a record's fields, or an envelope such as `{allOrNone, records}`. */
type JsonBody = Record<string, unknown>;

/** One record in an sObject Collections request. */
interface CollectionRecord {
    attributes?: { type?: string };
    [field: string]: unknown;
}

/** A `columnMetadata` entry for a relationship column, nested one level per hop. */
interface JoinColumn {
    aggregate: boolean;
    columnName: string | null;
    displayName: string | null;
    joinColumns: JoinColumn[];
}

function parseJson(req: Request): JsonBody {
    if (req.body.length === 0) return {};
    try {
        return JSON.parse(req.body.toString('utf8')) as JsonBody;
    } catch (e) {
        throw new ApiError(
            400,
            'JSON_PARSER_ERROR',
            `Unexpected character: ${(e as Error).message}`
        );
    }
}

interface Cursor {
    q: CompiledQuery;
    version: string;
    created: number;
}

export class Org {
    readonly schema: Schema;
    readonly store: Store;
    readonly faults: FaultState;
    readonly bulk: BulkJobs;
    /** Bulk API 1.0 (/services/async/NN.N): query and queryAll jobs */
    readonly bulkV1: BulkV1Jobs;
    /** platform events (`objects/*__e`) and the CometD endpoint */
    readonly events: EventBus;
    readonly options: EmulatorOptions;
    apiLimit: number;
    apiUsed = 0;
    /** access token -> the calls made with it and whose it is */
    readonly tokens = new Map<string, { calls: number; userId: string }>();
    /** refresh token -> whose it is */
    readonly refreshTokens = new Map<string, string>();
    /** the permission sets of the metadata folder (permissions.ts) */
    readonly permissionSets: Map<string, PermissionSetDef>;
    readonly rules: ValidationRules;
    /** organization-wide defaults of the standard objects (custom ones: their metadata) */
    readonly sharing: Record<string, SharingModel>;
    /** fields hidden from every user (faults.hiddenFields), lower-case `object.field` */
    private readonly hidden = new Set<string>();
    private readonly accessByUser = new Map<string, UserAccess>();
    /** the user of `accessToken` */
    readonly defaultUserId: string;
    accessToken: string;
    private cursors = new Map<string, Cursor>();
    private cursorSeq = 0;
    readonly calls = new Map<string, number>();
    /** records successfully written (inserted, updated, upserted, deleted), by object */
    readonly writes = new Map<string, number>();
    /** request/response body bytes of counted API calls (what a client uploads and downloads) */
    bytesReceived = 0;
    bytesSent = 0;
    instanceUrl = '';
    /** Bulk API 2.0 upload limit per job in bytes, measured after base64 */
    readonly bulkUploadLimit: number;

    constructor(options: EmulatorOptions) {
        this.options = options;
        this.bulkUploadLimit = options.bulkUploadLimitBytes ?? 150 * 1024 * 1024;
        this.schema = loadSchema(options.metadataDir ?? 'force-app');
        this.permissionSets = loadPermissionSets(options.metadataDir ?? 'force-app');
        this.rules = new ValidationRules(options.metadataDir ?? 'force-app');
        this.sharing = { ...STANDARD_SHARING, ...(options.sharing ?? {}) };
        this.store = new Store(this.schema);
        for (const spec of options.users ?? []) this.createUser(spec);
        this.defaultUserId = this.userIdOf(options.user ?? 'admin');
        this.faults = new FaultState(options.faults ?? {}, options.seed ?? 1);
        this.faults.onChange = (faults) => this.hideFields(faults.hiddenFields ?? []);
        this.apiLimit = options.apiLimit ?? 105000;
        this.bulk = new BulkJobs(this, options.bulkStepMs ?? 50);
        this.bulkV1 = new BulkV1Jobs(
            this,
            options.bulkStepMs ?? 50,
            options.bulkV1ResultMaxBytes ?? 1024 * 1024 * 1024
        );
        this.events = new EventBus(
            loadEventDefs(options.metadataDir ?? 'force-app'),
            this.store.userId,
            options.streamingTimeoutMs
        );
        this.accessToken = this.issueToken();
        this.hideFields(options.faults?.hiddenFields ?? []);
    }

    /**
     * Fields no user can read (faults.hiddenFields), on top of the permission sets: a permission
     * set of the org that differs from force-app's. Field-level security as the API applies it:
     * the field is absent from describe, "No such column" in SOQL and REST writes, "Field name
     * not found" in a Bulk API 2.0 upload (../shared/docs/salesforce-api.md, "an invisible field
     * in a Bulk upload fails the whole job"). Stored values are kept.
     */
    hideFields(names: readonly string[]): void {
        this.hidden.clear();
        for (const name of names) {
            const [objectName, fieldName] = name.split('.');
            const obj = this.schema.get(objectName ?? '');
            const field = obj?.byName.get((fieldName ?? '').toLowerCase());
            if (!obj || !field) throw new Error(`hiddenFields: unknown field ${name}`);
            this.hidden.add(`${obj.name}.${field.name}`.toLowerCase());
        }
        this.accessByUser.clear();
    }

    // ---- users ---------------------------------------------------------------------------------

    /** A user's id from 'admin', 'integration', a username or an id. */
    userIdOf(who: string): string {
        if (who === 'integration') return this.store.userIdAt(0);
        if (who === 'admin') return this.store.userIdAt(1);
        const id18 = normaliseId(who);
        if (id18?.startsWith('005') && this.userIndex(id18) >= 0) return id18;
        const i = this.store.users.findIndex((u) => u.username.toLowerCase() === who.toLowerCase());
        if (i < 0) throw new Error(`no user ${who} in the emulated org`);
        return this.store.userIdAt(i);
    }

    private userIndex(userId: string): number {
        const i = this.store.users.findIndex((_u, n) => this.store.userIdAt(n) === userId);
        return i;
    }

    userSpec(userId: string): UserSpec {
        const i = this.userIndex(userId);
        if (i < 0) throw new Error(`no user ${userId} in the emulated org`);
        return this.store.users[i];
    }

    /** Adds a user; its permission sets must exist in the metadata folder. */
    createUser(spec: UserSpec): string {
        for (const name of spec.permissionSets ?? [])
            if (!this.permissionSets.has(name))
                throw new Error(`no permission set ${name} in the metadata folder`);
        return this.store.addUser(spec);
    }

    /** What the user may do (cached; rebuilt when hiddenFields change). */
    accessOf(userId: string): UserAccess {
        let access = this.accessByUser.get(userId);
        if (!access) {
            const spec = this.userSpec(userId);
            // (a metadata folder without FSE_Sync_Integration leaves the built-in integration
            // user with the Minimum Access profile alone; createUser checks the names it gets)
            const sets = (spec.permissionSets ?? [])
                .map((name) => this.permissionSets.get(name))
                .filter((set): set is PermissionSetDef => set !== undefined);
            access = new UserAccess(userId, spec, sets, this.schema, this.hidden, this.sharing);
            this.accessByUser.set(userId, access);
        }
        return access;
    }

    /** The object as the user sees it, or the REST answer for an object that does not exist. */
    viewOf(userId: string, name: string): ObjectDef {
        const obj = this.accessOf(userId).schemaView.get(name);
        if (!obj) throw invalidTypeRest(name);
        return obj;
    }

    /** What a query of this user sees: the user's schema and record access. */
    queryAccess(userId: string) {
        const access = this.accessOf(userId);
        return { schema: access.schemaView, rows: access.rows(this.store) };
    }

    private jobNumber = 0;

    /** One counter for Bulk API job, batch and result ids (750…, 751…, 752…), 1.0 and 2.0 alike. */
    nextJobNumber(): number {
        return ++this.jobNumber;
    }

    issueToken(userId: string = this.defaultUserId): string {
        const token = `${this.store.orgId.slice(0, 15)}!AQ${randomBytes(24).toString('base64url')}`;
        this.tokens.set(token, { calls: 0, userId });
        return token;
    }

    issueRefreshToken(userId: string = this.defaultUserId): string {
        const t = `5Aep861${randomBytes(32).toString('base64url')}`;
        this.refreshTokens.set(t, userId);
        return t;
    }

    /** The user a token belongs to (the default user for an unknown token). */
    userOfToken(token: string): string {
        return this.tokens.get(token)?.userId ?? this.defaultUserId;
    }

    writeContext(userId: string, systemMode = false): WriteContext {
        const access = this.accessOf(userId);
        return {
            store: this.store,
            now: Date.now(),
            lockFault: this.faults.lockFault(),
            parentLock: this.faults.parentLockFault(),
            userId,
            access,
            rows: access.rows(this.store),
            systemMode,
            rules: this.rules
        };
    }

    count(kind: string): void {
        this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
    }

    countWrites(items: DmlItem[], results: { success: boolean }[]): void {
        results.forEach((r, i) => {
            if (!r.success || !items[i]) return;
            const name = items[i].obj.name;
            this.writes.set(name, (this.writes.get(name) ?? 0) + 1);
        });
    }

    stats() {
        const records: Record<string, number> = {};
        const deleted: Record<string, number> = {};
        for (const t of this.store.allTables()) {
            if (t.obj.metadata) continue; // EntityDefinition/FieldDefinition describe the schema
            records[t.obj.name] = t.liveCount;
            if (t.deletedCount) deleted[t.obj.name] = t.deletedCount;
        }
        return {
            apiUsage: { used: this.apiUsed, max: this.apiLimit },
            calls: Object.fromEntries(this.calls),
            writes: Object.fromEntries(this.writes),
            bytes: { received: this.bytesReceived, sent: this.bytesSent },
            records,
            deleted,
            bulkJobs: this.bulk.summary(),
            bulkV1Jobs: this.bulkV1.summary()
        };
    }

    reset(): void {
        this.store.reset();
        this.apiUsed = 0;
        this.calls.clear();
        this.writes.clear();
        this.bytesReceived = 0;
        this.bytesSent = 0;
        this.cursors.clear();
        this.bulk.reset();
        this.bulkV1.reset();
    }

    limitHeader(): Record<string, string> {
        return { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/${this.apiLimit}` };
    }

    object(name: string): ObjectDef {
        const o = this.schema.get(name);
        if (!o) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
        return o;
    }

    // ---- query -------------------------------------------------------------------------------

    queryPage(q: CompiledQuery, version: string, start: number): Record<string, unknown> {
        if (q.aggregateRows) {
            // aggregate functions without GROUP BY: at most one AggregateResult row, never paged
            return {
                totalSize: q.aggregateRows.length,
                done: true,
                records: q.aggregateRows.map(toAggregateRecord)
            };
        }
        const end = Math.min(start + QUERY_BATCH, q.rows.length);
        const records = [];
        for (let i = start; i < end; i++)
            records.push(toRestRecord(this.store, q, q.rows[i], version));
        const body: Record<string, unknown> = {
            totalSize: q.totalSize,
            done: end >= q.rows.length,
            records
        };
        if (end < q.rows.length) {
            let locator = [...this.cursors.entries()].find(([, c]) => c.q === q)?.[0];
            if (!locator) {
                locator = makeId('01g', ++this.cursorSeq).slice(0, 15);
                this.cursors.set(locator, { q, version, created: Date.now() });
                // a real org keeps at most 10 open cursors per user; keep a few more here
                if (this.cursors.size > 50) this.cursors.delete(this.cursors.keys().next().value!);
            }
            body.nextRecordsUrl = `/services/data/v${version}/query/${locator}-${end}`;
        }
        return body;
    }

    /**
     * A query answers what the user can see: objects without Read are INVALID_TYPE, fields
     * without read access INVALID_FIELD "No such column", and records the user cannot see are
     * simply not there (../shared/docs/salesforce-api.md: "queries just return fewer rows, no
     * error"; Salesforce Help, "Field Permissions": FLS applies to the APIs).
     */
    query(req: Request, all: boolean): Response {
        const soql = req.query.get('q');
        if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
        const access = this.queryAccess(req.userId);
        const q = compileQuery(this.store, soql, all, access);
        if (req.query.get('columns') === 'true') return json(200, this.columnMetadata(q));
        if (q.countOnly)
            return json(200, {
                totalSize: this.countAll(soql, all, req.userId),
                done: true,
                records: []
            });
        return json(200, this.queryPage(q, req.version, 0));
    }

    private countAll(soql: string, all: boolean, userId: string): number {
        // COUNT() ignores LIMIT only when none is given; compileQuery already applied both
        const q = compileQuery(
            this.store,
            soql.replace(/\bCOUNT\s*\(\s*\)/i, 'Id'),
            all,
            this.queryAccess(userId)
        );
        return q.totalSize;
    }

    /** What `sf data query` asks for with &columns=true. */
    columnMetadata(q: CompiledQuery) {
        if (q.aggregates) {
            return {
                columnMetadata: q.aggregates.map((a) => ({
                    aggregate: true,
                    apexType: null,
                    booleanType: false,
                    columnName: a.key,
                    custom: false,
                    displayName: a.key,
                    foreignKeyName: null,
                    insertable: false,
                    joinColumns: [],
                    numberType: a.fn.startsWith('COUNT') || a.fn === 'SUM' || a.fn === 'AVG',
                    textType: false,
                    updatable: false
                })),
                entityName: 'AggregateResult',
                groupBy: false,
                idSelected: false,
                keyPrefix: null
            };
        }
        return {
            columnMetadata: q.columns.map((c) => {
                if (c.hops.length === 0) {
                    return {
                        aggregate: false,
                        apexType: null,
                        booleanType: false,
                        columnName: c.field.name,
                        custom: c.field.custom,
                        displayName: c.field.name,
                        foreignKeyName: null,
                        insertable: c.field.createable,
                        joinColumns: [],
                        numberType: false,
                        textType: true,
                        updatable: c.field.updateable
                    };
                }
                // nested: Account.Name -> {columnName: Account, joinColumns: [{columnName: Name}]}
                const build = (i: number): JoinColumn => {
                    if (i === c.hops.length)
                        return {
                            aggregate: false,
                            columnName: c.field.name,
                            displayName: c.path,
                            joinColumns: []
                        };
                    return {
                        aggregate: false,
                        columnName: c.hops[i].relationshipName,
                        displayName: c.hops[i].relationshipName,
                        joinColumns: [build(i + 1)]
                    };
                };
                return build(0);
            }),
            entityName: q.obj.name,
            groupBy: false,
            idSelected: q.columns.some((c) => c.hops.length === 0 && c.field.name === 'Id'),
            keyPrefix: q.obj.keyPrefix
        };
    }

    /** GET /tooling/query: the same SOQL, limited to the objects the Tooling API shares with
     *  the REST API here (EntityDefinition, FieldDefinition); anything else is INVALID_TYPE. */
    toolingQuery(req: Request): Response {
        const soql = req.query.get('q');
        if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
        const from = /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '';
        if (!this.schema.get(from)?.metadata) throw invalidType(from);
        const q = compileQuery(this.store, soql, false, this.queryAccess(req.userId));
        if (q.countOnly) return json(200, { totalSize: q.totalSize, done: true, records: [] });
        const page = this.queryPage(q, req.version, 0);
        return json(200, { size: page.totalSize, ...page, entityTypeName: q.obj.name });
    }

    queryMore(req: Request, locatorAndOffset: string): Response {
        const m = /^(.+)-(\d+)$/.exec(locatorAndOffset);
        const cursor = m ? this.cursors.get(m[1]) : undefined;
        if (!m || !cursor)
            throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        return json(200, this.queryPage(cursor.q, req.version, Number(m[2])));
    }

    // ---- sObjects ------------------------------------------------------------------------------

    recordBody(
        obj: ObjectDef,
        row: number,
        version: string,
        fields?: string[]
    ): Record<string, unknown> {
        const table = this.store.table(obj);
        const cols = fields
            ? fields.map((n) => {
                  const f = obj.byName.get(n.trim().toLowerCase());
                  if (!f)
                      throw new ApiError(
                          400,
                          'INVALID_FIELD',
                          `No such column '${n.trim()}' on sobject of type ${obj.name}`
                      );
                  return f;
              })
            : obj.fields;
        const rec: Record<string, unknown> = {
            attributes: { type: obj.name, url: recordUrl(table, row, version) }
        };
        for (const f of cols)
            rec[f.name] =
                f.type === 'id' ? table.idOf(row) : formatValue(f, table.get(row, f), 'rest');
        return rec;
    }

    runDml(userId: string, op: Operation, items: DmlItem[], allOrNone: boolean, extField?: string) {
        const results = dml(this.writeContext(userId), op, items, {
            mode: 'json',
            allOrNone,
            extField
        });
        this.countWrites(items, results);
        return results;
    }

    sobjects(req: Request, parts: string[]): Response {
        const v = req.version;
        const access = this.accessOf(req.userId);
        if (parts.length === 0) {
            if (req.method !== 'GET') throw methodNotAllowed(req);
            return json(200, describeGlobal(access.schemaView.objects(), v));
        }
        const event = this.events.def(parts[0]);
        if (event) {
            // platform events are published (inserted) only; they are not records
            if (parts.length === 1 && req.method === 'POST') {
                return this.events.publish(event, parseJson(req));
            }
            if (parts.length === 1 && req.method === 'GET')
                return json(200, { objectDescribe: { name: event.name, createable: true } });
            throw methodNotAllowed(req);
        }
        const obj = this.viewOf(req.userId, parts[0]);
        const rows = access.rows(this.store);
        if (parts.length === 1) {
            if (req.method === 'GET') return json(200, basicInfo(obj, v));
            if (req.method === 'POST') {
                const body = parseJson(req);
                const [r] = this.runDml(req.userId, 'insert', [{ obj, input: body }], true);
                if (!r.success)
                    return json(
                        400,
                        r.errors.map((e) => ({
                            message: e.message,
                            errorCode: e.statusCode,
                            fields: e.fields
                        }))
                    );
                return json(201, { id: r.id, success: true, errors: [] });
            }
            throw methodNotAllowed(req);
        }
        if (parts.length === 2 && parts[1] === 'describe')
            return json(
                200,
                describeSObject(obj, v, (f) => access.canEditField(obj, f))
            );
        if (parts.length === 2) {
            const loc = this.store.locate(parts[1]);
            const table = this.store.table(obj);
            // an id-shaped value that is not an id of this object (another key prefix, a bad
            // case-safe suffix) is 400 MALFORMED_ID, as in an org; a plain miss is NOT_FOUND
            const id18 = normaliseId(parts[1]);
            if (
                /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(parts[1]) &&
                (!id18 || id18.slice(0, 3) !== obj.keyPrefix)
            )
                throw new ApiError(
                    400,
                    'MALFORMED_ID',
                    `${obj.label} ID: id value of incorrect type: ${parts[1]}`
                );
            if (!loc || loc.table !== table)
                throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
            if (req.method === 'GET') {
                // REST API Developer Guide, "Status Codes and Error Responses": 404 "The
                // requested resource couldn't be found. Check the URI for errors, and verify
                // that there are no sharing issues."
                if (!table.isLive(loc.row) || !rows.canRead(table, loc.row))
                    throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
                return json(
                    200,
                    this.recordBody(obj, loc.row, v, req.query.get('fields')?.split(','))
                );
            }
            if (req.method === 'PATCH') {
                const body = parseJson(req);
                const [r] = this.runDml(
                    req.userId,
                    'update',
                    [{ obj, input: { ...body, Id: loc.id } }],
                    true
                );
                if (!r.success) return errorsResponse(r.errors);
                return { status: 204 };
            }
            if (req.method === 'DELETE') {
                const [r] = this.runDml(
                    req.userId,
                    'delete',
                    [{ obj, input: { Id: loc.id } }],
                    true
                );
                if (!r.success) return errorsResponse(r.errors, 404);
                return { status: 204 };
            }
            throw methodNotAllowed(req);
        }
        if (parts.length === 3) {
            // /sobjects/{T}/{extField}/{value}
            const ext = obj.byName.get(parts[1].toLowerCase());
            if (!ext || !(ext.externalId || ext.idLookup)) {
                throw new ApiError(
                    404,
                    'NOT_FOUND',
                    `Provided external ID field does not exist or is not accessible: ${parts[1]}`
                );
            }
            const value = decodeURIComponent(parts[2]);
            const table = this.store.table(obj);
            const matches = (
                ext.type === 'id'
                    ? (() => {
                          const loc = this.store.locate(value);
                          return loc && loc.table === table && table.isLive(loc.row)
                              ? [loc.row]
                              : [];
                      })()
                    : table.lookup(ext, value)
            ).filter((r) => rows.canRead(table, r));
            if (req.method === 'GET' || req.method === 'DELETE') {
                if (matches.length === 0)
                    throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
                if (matches.length > 1)
                    return json(
                        300,
                        matches.map(
                            (r) => `/services/data/v${v}/sobjects/${obj.name}/${table.idOf(r)}`
                        )
                    );
                if (req.method === 'GET')
                    return json(
                        200,
                        this.recordBody(obj, matches[0], v, req.query.get('fields')?.split(','))
                    );
                this.runDml(
                    req.userId,
                    'delete',
                    [{ obj, input: { Id: table.idOf(matches[0]) } }],
                    true
                );
                return { status: 204 };
            }
            if (req.method === 'PATCH' || req.method === 'POST') {
                if (matches.length > 1)
                    return json(
                        300,
                        matches.map(
                            (r) => `/services/data/v${v}/sobjects/${obj.name}/${table.idOf(r)}`
                        )
                    );
                const body = parseJson(req);
                for (const k of Object.keys(body)) {
                    if (k.toLowerCase() === ext.name.toLowerCase() && String(body[k]) !== value) {
                        throw new ApiError(
                            400,
                            'INVALID_FIELD',
                            `The value of the external ID field in the request body (${body[k]}) doesn't match the value in the request URL (${value})`
                        );
                    }
                }
                const [r] = this.runDml(
                    req.userId,
                    'upsert',
                    [{ obj, input: { ...body, [ext.name]: value } }],
                    true,
                    ext.name
                );
                if (!r.success) return errorsResponse(r.errors);
                return json(r.created ? 201 : 200, {
                    id: r.id,
                    success: true,
                    errors: [],
                    created: r.created
                });
            }
            throw methodNotAllowed(req);
        }
        throw notFound();
    }

    collections(req: Request, parts: string[]): Response {
        if (parts.length === 0) {
            if (req.method === 'DELETE') {
                const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
                if (ids.length > 200) throw tooMany();
                const allOrNone = req.query.get('allOrNone') === 'true';
                const items = ids.map((id) => ({
                    obj: this.schema.byPrefix.get(id.slice(0, 3)) ?? this.schema.get('Account')!,
                    input: { Id: id }
                }));
                return json(
                    200,
                    this.runDml(req.userId, 'delete', items, allOrNone).map(resultBody)
                );
            }
            if (req.method === 'GET') return this.collectionRetrieve(req, parts);
            const body = parseJson(req);
            const records = (body.records ?? []) as CollectionRecord[];
            if (!Array.isArray(records))
                throw new ApiError(400, 'JSON_PARSER_ERROR', 'records must be an array');
            if (records.length > 200) throw tooMany();
            const items = records.map((rec) => {
                const type = rec?.attributes?.type;
                if (!type)
                    throw new ApiError(
                        400,
                        'INVALID_FIELD',
                        'When using composite sobject collection, sobject type must be specified in attributes'
                    );
                return { obj: this.viewOf(req.userId, type), input: rec };
            });
            const op: Operation =
                req.method === 'POST'
                    ? 'insert'
                    : req.method === 'PATCH'
                      ? 'update'
                      : (() => {
                            throw methodNotAllowed(req);
                        })();
            return json(
                200,
                this.runDml(req.userId, op, items, Boolean(body.allOrNone)).map(resultBody)
            );
        }
        if (parts.length === 1 && req.method === 'GET') return this.collectionRetrieve(req, parts);
        if (parts.length === 2 && req.method === 'PATCH') {
            const obj = this.viewOf(req.userId, parts[0]);
            const body = parseJson(req);
            const records = (body.records ?? []) as CollectionRecord[];
            if (records.length > 200) throw tooMany();
            const items = records.map((rec) => {
                const type = rec?.attributes?.type;
                if (type && type.toLowerCase() !== obj.name.toLowerCase())
                    throw new ApiError(
                        400,
                        'INVALID_FIELD',
                        `sObject type ${type} in attributes does not match ${obj.name}`
                    );
                return { obj, input: rec };
            });
            return json(
                200,
                this.runDml(req.userId, 'upsert', items, Boolean(body.allOrNone), parts[1]).map(
                    resultBody
                )
            );
        }
        throw notFound();
    }

    private collectionRetrieve(req: Request, parts: string[]): Response {
        const obj = this.accessOf(req.userId).schemaView.get(parts[0] ?? '');
        if (!obj) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
        const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
        const fields = (req.query.get('fields') ?? 'Id').split(',');
        const table = this.store.table(obj);
        const rows = this.accessOf(req.userId).rows(this.store);
        return json(
            200,
            ids.map((id) => {
                const loc = this.store.locate(id);
                return loc &&
                    loc.table === table &&
                    table.isLive(loc.row) &&
                    rows.canRead(table, loc.row)
                    ? this.recordBody(obj, loc.row, req.version, fields)
                    : null;
            })
        );
    }

    limits(): Response {
        const remaining = Math.max(0, this.apiLimit - this.apiUsed);
        return json(200, {
            DailyApiRequests: { Max: this.apiLimit, Remaining: remaining },
            // shared by Bulk API 1.0 batches and Bulk API 2.0 internal batches
            DailyBulkApiBatches: {
                Max: 15000,
                Remaining: 15000 - this.bulk.batchesToday() - this.bulkV1.batchesToday()
            },
            DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 - this.bulk.queryJobsToday() },
            DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
            DataStorageMB: { Max: 1024, Remaining: 1024 },
            ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 }
        });
    }
}

function resultBody(r: {
    id: string | null;
    success: boolean;
    errors: { statusCode: string; message: string; fields: string[] }[];
    created?: boolean;
}) {
    const out: Record<string, unknown> = {
        id: r.id ?? undefined,
        success: r.success,
        errors: r.errors
    };
    if (r.id === null) delete out.id;
    if (r.created !== undefined) out.created = r.created;
    return out;
}

function errorsResponse(
    errors: { statusCode: string; message: string; fields: string[] }[],
    status = 400
): Response {
    if (errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED')) status = 404;
    return json(
        status,
        errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }))
    );
}

const notFound = () => new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
const tooMany = () =>
    new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call'
    );
const methodNotAllowed = (req: Request) =>
    new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${req.method}' not allowed. Allowed are GET,HEAD,PATCH,POST,DELETE`
    );
const invalidTypeRest = (name: string) =>
    new ApiError(
        404,
        'NOT_FOUND',
        `The requested resource does not exist: sObject type '${name}' is not supported.`
    );

// ---- HTTP ------------------------------------------------------------------------------------

function send(res: http.ServerResponse, r: Response, extra: Record<string, string> = {}): void {
    sendSized(res, r, extra);
}

/** Writes the response; returns the body size in bytes. */
function sendSized(
    res: http.ServerResponse,
    r: Response,
    extra: Record<string, string> = {}
): number {
    const headers: Record<string, string> = { ...extra, ...(r.headers ?? {}) };
    let payload: string | Buffer | undefined;
    if (r.raw !== undefined) payload = r.raw;
    else if (r.body !== undefined) {
        payload = JSON.stringify(r.body);
        headers['Content-Type'] ??= 'application/json;charset=UTF-8';
    }
    if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
    res.writeHead(r.status, headers);
    res.end(payload);
    return payload === undefined ? 0 : Buffer.byteLength(payload);
}

/** faults.cutReplies: the status, the headers and part of the body, then the connection drops. */
function sendCut(
    org: Org,
    res: http.ServerResponse,
    r: Response,
    method: string,
    path: string
): boolean {
    const payload =
        r.raw !== undefined ? r.raw : r.body !== undefined ? JSON.stringify(r.body) : '';
    const bytes = Buffer.from(payload);
    const keep = org.faults.cutReply(method, path, bytes.length);
    if (keep === undefined) return false;
    org.count('fault-cut-reply');
    res.writeHead(r.status, {
        ...org.limitHeader(),
        ...(r.headers ?? {}),
        'Content-Length': String(bytes.length)
    });
    res.write(bytes.subarray(0, keep), () => res.socket?.destroy());
    return true;
}

function errorBody(e: ApiError): unknown {
    return [
        { message: e.message, errorCode: e.errorCode, ...(e.fields ? { fields: e.fields } : {}) }
    ];
}

export async function readBody(
    req: http.IncomingMessage,
    max: number,
    tooLarge: () => ApiError = () =>
        new ApiError(
            413,
            'REQUEST_ENTITY_TOO_LARGE',
            `Request entity too large: the maximum upload is ${max} bytes`
        )
): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    // read to the end even past the limit (dropping the bytes): leaving the loop early would
    // destroy the socket and the client would see a connection reset instead of the answer
    for await (const c of req) {
        size += (c as Buffer).length;
        if (size > max) over = true;
        if (!over) chunks.push(c as Buffer);
    }
    if (over) throw tooLarge();
    return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The body of a refusal by admit(): REST's error array (with Sforce-Limit-Info once counted). */
function restFault(org: Org, status: number, code: string, message: string): Response {
    return json(
        status,
        [{ message, errorCode: code }],
        status === 401 ? undefined : org.limitHeader()
    );
}

/** Bulk API 1.0 refusals: an invalid session is HTTP 400 InvalidSessionId "Invalid session id"
 *  (as jsforce's BulkApi.isSessionExpired and other clients expect); the other codes are the
 *  emulator's choice (not checked against an org). */
function asyncFault(format: AsyncFormat, status: number, code: string, message: string): Response {
    if (code === 'INVALID_SESSION_ID')
        return asyncError(format, 400, 'InvalidSessionId', 'Invalid session id');
    const codes: Record<string, string> = {
        REQUEST_LIMIT_EXCEEDED: 'ExceededQuota',
        SERVER_UNAVAILABLE: 'ServerUnavailable',
        UNKNOWN_EXCEPTION: 'UnknownException'
    };
    return asyncError(format, status, codes[code] ?? code, message);
}

/**
 * What every counted API request goes through, for /services/data and /services/async alike:
 * the token, the fault-injected session expiry, the daily allocation, the call count and the
 * injected faults. Returns false when it has answered (or dropped) the request itself.
 */
function admit(
    org: Org,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    token: string,
    kind: string,
    refuse: (status: number, code: string, message: string) => Response
): boolean {
    const session = org.tokens.get(token);
    const expireAfter = org.faults.faults.sessionExpiresAfterCalls;
    if (session && expireAfter !== undefined && session.calls >= expireAfter)
        org.tokens.delete(token);
    if (!session || !org.tokens.has(token)) {
        org.count('unauthorized');
        req.resume();
        send(res, refuse(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
        return false;
    }
    session.calls++;
    if (org.apiUsed >= org.apiLimit || org.faults.faults.requestLimitExceeded) {
        org.count('limitExceeded');
        req.resume();
        send(res, refuse(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
        return false;
    }
    org.apiUsed++;
    org.count(kind);
    const fault = org.faults.onApiCall();
    if (fault === 'reset') {
        org.count('fault-reset');
        req.socket.destroy();
        return false;
    }
    if (fault) {
        org.count(`fault-${fault}`);
        req.resume();
        send(
            res,
            fault === 503
                ? refuse(
                      503,
                      'SERVER_UNAVAILABLE',
                      'Server temporarily unavailable, please try again later'
                  )
                : refuse(
                      fault,
                      'UNKNOWN_EXCEPTION',
                      'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'
                  )
        );
        return false;
    }
    return true;
}

export async function handle(
    org: Org,
    req: http.IncomingMessage,
    res: http.ServerResponse
): Promise<void> {
    // `//services/data` would parse as a protocol-relative URL: collapse leading slashes first
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://localhost');
    // the sf CLI keeps the trailing slash of the instance URL: //services/data
    const path = url.pathname.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (process.env.FSE_EMULATOR_LOG)
        process.stderr.write(`org-emulator: ${method} ${url.pathname}${url.search}\n`);
    const latency = org.faults.latency();
    if (latency) await sleep(latency);
    try {
        // ---- unauthenticated: OAuth and the versions list
        if (path.startsWith('/services/oauth2/')) {
            org.count('oauth');
            const { oauth } = await import('./oauth.ts');
            const body = await readBody(req, 1 << 20);
            return send(res, oauth(org, method, path, url.searchParams, req.headers, body));
        }
        if (path === '/services/data') {
            org.count('versions');
            return send(
                res,
                json(
                    200,
                    API_VERSIONS.map((v) => ({
                        label: `v${v}`,
                        url: `/services/data/v${v}`,
                        version: v
                    }))
                )
            );
        }
        if (path.startsWith('/__emulator/')) {
            org.count('emulator');
            const body = await readBody(req, 1 << 20);
            return send(res, emulatorEndpoint(org, method, path, body));
        }
        if (/^\/cometd\/\d+\.\d$/.test(path)) {
            // Streaming API (CometD): authenticated like the REST API, not counted as API calls
            org.count('cometd');
            const body = await readBody(req, 1 << 20);
            let messages: unknown;
            try {
                messages = JSON.parse(body.toString('utf8') || '[]');
            } catch {
                return send(res, json(400, [{ successful: false, error: '400::Bad request' }]));
            }
            const token = (req.headers.authorization ?? '')
                .replace(/^(Bearer|OAuth)\s+/i, '')
                .trim();
            if (!org.tokens.has(token)) return send(res, json(401, authFailure(messages)));
            if (method !== 'POST') return send(res, json(405, []));
            org.events.handle(messages, res);
            return;
        }
        if (path.startsWith('/id/')) {
            // the identity URL (the token response's `id`): authenticated, not an API request
            org.count('identity');
            req.resume();
            const { identity } = await import('./oauth.ts');
            return send(res, identity(org, path, url.searchParams, req.headers));
        }
        const async = /^\/services\/async\/(\d+\.\d)(\/.*)?$/.exec(path);
        if (async) {
            // Bulk API 1.0: the session id in X-SFDC-Session (an OAuth token works there too, and
            // in Authorization: Bearer), errors as XML (or JSON for JSON requests)
            const format = org.bulkV1.format(req.headers);
            const parts = (async[2] ?? '').split('/').filter(Boolean);
            const token = String(req.headers['x-sfdc-session'] ?? req.headers.authorization ?? '')
                .replace(/^(Bearer|OAuth)\s+/i, '')
                .trim();
            const kind =
                parts.length <= 2
                    ? 'bulk1-job'
                    : parts.length <= 5
                      ? 'bulk1-batch'
                      : 'bulk1-result';
            if (
                !admit(org, req, res, token, kind, (status, code, message) =>
                    asyncFault(format, status, code, message)
                )
            )
                return;
            try {
                const body = await readBody(req, 10 * 1024 * 1024);
                org.bytesReceived += body.length;
                const r: Request = {
                    method,
                    path,
                    query: url.searchParams,
                    headers: req.headers,
                    body,
                    version: async[1],
                    userId: org.userOfToken(token)
                };
                org.bytesSent += sendSized(res, org.bulkV1.route(r, parts));
            } catch (e) {
                if (!(e instanceof ApiError)) throw e;
                org.bytesSent += sendSized(
                    res,
                    asyncError(format, e.status, e.errorCode, e.message)
                );
            }
            return;
        }
        const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
        if (!m)
            return send(
                res,
                json(404, [
                    { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
                ])
            );
        const version = m[1];
        // an API version the org does not list answers 404 NOT_FOUND (REST API Developer Guide,
        // "Status Codes and Error Responses": 404 "The requested resource couldn't be found";
        // ../shared/docs/salesforce-api.md "Unlisted API versions answer 404 NOT_FOUND")
        if (!API_VERSIONS.includes(version)) {
            req.resume();
            return send(
                res,
                json(404, [
                    { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
                ])
            );
        }
        const rest = (m[2] ?? '').split('/').filter(Boolean);
        const token = (req.headers.authorization ?? '').replace(/^(Bearer|OAuth)\s+/i, '').trim();
        const kind =
            rest[0] === 'jobs'
                ? `bulk2-${rest[1] ?? ''}`
                : rest[0] === 'composite'
                  ? 'collections'
                  : (rest[0] ?? 'root');
        if (
            !admit(org, req, res, token, kind, (status, code, message) =>
                restFault(org, status, code, message)
            )
        )
            return;
        // raw bytes over the job upload limit are over it after base64 too: the same answer
        const body =
            rest[0] === 'jobs'
                ? await readBody(req, org.bulkUploadLimit, uploadTooLarge)
                : await readBody(req, 50 * 1024 * 1024);
        org.bytesReceived += body.length;
        const r: Request = {
            method,
            path,
            query: url.searchParams,
            headers: req.headers,
            body,
            version,
            userId: org.userOfToken(token)
        };
        const response = await route(org, r, rest);
        if (org.faults.loseReply(method, m[2] ?? '')) {
            // applied, and the answer is lost on the way back
            org.count('fault-lost-reply');
            req.socket.destroy();
            return;
        }
        if (sendCut(org, res, response, method, m[2] ?? '')) return;
        org.bytesSent += sendSized(res, response, org.limitHeader());
        return;
    } catch (e) {
        if (e instanceof ApiError)
            return send(
                res,
                json(e.status, errorBody(e), e.headers),
                path.startsWith('/services/data/v') ? org.limitHeader() : {}
            );
        process.stderr.write(`org-emulator: ${(e as Error).stack}\n`);
        return send(
            res,
            json(500, [
                { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' }
            ])
        );
    }
}

async function route(org: Org, req: Request, rest: string[]): Promise<Response> {
    if (rest.length === 0) {
        // Resources by Version (REST API Developer Guide, "List Available REST Resources"): the
        // emulated resources, and `identity`, the absolute identity URL of the token's user
        const base = `/services/data/v${req.version}`;
        return json(200, {
            tooling: `${base}/tooling`,
            sobjects: `${base}/sobjects`,
            query: `${base}/query`,
            queryAll: `${base}/queryAll`,
            limits: `${base}/limits`,
            composite: `${base}/composite`,
            jobs: `${base}/jobs`,
            identity: `${org.instanceUrl}/id/${org.store.orgId}/${req.userId}`
        });
    }
    switch (rest[0]) {
        case 'sobjects':
            return org.sobjects(req, rest.slice(1));
        case 'composite':
            if (rest[1] === 'sobjects') return org.collections(req, rest.slice(2));
            throw notFound();
        case 'query':
        case 'queryAll':
            if (req.method !== 'GET') throw methodNotAllowed(req);
            if (rest.length === 2) return org.queryMore(req, rest[1]);
            return org.query(req, rest[0] === 'queryAll');
        case 'limits':
            return org.limits();
        case 'tooling':
            // Tooling API: only queries of EntityDefinition and FieldDefinition are emulated
            if (rest[1] === 'query' && rest.length === 2 && req.method === 'GET')
                return org.toolingQuery(req);
            throw notFound();
        case 'jobs':
            return org.bulk.route(req, rest.slice(1));
        default:
            throw notFound();
    }
}

function emulatorEndpoint(org: Org, method: string, path: string, body: Buffer): Response {
    if (path === '/__emulator/stats' && method === 'GET') return json(200, org.stats());
    if (path === '/__emulator/reset' && method === 'POST') {
        org.reset();
        return json(200, { ok: true });
    }
    if (path === '/__emulator/faults') {
        if (method === 'POST' || method === 'PUT') {
            org.faults.set(body.length ? JSON.parse(body.toString('utf8')) : {});
        }
        return json(200, org.faults.faults);
    }
    return json(404, [
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
    ]);
}

export async function listen(org: Org, port: number): Promise<http.Server> {
    const server = http.createServer((req, res) => {
        handle(org, req, res).catch((e) => {
            process.stderr.write(`org-emulator: ${(e as Error).stack}\n`);
            if (!res.headersSent) res.writeHead(500);
            res.end();
        });
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = server.address() as AddressInfo;
    org.instanceUrl = `http://127.0.0.1:${addr.port}`;
    return server;
}

export { invalidType };
