// Bulk API 1.0 (/services/async/NN.N): query and queryAll jobs with CSV results, as SFDMU, Data
// Loader and jsforce's `conn.bulk.query` use them to read large tables.
//
// Salesforce, Bulk API Developer Guide (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/):
// - "Walk Through a Bulk Query Sample" / "Use Bulk Query": POST /services/async/NN.N/job with a
//   jobInfo (`<operation>query</operation><object>Account</object><contentType>CSV</contentType>`,
//   Content-Type application/xml, session id in X-SFDC-Session); POST …/job/{jobId}/batch with the
//   SOQL as plain text (Content-Type text/csv for a CSV job); GET …/batch/{batchId} until the
//   state is Completed; GET …/batch/{batchId}/result lists the result ids
//   (`<result-list><result>752…</result></result-list>`); GET …/result/{resultId} is the CSV;
//   POST …/job/{jobId} with `<state>Closed</state>` closes the job.
// - "Step One: Create a Job" (201, jobInfo with state Open and the batch counters), "Step Three:
//   Close a Job", "JobInfo" (operation must be lower case), "BatchInfo" and "Interpret Batch
//   State" (Queued → InProgress → Completed | Failed with stateMessage; NotProcessed when the job
//   is aborted while the batch is queued), "Errors" (InvalidBatch, InvalidJob, InvalidJobState,
//   InvalidSessionId "The session ID specified is invalid", InvalidUrl, InvalidXML, …) as
//   `<error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>…</exceptionCode>
//   <exceptionMessage>…</exceptionMessage></error>`; an invalid session is HTTP 400.
// - Bulk query does not support aggregate functions (COUNT), OFFSET or nested queries; results
//   are split into files of at most 1 GB. A query that finds no rows has one result whose
//   content is "Records not found for this query".
// Not emulated (answered with a clear error): ingest operations (insert, update, upsert, delete,
// hardDelete: use Bulk API 2.0 here), XML and JSON content types for query jobs, PK chunking
// (the Sforce-Enable-PKChunking header is ignored: one batch, one result set), binary
// attachments. Result values are read when a result is downloaded, not frozen when the batch
// completes (a real org keeps a snapshot).
import type { IncomingHttpHeaders } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { makeId } from './ids.ts';
import type { Org, Request, Response } from './server.ts';
import { compileQuery, formatValue, readPath, type CompiledQuery } from './soql.ts';
import { ApiError } from './validate.ts';

export type AsyncFormat = 'xml' | 'json';
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';
const XML_TYPE = { 'Content-Type': 'application/xml' };
/** what a real org puts in the result of a query that found nothing */
export const NO_RECORDS = 'Records not found for this query';

type JobState = 'Open' | 'Closed' | 'Aborted' | 'Failed';
type BatchState = 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';
type Scalar = string | number | boolean;

interface Batch {
    id: string;
    jobId: string;
    state: BatchState;
    stateMessage?: string;
    createdDate: number;
    systemModstamp: number;
    soql: string;
    numberRecordsProcessed: number;
    totalProcessingTime: number;
    compiled?: CompiledQuery;
    /** result files: row ranges of compiled.rows */
    results: { id: string; start: number; end: number }[];
    timer?: NodeJS.Timeout;
}

interface Job {
    id: string;
    /** who created the job: its queries see what this user sees */
    userId: string;
    operation: 'query' | 'queryAll';
    object: string;
    createdDate: number;
    systemModstamp: number;
    state: JobState;
    concurrencyMode: string;
    contentType: 'CSV';
    apiVersion: string;
    batches: Map<string, Batch>;
}

/** The fields of a jobInfo request (XML elements or JSON keys). */
interface JobInfoRequest {
    operation?: string;
    object?: string;
    contentType?: string;
    concurrencyMode?: string;
    state?: string;
    externalIdFieldName?: string;
}

const esc = (v: string) =>
    v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `<k>v</k>…` for the defined fields, in order. */
