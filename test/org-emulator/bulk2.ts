// Bulk API 2.0: ingest jobs (Open -> UploadComplete -> InProgress -> JobComplete | Failed |
// Aborted) processed asynchronously in internal batches of 10,000 rows, and query jobs whose
// results are paged with Sforce-Locator.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { makeId } from './ids.ts';
import type { Org, Request, Response } from './server.ts';
import { compileQuery, formatValue, readPath, type CompiledQuery } from './soql.ts';
import type { ObjectDef, Schema } from './schema.ts';
import {
    ApiError,
    dml,
    type DmlItem,
    type DmlResult,
    type Operation,
    type RecordError
} from './validate.ts';

const OPERATIONS: readonly Operation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const isOperation = (v: unknown): v is Operation => (OPERATIONS as readonly unknown[]).includes(v);
const DELIMITERS: Record<string, string> = {
    COMMA: ',',
    TAB: '\t',
    PIPE: '|',
    SEMICOLON: ';',
    CARET: '^',
    BACKQUOTE: '`'
};
const INTERNAL_BATCH = 10000;

/** The JSON body of a job request (create, or PATCH with a state) as a client sends it. */
interface JobRequest {
    object?: string;
    operation?: string;
    externalIdFieldName?: string;
    lineEnding?: string;
    columnDelimiter?: string;
    contentType?: string;
    query?: string;
    state?: string;
}

type State = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface JobBase {
    id: string;
    /** who created the job: the job runs with their permissions (and creates as them) */
    userId: string;
    object: string;
    createdDate: number;
    systemModstamp: number;
    state: State;
    apiVersion: string;
    lineEnding: string;
    columnDelimiter: string;
    errorMessage?: string;
    numberRecordsProcessed: number;
    retries: number;
    totalProcessingTime: number;
    timer?: NodeJS.Timeout;
}

interface IngestJob extends JobBase {
    kind: 'ingest';
    operation: Operation;
    externalIdFieldName?: string;
    data: Buffer | null;
    numberRecordsFailed: number;
    header: string[];
    successful: string[][];
    failed: string[][];
    unprocessed: string[][];
    failOnPurpose: boolean;
    /** bulkResultsMissing: the last rows written without a result */
    resultsMissing: number;
}

interface QueryJob extends JobBase {
    kind: 'query';
    operation: 'query' | 'queryAll';
    query: string;
    compiled?: CompiledQuery;
    /** locator -> starting offset */
    locators: Map<string, number>;
}

const fmt = (t: number) => new Date(t).toISOString().replace('Z', '+0000');
/** A Bulk API 2.0 upload over the per-job limit (also answered while reading the body). */
export const uploadTooLarge = () =>
    new ApiError(
        400,
        'INVALIDJOB',
        'Upload exceeds the 150 MB limit for one job (measured after base64 encoding)'
    );
const jobError = (status: number, code: string, message: string) =>
    new ApiError(status, code, message);

export class BulkJobs {
    private org: Org;
    private stepMs: number;
    private jobs = new Map<string, IngestJob | QueryJob>();
    private batches = 0;
    private queryJobs = 0;

    constructor(org: Org, stepMs: number) {
        this.org = org;
        this.stepMs = stepMs;
    }

    reset(): void {
        for (const j of this.jobs.values()) clearTimeout(j.timer);
        this.jobs.clear();
        this.batches = 0;
        this.queryJobs = 0;
    }

    stop(): void {
        for (const j of this.jobs.values()) clearTimeout(j.timer);
    }

    batchesToday(): number {
        return this.batches;
    }

    queryJobsToday(): number {
        return this.queryJobs;
    }

    summary() {
        const byState: Record<string, number> = {};
        for (const j of this.jobs.values()) byState[j.state] = (byState[j.state] ?? 0) + 1;
        return byState;
    }

    route(req: Request, parts: string[]): Response {
        const [kind, id, sub] = parts;
        if (kind !== 'ingest' && kind !== 'query')
            throw jobError(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (!id) {
            if (req.method === 'POST')
                return kind === 'ingest' ? this.createIngest(req) : this.createQuery(req);
            if (req.method === 'GET') {
                const records = [...this.jobs.values()]
                    .filter((j) => j.kind === kind)
                    .map((j) => this.info(j, true));
                return { status: 200, body: { done: true, records, nextRecordsUrl: null } };
            }
            throw jobError(
                405,
                'METHOD_NOT_ALLOWED',
                `HTTP Method '${req.method}' not allowed. Allowed are GET,POST`
            );
        }
        const job = this.jobs.get(id);
        if (!job || job.kind !== kind)
            throw jobError(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (!sub) {
            if (req.method === 'GET') return { status: 200, body: this.info(job, true) };
            if (req.method === 'PATCH') return this.patch(job, req);
            if (req.method === 'DELETE') {
                if (!['UploadComplete', 'JobComplete', 'Aborted', 'Failed'].includes(job.state)) {
                    throw jobError(
                        400,
                        'INVALIDJOBSTATE',
                        `Invalid job state for deletion: ${job.state}`
                    );
                }
                clearTimeout(job.timer);
                this.jobs.delete(job.id);
                return { status: 204 };
            }
        }
        if (job.kind === 'ingest') {
            if (sub === 'batches' && req.method === 'PUT') return this.upload(job, req);
            if (
                req.method === 'GET' &&
                (sub === 'successfulResults' ||
                    sub === 'failedResults' ||
                    sub === 'unprocessedrecords')
            ) {
                return this.results(job, sub);
            }
        } else if (sub === 'results' && req.method === 'GET') return this.queryResults(job, req);
        throw jobError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }

    private base(req: Request, body: JobRequest, prefix: string): JobBase {
        const lineEnding = body.lineEnding ?? 'LF';
        const columnDelimiter = body.columnDelimiter ?? 'COMMA';
        if (!['LF', 'CRLF'].includes(lineEnding))
            throw jobError(400, 'INVALIDJOB', `Invalid lineEnding: ${lineEnding}`);
        if (!DELIMITERS[columnDelimiter])
            throw jobError(400, 'INVALIDJOB', `Invalid columnDelimiter: ${columnDelimiter}`);
        if (body.contentType && body.contentType !== 'CSV')
            throw jobError(400, 'INVALIDJOB', `Invalid contentType: ${body.contentType}`);
        const now = Date.now();
        return {
            id: makeId(prefix, this.org.nextJobNumber()),
            userId: req.userId,
            object: '',
            createdDate: now,
            systemModstamp: now,
            state: 'Open',
            apiVersion: req.version,
            lineEnding,
            columnDelimiter,
            numberRecordsProcessed: 0,
            retries: 0,
            totalProcessingTime: 0
        };
    }

    private createIngest(req: Request): Response {
        const body = parseBody(req);
        if (!isOperation(body.operation))
            throw jobError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${body.operation}`);
        // an object the user cannot read does not exist for them
        const obj = this.org.accessOf(req.userId).schemaView.get(String(body.object ?? ''));
        if (!obj) throw jobError(400, 'INVALIDJOB', `InvalidJob : Invalid object: ${body.object}`);
        if (obj.metadata)
            throw jobError(
                400,
                'INVALIDJOB',
                `InvalidJob : Entity '${obj.name}' is not supported by the Bulk API.`
            );
        let ext: string | undefined;
        if (body.operation === 'upsert') {
            const f = obj.byName.get(String(body.externalIdFieldName ?? '').toLowerCase());
            if (!f || !(f.externalId || f.idLookup)) {
                throw jobError(
                    400,
                    'INVALIDJOB',
                    `InvalidJob : Field name provided, ${body.externalIdFieldName} does not match an External ID, Salesforce Id, or indexed field for ${obj.name}`
                );
            }
            ext = f.name;
        }
        const job: IngestJob = {
            ...this.base(req, body, '750'),
            kind: 'ingest',
            object: obj.name,
            operation: body.operation,
            externalIdFieldName: ext,
            data: null,
            numberRecordsFailed: 0,
            header: [],
            successful: [],
            failed: [],
            unprocessed: [],
            failOnPurpose: false,
            resultsMissing: 0
        };
        this.jobs.set(job.id, job);
        return { status: 200, body: this.info(job, false) };
    }

    private createQuery(req: Request): Response {
        const body = parseBody(req);
        if (body.operation !== 'query' && body.operation !== 'queryAll')
            throw jobError(400, 'INVALIDJOB', `Invalid operation: ${body.operation}`);
        if (!body.query) throw jobError(400, 'INVALIDJOB', 'A query is required');
        const refused = unsupportedInBulkQuery(String(body.query));
        if (refused)
            throw jobError(
                400,
                'API_ERROR',
                `${refused} is not supported by Bulk API 2.0 query jobs`
            );
        // a real org validates the SOQL when the job is created (as the job's user)
        const compiled = compileQuery(
            this.org.store,
            String(body.query),
            body.operation === 'queryAll',
            this.org.queryAccess(req.userId)
        );
        if (compiled.countOnly || compiled.aggregates)
            throw jobError(
                400,
                'API_ERROR',
                'Aggregate queries are not supported by Bulk API 2.0 query jobs'
            );
        if (compiled.obj.metadata)
            throw jobError(
                400,
                'API_ERROR',
                `Entity '${compiled.obj.name}' is not supported by the Bulk API.`
            );
        const job: QueryJob = {
            ...this.base(req, body, '750'),
            kind: 'query',
            object: compiled.obj.name,
            operation: body.operation,
            query: String(body.query),
            locators: new Map()
        };
        job.state = 'UploadComplete';
        this.jobs.set(job.id, job);
        this.queryJobs++;
        this.schedule(job, () => {
            job.state = 'InProgress';
            this.schedule(job, () => {
                try {
                    job.compiled = compileQuery(
                        this.org.store,
                        job.query,
                        job.operation === 'queryAll',
                        this.org.queryAccess(job.userId)
                    );
                    job.numberRecordsProcessed = job.compiled.rows.length;
                    job.state = 'JobComplete';
                } catch (e) {
                    job.state = 'Failed';
                    job.errorMessage = (e as Error).message;
                }
                job.systemModstamp = Date.now();
            });
        });
        return { status: 200, body: this.info(job, false) };
    }

    private schedule(job: JobBase, fn: () => void): void {
        const delay = this.stepMs + (this.org.faults.faults.bulkSlowMs ?? 0);
        job.timer = setTimeout(fn, delay);
        job.timer.unref?.();
    }

    private upload(job: IngestJob, req: Request): Response {
        if (job.state !== 'Open')
            throw jobError(409, 'INVALIDJOBSTATE', `Job with id ${job.id} is not in Open state`);
        if (job.data !== null) {
            throw jobError(
                400,
                'BULK_API_ERROR',
                `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`
            );
        }
        const type = String(req.headers['content-type'] ?? '');
        if (!type.toLowerCase().startsWith('text/csv'))
            throw jobError(
                400,
                'INVALIDJOB',
                `Unsupported content type: ${type}; only text/csv is accepted`
            );
        // the 150 MB limit is measured after base64 encoding (4/3 of the raw size)
        if (Math.ceil(req.body.length / 3) * 4 > this.org.bulkUploadLimit) throw uploadTooLarge();
        job.data = req.body;
        return { status: 201 };
    }

    private patch(job: IngestJob | QueryJob, req: Request): Response {
        const body = parseBody(req);
        const target = body.state;
        if (target === 'Aborted') {
            if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state)) {
                throw jobError(
                    400,
                    'INVALIDJOBSTATE',
                    `Job with id ${job.id} is in state ${job.state} and cannot be aborted`
                );
            }
            clearTimeout(job.timer);
            if (job.kind === 'ingest') this.keepUnprocessed(job);
            job.state = 'Aborted';
            job.systemModstamp = Date.now();
            return { status: 200, body: this.info(job, false) };
        }
        if (target === 'UploadComplete' && job.kind === 'ingest') {
            if (job.state !== 'Open')
                throw jobError(
                    409,
                    'INVALIDJOBSTATE',
                    `Job with id ${job.id} is not in Open state`
                );
            job.state = 'UploadComplete';
            job.systemModstamp = Date.now();
            job.failOnPurpose = this.org.faults.takeBulkFailure();
            this.schedule(job, () => this.process(job));
            return { status: 200, body: this.info(job, false) };
        }
        throw jobError(400, 'INVALIDJOBSTATE', `Invalid state transition to ${target}`);
    }

    /** On abort: the uploaded rows no batch has processed yet become the unprocessed records. */
    private keepUnprocessed(job: IngestJob): void {
        if (!job.data || job.data.length === 0) return;
        let rows: string[][];
        try {
            rows = parse(job.data, {
                delimiter: DELIMITERS[job.columnDelimiter],
                bom: true,
                skip_empty_lines: true
            }) as string[][];
        } catch {
            return; // unparsable data: nothing a client could resubmit row by row
        }
        if (rows.length === 0) return;
        if (job.header.length === 0) job.header = rows[0].map((h) => h.trim());
        const done = job.successful.length + job.failed.length + job.unprocessed.length;
        job.unprocessed.push(...rows.slice(1 + done));
    }

    private fail(job: IngestJob, message: string): void {
        job.state = 'Failed';
        job.errorMessage = message;
        job.systemModstamp = Date.now();
    }

    private process(job: IngestJob): void {
        if (job.state !== 'UploadComplete') return;
        job.state = 'InProgress';
        job.systemModstamp = Date.now();
        const started = Date.now();
        if (!job.data || job.data.length === 0)
            return this.fail(job, 'InvalidBatch : No data was uploaded for this job');
        let rows: string[][];
        try {
            rows = parse(job.data, {
                delimiter: DELIMITERS[job.columnDelimiter],
                bom: true,
                relax_column_count: false,
                skip_empty_lines: true
            }) as string[][];
        } catch (e) {
            return this.fail(job, `InvalidBatch : Failed to parse CSV. ${(e as Error).message}`);
        }
        if (rows.length === 0)
            return this.fail(job, 'InvalidBatch : No data was uploaded for this job');
        const header = rows[0].map((h) => h.trim());
        job.header = header;
        const data = rows.slice(1);
        // checks of the whole upload, before any batch: the job fails and no row is processed
        // the job's user: a column of a field they cannot read is a column that does not exist
        const access = this.org.accessOf(job.userId);
        const obj = access.schemaView.get(job.object);
        const before =
            lineEndingError(job.data, job.lineEnding) ??
            (obj
                ? headerError(access.schemaView, obj, header)
                : `InvalidBatch : Invalid object: ${job.object}`);
        if (before) {
            if (this.org.faults.faults.failedJobUnprocessed !== 'none') job.unprocessed = data;
            return this.fail(job, before);
        }
        job.resultsMissing = this.org.faults.takeResultsMissing();
        if (job.failOnPurpose) {
            job.unprocessed = data;
            return this.schedule(job, () =>
                this.fail(
                    job,
                    'InternalServerError : The job failed after the maximum number of retries (emulated fault)'
                )
            );
        }
        if (!obj) return;
        if (
            (job.operation === 'update' ||
                job.operation === 'delete' ||
                job.operation === 'hardDelete') &&
            !header.some((h) => h.toLowerCase() === 'id')
        ) {
            return this.fail(job, `InvalidBatch : Field name not found : Id`);
        }
        if ((job.operation === 'delete' || job.operation === 'hardDelete') && header.length !== 1) {
            return this.fail(job, 'InvalidBatch : The delete operation only accepts an Id column');
        }
        let offset = 0;
        const step = () => {
            if (job.state !== 'InProgress') return; // aborted meanwhile
            const chunk = data.slice(offset, offset + INTERNAL_BATCH);
            this.batches++;
            const items = chunk.map((r) => {
                const input: Record<string, unknown> = {};
                header.forEach((h, i) => (input[h] = r[i]));
                return { obj, input };
            });
            let results;
            try {
                results = this.runBatch(job, items as DmlItem[]);
            } catch (e) {
                if (e instanceof ApiError) {
                    job.unprocessed.push(...data.slice(offset));
                    return this.fail(job, `${e.errorCode} : ${e.message}`);
                }
                throw e;
            }
            // bulkResultsMissing: the last rows of the job are written without a result
            const unrecorded = Math.max(
                0,
                offset + chunk.length - (data.length - job.resultsMissing)
            );
            const recorded = chunk.length - Math.min(chunk.length, unrecorded);
            results.slice(0, recorded).forEach((res, i) => {
                if (res.success)
                    job.successful.push([
                        res.id ?? '',
                        String(res.created ?? job.operation === 'insert'),
                        ...chunk[i]
                    ]);
                else job.failed.push([res.id ?? '', bulkError(res.errors), ...chunk[i]]);
            });
            job.numberRecordsProcessed += recorded;
            job.numberRecordsFailed += results.slice(0, recorded).filter((r) => !r.success).length;
            offset += INTERNAL_BATCH;
            job.totalProcessingTime = Date.now() - started;
            if (offset < data.length) {
                setImmediate(step);
                return;
            }
            job.state = 'JobComplete';
            job.systemModstamp = Date.now();
        };
        step();
    }

    /**
     * One internal batch. Rows that met a record lock are tried once more, and the retry is
     * counted in the job's `retries` (Bulk API 2.0 Developer Guide, "Understanding Bulk API 2.0
     * Ingest": Salesforce retries failed batches itself; ../shared/docs/salesforce-api.md "Bulk
     * API retries locked rows a little, then fails them"); rows still locked then fail.
     */
    private runBatch(job: IngestJob, items: DmlItem[]): DmlResult[] {
        const options = {
            mode: 'csv' as const,
            allOrNone: false,
            extField: job.externalIdFieldName
        };
        const results = dml(this.org.writeContext(job.userId), job.operation, items, options);
        this.org.countWrites(items, results);
        const locked = results
            .map((r, i) =>
                !r.success && r.errors[0]?.statusCode === 'UNABLE_TO_LOCK_ROW' ? i : -1
            )
            .filter((i) => i >= 0);
        if (locked.length === 0) return results;
        job.retries++;
        const again = locked.map((i) => items[i]);
        const retried = dml(this.org.writeContext(job.userId), job.operation, again, options);
        this.org.countWrites(again, retried);
        locked.forEach((i, n) => (results[i] = retried[n]));
        return results;
    }

    private results(job: IngestJob, sub: string): Response {
        if (
            !['JobComplete', 'Failed', 'Aborted'].includes(job.state) &&
            sub !== 'unprocessedrecords'
        ) {
            throw jobError(
                409,
                'INVALIDJOBSTATE',
                `Job with id ${job.id} is not finished; results are available once the job is complete`
            );
        }
        let header: string[];
        let rows: string[][];
        if (sub === 'successfulResults') {
            header = ['sf__Id', 'sf__Created', ...job.header];
            rows = job.successful;
        } else if (sub === 'failedResults') {
            header = ['sf__Id', 'sf__Error', ...job.header];
            rows = job.failed;
        } else {
            header = job.header;
            rows = job.unprocessed;
        }
        const csv = job.header.length === 0 && rows.length === 0 ? '' : toCsv(job, header, rows);
        return { status: 200, raw: csv, headers: { 'Content-Type': 'text/csv' } };
    }

    private queryResults(job: QueryJob, req: Request): Response {
        if (job.state !== 'JobComplete' || !job.compiled) {
            throw jobError(
                400,
                'INVALIDJOBSTATE',
                `Job with id ${job.id} is not complete (state ${job.state})`
            );
        }
        const q = job.compiled;
        const max = Math.max(1, Number(req.query.get('maxRecords') ?? 50000) || 50000);
        const locator = req.query.get('locator');
        let start = 0;
        if (locator && locator !== 'null') {
            const s = job.locators.get(locator);
            if (s === undefined)
                throw jobError(400, 'INVALID_LOCATOR', `Invalid locator: ${locator}`);
            start = s;
        }
        const end = Math.min(start + max, q.rows.length);
        const rows: string[][] = [];
        for (let i = start; i < end; i++) {
            rows.push(
                q.columns.map((c) => {
                    const v = readPath(this.org.store, q.table, q.rows[i], c, q.canRead);
                    const out = formatValue(c.field, v, 'csv');
                    return out === null ? '' : String(out);
                })
            );
        }
        let next = 'null';
        if (end < q.rows.length) {
            next = Buffer.from(String(end)).toString('base64').replace(/=+$/, '');
            job.locators.set(next, end);
        }
        return {
            status: 200,
            raw: toCsv(
                job,
                q.columns.map((c) => c.path),
                rows
            ),
            headers: {
                'Content-Type': 'text/csv',
                'Sforce-Locator': next,
                'Sforce-NumberOfRecords': String(rows.length)
            }
        };
    }

    private info(job: IngestJob | QueryJob, full: boolean): Record<string, unknown> {
        const info: Record<string, unknown> = {
            id: job.id,
            operation: job.operation,
            object: job.object,
            createdById: job.userId,
            createdDate: fmt(job.createdDate),
            systemModstamp: fmt(job.systemModstamp),
            state: job.state,
            ...(job.kind === 'ingest' && job.externalIdFieldName
                ? { externalIdFieldName: job.externalIdFieldName }
                : {}),
            concurrencyMode: 'Parallel',
            contentType: 'CSV',
            apiVersion: Number(job.apiVersion),
            ...(job.kind === 'ingest'
                ? { contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches` }
                : {}),
            lineEnding: job.lineEnding,
            columnDelimiter: job.columnDelimiter
        };
        if (!full) return info;
        Object.assign(info, {
            jobType: job.kind === 'ingest' ? 'V2Ingest' : 'V2Query',
            numberRecordsProcessed: job.numberRecordsProcessed,
            ...(job.kind === 'ingest' ? { numberRecordsFailed: job.numberRecordsFailed } : {}),
            retries: job.retries,
            totalProcessingTime: job.totalProcessingTime,
            ...(job.kind === 'ingest'
                ? { apiActiveProcessingTime: job.totalProcessingTime, apexProcessingTime: 0 }
                : { isPkChunkingSupported: true }),
            ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
        });
        return info;
    }
}