function xmlElements(fields: [string, Scalar | undefined][]): string {
    return fields
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`)
        .join('');
}

/** `<?xml …?><root xmlns="…/dataload">…</root>` */
function xmlDoc(root: string, inner: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${NS}">${inner}</${root}>`;
}

const fmt = (t: number) => new Date(t).toISOString();

/** A Bulk API 1.0 error body: XML, or JSON when the client speaks JSON. */
export function asyncError(
    format: AsyncFormat,
    status: number,
    code: string,
    message: string
): Response {
    if (format === 'json')
        return { status, body: { exceptionCode: code, exceptionMessage: message } };
    return {
        status,
        raw: xmlDoc(
            'error',
            xmlElements([
                ['exceptionCode', code],
                ['exceptionMessage', message]
            ])
        ),
        headers: XML_TYPE
    };
}

const fail = (status: number, code: string, message: string) => new ApiError(status, code, message);

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true });

/** A CSV cell as a Bulk API 1.0 query result writes it: always quoted. */
const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;

export class BulkV1Jobs {
    private org: Org;
    private stepMs: number;
    /** result files are split at this size (1 GB in an org); tests lower it */
    maxResultBytes: number;
    private jobs = new Map<string, Job>();
    private batchIndex = new Map<string, Batch>();
    private batches = 0;

    constructor(org: Org, stepMs: number, maxResultBytes: number) {
        this.org = org;
        this.stepMs = stepMs;
        this.maxResultBytes = maxResultBytes;
    }

    reset(): void {
        this.stop();
        this.jobs.clear();
        this.batchIndex.clear();
        this.batches = 0;
    }

    stop(): void {
        for (const b of this.batchIndex.values()) clearTimeout(b.timer);
    }

    batchesToday(): number {
        return this.batches;
    }

    summary(): Record<string, number> {
        const byState: Record<string, number> = {};
        for (const j of this.jobs.values()) byState[j.state] = (byState[j.state] ?? 0) + 1;
        return byState;
    }

    /** JSON for clients that send or accept JSON, XML otherwise (the Bulk API default). */
    format(headers: IncomingHttpHeaders): AsyncFormat {
        const type = String(headers['content-type'] ?? '').toLowerCase();
        const accept = String(headers.accept ?? '').toLowerCase();
        if (type.includes('json')) return 'json';
        if (accept.includes('application/json') && !accept.includes('xml')) return 'json';
        return 'xml';
    }

    route(req: Request, parts: string[]): Response {
        const [root, jobId, sub, batchId, res, resultId] = parts;
        if (root !== 'job' || parts.length > 6)
            throw fail(404, 'InvalidUrl', `The URI specified is invalid: ${req.path}`);
        const format = this.format(req.headers);
        if (!jobId) {
            if (req.method === 'POST') return this.create(req, format);
            throw methodNotAllowed(req.method, 'POST');
        }
        const job = this.jobs.get(jobId);
        if (!job) throw fail(400, 'InvalidJob', `Invalid job id: ${jobId}`);
        if (!sub) {
            if (req.method === 'GET') return this.reply(format, 200, 'jobInfo', this.jobInfo(job));
            if (req.method === 'POST') return this.changeState(job, req, format);
            throw methodNotAllowed(req.method, 'GET,POST');
        }
        if (sub !== 'batch')
            throw fail(404, 'InvalidUrl', `The URI specified is invalid: ${req.path}`);
        if (!batchId) {
            if (req.method === 'POST') return this.addBatch(job, req, format);
            if (req.method === 'GET') {
                const list = [...job.batches.values()].map((b) => this.batchInfo(b));
                if (format === 'json')
                    return {
                        status: 200,
                        body: {
                            batchInfo: list.map((b) =>
                                Object.fromEntries(b.filter(([, v]) => v !== undefined))
                            )
                        }
                    };
                const inner = list.map((b) => `<batchInfo>${xmlElements(b)}</batchInfo>`);
                return {
                    status: 200,
                    raw: xmlDoc('batchInfoList', inner.join('')),
                    headers: XML_TYPE
                };
            }
            throw methodNotAllowed(req.method, 'GET,POST');
        }
        const batch = job.batches.get(batchId);
        if (!batch) throw fail(400, 'InvalidBatch', `Invalid batch id: ${batchId}`);
        if (req.method !== 'GET') throw methodNotAllowed(req.method, 'GET');
        if (!res) return this.reply(format, 200, 'batchInfo', this.batchInfo(batch));
        if (res !== 'result')
            throw fail(404, 'InvalidUrl', `The URI specified is invalid: ${req.path}`);
        if (batch.state !== 'Completed' || !batch.compiled)
            throw fail(400, 'InvalidBatch', 'Batch not completed');
        if (!resultId) {
            const ids = batch.results.map((r) => r.id);
            if (format === 'json') return { status: 200, body: ids };
            return {
                status: 200,
                raw: xmlDoc('result-list', ids.map((id) => `<result>${id}</result>`).join('')),
                headers: XML_TYPE
            };
        }
        const result = batch.results.find((r) => r.id === resultId);
        if (!result) throw fail(400, 'InvalidBatch', `Invalid result id: ${resultId}`);
        return {
            status: 200,
            raw: this.renderResult(batch.compiled, result.start, result.end),
            headers: { 'Content-Type': 'text/csv' }
        };
    }

    private reply(
        format: AsyncFormat,
        status: number,
        root: string,
        fields: [string, Scalar | undefined][]
    ): Response {
        if (format === 'json')
            return {
                status,
                body: Object.fromEntries(fields.filter(([, v]) => v !== undefined))
            };
        return { status, raw: xmlDoc(root, xmlElements(fields)), headers: XML_TYPE };
    }

    private parseJobInfo(req: Request, format: AsyncFormat): JobInfoRequest {
        const text = req.body.toString('utf8');
        if (format === 'json') {
            try {
                return JSON.parse(text) as JobInfoRequest;
            } catch {
                throw fail(400, 'InvalidJob', 'The request body is not valid JSON');
            }
        }
        if (!text.trim() || XMLValidator.validate(text) !== true)
            throw fail(400, 'InvalidXML', 'XML contained in the request body is invalid');
        const doc = xml.parse(text) as { jobInfo?: JobInfoRequest };
        if (!doc.jobInfo || typeof doc.jobInfo !== 'object')
            throw fail(400, 'InvalidXML', 'The request body must be a jobInfo element');
        return doc.jobInfo;
    }

    private create(req: Request, format: AsyncFormat): Response {
        const info = this.parseJobInfo(req, format);
        const operation = String(info.operation ?? '');
        if (['insert', 'update', 'upsert', 'delete', 'hardDelete'].includes(operation))
            throw fail(
                400,
                'FeatureNotEnabled',
                `Bulk API 1.0 ${operation} jobs are not emulated: the org emulator implements Bulk API 1.0 query and queryAll jobs (use Bulk API 2.0 for ${operation})`
            );
        if (operation !== 'query' && operation !== 'queryAll')
            throw fail(
                400,
                'InvalidJob',
                `Invalid operation: ${operation} (the operation must be all lower case)`
            );
        const obj = this.org.accessOf(req.userId).schemaView.get(String(info.object ?? ''));
        if (!obj) throw fail(400, 'InvalidJob', `Unable to find object: ${info.object ?? ''}`);
        if (obj.metadata)
            throw fail(400, 'InvalidJob', `Entity '${obj.name}' is not supported by the Bulk API.`);
        // the JobInfo default content type is XML; query results are emulated as CSV only
        const contentType = String(info.contentType ?? 'XML');
        if (contentType !== 'CSV')
            throw fail(
                400,
                'FeatureNotEnabled',
                `contentType ${contentType} is not emulated for query jobs: the org emulator returns CSV results (set contentType CSV)`
            );
        const concurrencyMode = String(info.concurrencyMode ?? 'Parallel');
        if (concurrencyMode !== 'Parallel' && concurrencyMode !== 'Serial')
            throw fail(400, 'InvalidJob', `Invalid concurrencyMode: ${concurrencyMode}`);
        const now = Date.now();
        const job: Job = {
            id: makeId('750', this.org.nextJobNumber()),
            userId: req.userId,
            operation,
            object: obj.name,
            createdDate: now,
            systemModstamp: now,
            state: 'Open',
            concurrencyMode,
            contentType: 'CSV',
            apiVersion: req.version,
            batches: new Map()
        };
        this.jobs.set(job.id, job);
        return this.reply(format, 201, 'jobInfo', this.jobInfo(job));
    }