/**
 * The line ending of the upload against the job's `lineEnding` (Bulk API 2.0 Developer Guide,
 * "Line Ending Header": "specify a line ending that matches the line ending used to create the
 * CSV file"; the errorMessage text from ../shared/docs/salesforce-api.md). The org's exact test
 * is not documented: the emulator refuses an LF job whose data holds any CR LF (also inside a
 * quoted value, so a client writing raw CR in values is caught) and a CRLF job whose first line
 * ends with a bare LF.
 */
export function lineEndingError(data: Buffer, lineEnding: string): string | undefined {
    const invalid = `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`;
    if (lineEnding === 'LF') return data.includes('\r\n') ? invalid : undefined;
    const lf = data.indexOf('\n');
    return lf >= 0 && data[lf - 1] !== 0x0d ? invalid : undefined;
}

/**
 * A header column the object does not have (or the user cannot see) fails the whole job before
 * any row is processed: "InvalidBatch : Field name not found : X" (../shared/docs/salesforce-api.md).
 */
function headerError(
    schema: Pick<Schema, 'get'>,
    obj: ObjectDef,
    header: readonly string[]
): string | undefined {
    for (const column of header) {
        const dot = column.indexOf('.');
        if (dot < 0) {
            if (!obj.byName.has(column.toLowerCase()))
                return `InvalidBatch : Field name not found : ${column}`;
            continue;
        }
        let relationship = column.slice(0, dot);
        const colon = relationship.indexOf(':');
        const parentType = colon > 0 ? relationship.slice(0, colon) : undefined;
        if (colon > 0) relationship = relationship.slice(colon + 1);
        const lookup = obj.byRelationship.get(relationship.toLowerCase());
        const parent = lookup && schema.get(parentType ?? lookup.referenceTo[0] ?? '');
        const ext = parent?.byName.get(column.slice(dot + 1).toLowerCase());
        if (!ext || !(ext.externalId || ext.idLookup))
            return `InvalidBatch : Field name not found : ${column}`;
    }
    return undefined;
}

/** What Bulk API 2.0 query jobs refuse ("Understanding Bulk API 2.0 Query", SOQL
 *  considerations: GROUP BY, OFFSET and TYPEOF clauses), outside string literals. */
function unsupportedInBulkQuery(soql: string): string | undefined {
    const bare = soql.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    if (/\bOFFSET\b/i.test(bare)) return 'OFFSET';
    if (/\bGROUP\s+BY\b/i.test(bare)) return 'GROUP BY';
    if (/\bTYPEOF\b/i.test(bare)) return 'TYPEOF';
    return undefined;
}

function parseBody(req: Request): JobRequest {
    try {
        return req.body.length ? (JSON.parse(req.body.toString('utf8')) as JobRequest) : {};
    } catch {
        throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
}

/** `STATUS_CODE:message:fields --` as in a real failedResults file. */
export function bulkError(errors: RecordError[]): string {
    const e = errors[0];
    return `${e.statusCode}:${e.message}:${e.fields.join(',')} --`;
}

function toCsv(job: JobBase, header: string[], rows: string[][]): string {
    return stringify([header, ...rows], {
        delimiter: DELIMITERS[job.columnDelimiter],
        record_delimiter: job.lineEnding === 'CRLF' ? '\r\n' : '\n'
    });
}