    private changeState(job: Job, req: Request, format: AsyncFormat): Response {
        const target = String(this.parseJobInfo(req, format).state ?? '');
        if (target === 'Closed') {
            if (job.state !== 'Open')
                throw fail(
                    400,
                    'InvalidJobState',
                    `Job ${job.id} is ${job.state} and cannot be closed`
                );
            job.state = 'Closed';
        } else if (target === 'Aborted') {
            if (job.state !== 'Open' && job.state !== 'Closed')
                throw fail(
                    400,
                    'InvalidJobState',
                    `Job ${job.id} is ${job.state} and cannot be aborted`
                );
            job.state = 'Aborted';
            // queued batches are not processed; a batch in progress finishes
            for (const b of job.batches.values()) {
                if (b.state !== 'Queued') continue;
                clearTimeout(b.timer);
                b.state = 'NotProcessed';
                b.stateMessage = 'Job was aborted before the batch was processed';
                b.systemModstamp = Date.now();
            }
        } else throw fail(400, 'InvalidJobState', `Invalid state: ${target}`);
        job.systemModstamp = Date.now();
        return this.reply(format, 200, 'jobInfo', this.jobInfo(job));
    }

    private addBatch(job: Job, req: Request, format: AsyncFormat): Response {
        if (job.state !== 'Open')
            throw fail(
                400,
                'InvalidJobState',
                `Job ${job.id} is ${job.state}: batches can only be added to an Open job`
            );
        const type = String(req.headers['content-type'] ?? '').toLowerCase();
        if (!type.startsWith('text/csv'))
            throw fail(
                400,
                'InvalidBatch',
                `Content-Type ${type || '(none)'} does not match the job's contentType CSV: send the SOQL as text/csv`
            );
        const soql = req.body.toString('utf8').trim();
        if (!soql) throw fail(400, 'InvalidBatch', 'The batch holds no query');
        const now = Date.now();
        const batch: Batch = {
            id: makeId('751', this.org.nextJobNumber()),
            jobId: job.id,
            state: 'Queued',
            createdDate: now,
            systemModstamp: now,
            soql,
            numberRecordsProcessed: 0,
            totalProcessingTime: 0,
            results: []
        };
        job.batches.set(batch.id, batch);
        this.batchIndex.set(batch.id, batch);
        this.batches++;
        this.schedule(batch, () => {
            batch.state = 'InProgress';
            batch.systemModstamp = Date.now();
            this.schedule(batch, () => this.process(job, batch));
        });
        return this.reply(format, 201, 'batchInfo', this.batchInfo(batch));
    }

    private schedule(batch: Batch, fn: () => void): void {
        batch.timer = setTimeout(fn, this.stepMs + (this.org.faults.faults.bulkSlowMs ?? 0));
        batch.timer.unref?.();
    }

    private process(job: Job, batch: Batch): void {
        const started = Date.now();
        const failBatch = (message: string) => {
            batch.state = 'Failed';
            batch.stateMessage = `InvalidBatch : Failed to process query: ${message}`;
            batch.systemModstamp = Date.now();
        };
        let q: CompiledQuery;
        try {
            q = compileQuery(
                this.org.store,
                batch.soql,
                job.operation === 'queryAll',
                this.org.queryAccess(job.userId)
            );
        } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            return failBatch(`${e.errorCode}: ${e.message.trim()}`);
        }
        if (q.obj.name !== job.object)
            return failBatch(
                `INVALID_TYPE: the query's object ${q.obj.name} is not the job's object ${job.object}`
            );
        if (q.countOnly || q.aggregates)
            return failBatch(
                'MALFORMED_QUERY: Aggregate functions are not supported by Bulk API query'
            );
        if (/\bOFFSET\s+\d+/i.test(batch.soql))
            return failBatch('MALFORMED_QUERY: OFFSET is not supported by Bulk API query');
        batch.compiled = q;
        // result files of at most maxResultBytes (1 GB in an org); an empty result is one file
        let start = 0;
        let bytes = Buffer.byteLength(this.header(q));
        for (let i = 0; i < q.rows.length; i++) {
            const line = Buffer.byteLength(this.line(q, q.rows[i]));
            if (i > start && bytes + line > this.maxResultBytes) {
                batch.results.push({ id: makeId('752', this.org.nextJobNumber()), start, end: i });
                start = i;
                bytes = Buffer.byteLength(this.header(q));
            }
            bytes += line;
        }
        batch.results.push({
            id: makeId('752', this.org.nextJobNumber()),
            start,
            end: q.rows.length
        });
        batch.numberRecordsProcessed = q.rows.length;
        batch.totalProcessingTime = Date.now() - started;
        batch.state = 'Completed';
        batch.systemModstamp = Date.now();
    }

    private header(q: CompiledQuery): string {
        return q.columns.map((c) => cell(c.path)).join(',') + '\n';
    }

    private line(q: CompiledQuery, row: number): string {
        return (
            q.columns
                .map((c) => {
                    const v = formatValue(
                        c.field,
                        readPath(this.org.store, q.table, row, c, q.canRead),
                        'csv'
                    );
                    return cell(v === null ? '' : String(v));
                })
                .join(',') + '\n'
        );
    }

    private renderResult(q: CompiledQuery, start: number, end: number): string {
        if (q.rows.length === 0) return NO_RECORDS;
        const out = [this.header(q)];
        for (let i = start; i < end; i++) out.push(this.line(q, q.rows[i]));
        return out.join('');
    }

    private jobInfo(job: Job): [string, Scalar | undefined][] {
        const batches = [...job.batches.values()];
        const n = (s: BatchState) => batches.filter((b) => b.state === s).length;
        return [
            ['id', job.id],
            ['operation', job.operation],
            ['object', job.object],
            ['createdById', job.userId],
            ['createdDate', fmt(job.createdDate)],
            ['systemModstamp', fmt(job.systemModstamp)],
            ['state', job.state],
            ['concurrencyMode', job.concurrencyMode],
            ['contentType', job.contentType],
            ['numberBatchesQueued', n('Queued')],
            ['numberBatchesInProgress', n('InProgress')],
            ['numberBatchesCompleted', n('Completed')],
            ['numberBatchesFailed', n('Failed')],
            ['numberBatchesTotal', batches.length],
            ['numberRecordsProcessed', batches.reduce((s, b) => s + b.numberRecordsProcessed, 0)],
            ['numberRetries', 0],
            ['apiVersion', job.apiVersion],
            ['numberRecordsFailed', 0],
            ['totalProcessingTime', batches.reduce((s, b) => s + b.totalProcessingTime, 0)],
            ['apiActiveProcessingTime', batches.reduce((s, b) => s + b.totalProcessingTime, 0)],
            ['apexProcessingTime', 0]
        ];
    }

    private batchInfo(b: Batch): [string, Scalar | undefined][] {
        return [
            ['id', b.id],
            ['jobId', b.jobId],
            ['state', b.state],
            ['stateMessage', b.stateMessage],
            ['createdDate', fmt(b.createdDate)],
            ['systemModstamp', fmt(b.systemModstamp)],
            ['numberRecordsProcessed', b.numberRecordsProcessed],
            ['numberRecordsFailed', 0],
            ['totalProcessingTime', b.totalProcessingTime],
            ['apiActiveProcessingTime', b.totalProcessingTime],
            ['apexProcessingTime', 0]
        ];
    }
}

const methodNotAllowed = (method: string, allowed: string) =>
    fail(405, 'MethodNotAllowed', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
