// Upsert by external id: Bulk API 2.0 for large sets (one job per CSV upload, each upload below
// maxUploadBytes; rows whose lookup is cleared go to an upload of their own header), sObject
// Collections (200 records a call) below the threshold. Every row ends as loaded or as a failure
// with its cause: rows failing for a transient reason (a record lock, a job the org failed, a row
// without result) wait on disk for a further round; a job that failed for its content (a column
// the integration user cannot see, the line ending) fails its rows at once, and the remaining
// uploads of the same write are not sent (they would fail the same way). p-queue bounds
// concurrent calls and jobs.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import PQueue from 'p-queue';
import type { SyncConfig } from '../config/schema.ts';
import { backoffDelay, defaultSleep } from '../util/backoff.ts';
import type { Logger } from '../util/log.ts';
import { NdjsonWriter, readNdjson } from '../util/ndjson-file.ts';
import { stopReason } from '../util/stop.ts';
import { BudgetExceededError } from './budget.ts';
import { SfHttpError } from './retry.ts';
import {
    localJobRegistry,
    runIngestJob,
    type IngestOutcome,
    type JobRegistry
} from './bulk2/ingest.ts';
import { jobErrorCode, transientJobFailure, type PollOptions } from './bulk2/job.ts';
import { parseBulkError, type ResultFile } from './bulk2/results.ts';
import {
    csvLine,
    fromCsvRow,
    keysOf,
    toCsvRow,
    uploadColumnsFor,
    type UploadColumn
} from './csv.ts';
import { causeOf, isTransientRecordError } from './failure-causes.ts';
import { FailureLog } from './failures.ts';
import type { SfClient } from './http.ts';
import { toCollectionRecord, type SfRecord } from './record.ts';

export type { UpsertFailure } from './failures.ts';
export { FailureLog } from './failures.ts';

export interface UpsertTarget {
    object: string;
    /** the key of each record: the external id of an upsert, `Id` for an update */
    externalId: string;
    /** CSV columns in order (relationship columns as `Relationship.ExternalId__c`) */
    columns: readonly string[];
    /** 'upsert' by external id (default), or 'update' by Id: never creates a record */
    operation?: 'upsert' | 'update';
}

export interface UpsertOptions {
    bulkThreshold: number;
    collectionSize: number;
    maxUploadBytes: number;
    concurrency: number;
    maxConcurrentJobs: number;
    /** further rounds for rows that failed for a transient reason */
    lockRetries: number;
    poll: PollOptions;
    tmpDir: string;
    retryBaseMs: number;
    logger?: Logger;
    sleep?: (ms: number) => Promise<void>;
    /** aborted on a stop (SIGTERM, lease lost): batches not sent yet are RUN_STOPPED, a running
     *  job is aborted and what it did is counted */
    signal?: AbortSignal;
    /** the run's Bulk jobs (recorded on SyncRun__c); a local registry when absent */
    jobs?: JobRegistry;
}

/** The upsert options of a run, from its configuration (built once per run). */
export function upsertOptions(
    config: SyncConfig,
    run: { tmpDir: string; logger: Logger; signal?: AbortSignal; jobs?: JobRegistry }
): UpsertOptions {
    return {
        bulkThreshold: config.bulkThreshold,
        collectionSize: config.collectionSize,
        maxUploadBytes: config.maxUploadBytes,
        concurrency: config.concurrency,
        maxConcurrentJobs: config.maxConcurrentJobs,
        lockRetries: config.lockRetries,
        retryBaseMs: config.retryBaseMs,
        poll: {
            initialMs: config.pollInitialMs,
            maxMs: config.pollMaxMs,
            timeoutMs: config.jobTimeoutMs
        },
        tmpDir: run.tmpDir,
        logger: run.logger,
        signal: run.signal,
        jobs: run.jobs
    };
}

export const RUN_STOPPED = 'RUN_STOPPED';
export const API_BUDGET_EXCEEDED = 'API_BUDGET_EXCEEDED';

/** Why the run stopped, for the rows it did not load. */
export function stoppedMessage(signal: AbortSignal | undefined): string {
    return `not loaded: ${stopReason(signal)}; the next run sends it`;
}

export interface UpsertResult {
    sent: number;
    failed: FailureLog;
    bulkJobs: number;
    collectionCalls: number;
}

type Records = AsyncIterable<SfRecord> | Iterable<SfRecord>;

/** A row waiting for the next round, with why it failed this time. */
interface Pending {
    record: SfRecord;
    errorCode: string;
    message: string;
}

/** What one round of an upsert shares: the result so far and the rows for the next round. */
interface Pass {
    client: SfClient;
    target: UpsertTarget;
    options: UpsertOptions;
    result: UpsertResult;
    jobs: JobRegistry;
    retry: NdjsonWriter<Pending>;
    retries: number;
    round: number;
    /** jobs that failed for their content, by header: the other uploads with the same header
     *  fail the same way, unsent */
    contentFailures: Map<string, { errorCode: string; message: string }>;
}

function errorCodeOf(err: unknown): { errorCode: string; message: string } {
    if (err instanceof BudgetExceededError)
        return { errorCode: API_BUDGET_EXCEEDED, message: err.message };
    if (err instanceof SfHttpError) return { errorCode: err.errorCode, message: err.message };
    const e = err as Error;
    const message = `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`.slice(0, 300);
    // a lost answer to a step that is not safe to repeat, or no answer after every retry
    return { errorCode: 'REQUEST_FAILED', message };
}

async function fail(pass: Pass, key: string, errorCode: string, message: string): Promise<void> {
    const cause = causeOf(errorCode, message, {
        object: pass.target.object,
        rounds: pass.round + 1
    });
    await pass.result.failed.add({ key, errorCode, message, cause });
}

/** A failed row: to the next round when the cause is transient and rounds remain. */
async function settle(
    pass: Pass,
    record: SfRecord,
    errorCode: string,
    message: string
): Promise<void> {
    if (isTransientRecordError(errorCode) && pass.round < pass.options.lockRetries) {
        pass.retries++;
        await pass.retry.write({ record, errorCode, message });
        return;
    }
    await fail(pass, String(record[pass.target.externalId]), errorCode, message);
}

async function failKeys(
    pass: Pass,
    keys: Iterable<string>,
    errorCode: string,
    message: string
): Promise<void> {
    for (const key of keys) await fail(pass, key, errorCode, message);
}

interface CollectionAnswer {
    success: boolean;
    errors?: Array<{ statusCode?: string; errorCode?: string; message?: string }>;
}

/** One collections call for `batch` (up to collectionSize records). An upsert by external id
 *  is safe to repeat, so a lost answer is simply sent again. */
async function sendCollection(pass: Pass, batch: SfRecord[]): Promise<void> {
    const { client, target, result } = pass;
    const keys = batch.map((record) => String(record[target.externalId]));
    if (pass.options.signal?.aborted) {
        await failKeys(pass, keys, RUN_STOPPED, stoppedMessage(pass.options.signal));
        return;
    }
    let answers: CollectionAnswer[] | undefined;
    try {
        result.collectionCalls++;
        // an upsert by external id, or an update by Id: both safe to repeat
        const path =
            target.operation === 'update'
                ? `${client.dataPath}/composite/sobjects`
                : `${client.dataPath}/composite/sobjects/${target.object}/${target.externalId}`;
        answers = await client.json<CollectionAnswer[]>(
            'PATCH',
            path,
            {
                allOrNone: false,
                records: batch.map((record) => toCollectionRecord(target.object, record))
            },
            { idempotent: true }
        );
    } catch (err) {
        const { errorCode, message } = errorCodeOf(err);
        await failKeys(pass, keys, errorCode, message);
        return;
    }
    for (const [i, record] of batch.entries()) {
        const answer = answers?.[i];
        if (answer?.success) continue;
        const error = answer?.errors?.[0];
        const code = answer ? (error?.statusCode ?? error?.errorCode ?? 'UNKNOWN') : 'NO_RESULT';
        await settle(pass, record, code, error?.message ?? '');
    }
}

async function upsertByCollections(pass: Pass, records: Records): Promise<void> {
    const { options } = pass;
    const queue = new PQueue({ concurrency: options.concurrency });
    let batch: SfRecord[] = [];
    for await (const record of records) {
        pass.result.sent++;
        batch.push(record);
        if (batch.length >= options.collectionSize) {
            const full = batch;
            batch = [];
            await queue.onSizeLessThan(options.concurrency);
            void queue.add(() => sendCollection(pass, full));
        }
    }
    if (batch.length) void queue.add(() => sendCollection(pass, batch));
    await queue.onIdle();
}

interface UploadFile {
    path: string;
    rows: number;
    columns: UploadColumn[];
}

interface OpenUpload extends UploadFile {
    bytes: number;
    out: NodeJS.WritableStream;
}

let uploads = 0;

/** The records as CSV files, each below maxUploadBytes, one header each (one Bulk job each). */
async function writeUploadFiles(pass: Pass, records: Records): Promise<UploadFile[]> {
    const { target, options } = pass;
    await mkdir(options.tmpDir, { recursive: true });
    // the keys of a file are read back from it only when a whole job fails (rare): keeping them
    // in memory cost ~40 MB at 1M records
    const files: UploadFile[] = [];
    const open = new Map<string, OpenUpload>();
    const close = async (header: string) => {
        const current = open.get(header)!;
        open.delete(header);
        current.out.end();
        await once(current.out, 'finish');
        files.push({ path: current.path, rows: current.rows, columns: current.columns });
    };
    for await (const record of records) {
        pass.result.sent++;
        const columns = uploadColumnsFor(target.columns, record);
        const header = csvLine(columns.map((c) => c.header));
        const line = csvLine(toCsvRow(columns, record));
        const bytes = Buffer.byteLength(line);
        const current = open.get(header);
        if (current && current.bytes + bytes > options.maxUploadBytes) await close(header);
        let file = open.get(header);
        if (!file) {
            const path = join(options.tmpDir, `${target.object}-${process.pid}-${++uploads}.csv`);
            const out = createWriteStream(path);
            file = { path, rows: 0, bytes: Buffer.byteLength(header), out, columns };
            open.set(header, file);
            out.write(header);
        }
        if (!file.out.write(line)) await once(file.out, 'drain');
        file.bytes += bytes;
        file.rows++;
    }
    for (const header of [...open.keys()]) await close(header);
    return files;
}

const headerOf = (file: UploadFile) => file.columns.map((c) => c.header).join(',');

/** Rows of a job's result list back as records, each settled with the code `codeOf` gives. */
async function settleRows(
    pass: Pass,
    file: UploadFile,
    list: ResultFile | undefined,
    codeOf: (row: Record<string, string>) => { errorCode: string; message: string }
): Promise<void> {
    if (!list) return;
    for await (const row of readNdjson<Record<string, string>>(list.path)) {
        const { errorCode, message } = codeOf(row);
        await settle(pass, fromCsvRow(file.columns, row), errorCode, message);
    }
}

/** Why the rows a job left without result did not load, from how the job ended. */
function unloadedCode(
    pass: Pass,
    file: UploadFile,
    job: IngestOutcome
): { errorCode: string; message: string } {
    const { info } = job;
    if (job.ended === 'stopped')
        return { errorCode: RUN_STOPPED, message: stoppedMessage(pass.options.signal) };
    if (job.ended === 'timeout')
        return {
            errorCode: 'JOB_TIMEOUT',
            message: `Bulk job ${info.id} aborted after jobTimeoutMs`
        };
    if (info.state === 'Aborted')
        return { errorCode: 'JOB_ABORTED', message: `Bulk job ${info.id} was aborted` };
    if (info.state === 'Failed') {
        const message = info.errorMessage ?? 'the job failed';
        if (transientJobFailure(message)) return { errorCode: 'JOB_RETRY', message };
        const failure = { errorCode: jobErrorCode(message), message };
        pass.contentFailures.set(headerOf(file), failure);
        return failure;
    }
    return { errorCode: 'NO_RESULT', message: `no result for the row in Bulk job ${info.id}` };
}

/** What became of the rows of one job: failed rows, unprocessed ones, rows without result. */
async function countJob(pass: Pass, file: UploadFile, job: IngestOutcome): Promise<void> {
    await settleRows(pass, file, job.failed, (row) => parseBulkError(row.sf__Error ?? ''));
    const unloaded = unloadedCode(pass, file, job);
    await settleRows(pass, file, job.unprocessed, () => unloaded);
    await settleRows(pass, file, job.noResult, () => unloaded);
    for (const list of [job.failed, job.unprocessed, job.noResult])
        if (list) await rm(list.path, { force: true });
    if (job.info.state === 'Failed' || (job.info.retries ?? 0) > 0) {
        pass.options.logger?.warn(
            {
                event: 'bulk-job-end',
                object: pass.target.object,
                jobId: job.info.id,
                state: job.info.state,
                retries: job.info.retries ?? 0,
                errorMessage: job.info.errorMessage
            },
            'bulk job ended with trouble'
        );
    }
}

/** One Bulk job for one upload file; its rows counted, transient failures kept for a round. */
async function runUploadJob(pass: Pass, file: UploadFile): Promise<void> {
    const { client, target, options, result } = pass;
    const keys = () => keysOf(file.path, target.externalId);
    try {
        if (options.signal?.aborted)
            return await failKeys(pass, await keys(), RUN_STOPPED, stoppedMessage(options.signal));
        const failed = pass.contentFailures.get(headerOf(file));
        if (failed) return await failKeys(pass, await keys(), failed.errorCode, failed.message);
        const size = (await stat(file.path)).size;
        options.logger?.info(
            { event: 'bulk-upload', object: target.object, rows: file.rows, bytes: size },
            'bulk upsert job'
        );
        result.bulkJobs++;
        const job = await runIngestJob(
            client,
            {
                object: target.object,
                operation: target.operation ?? 'upsert',
                externalIdFieldName: target.externalId,
                file: file.path,
                rows: file.rows
            },
            {
                poll: options.poll,
                jobs: pass.jobs,
                tmpDir: options.tmpDir,
                signal: options.signal,
                logger: options.logger
            }
        );
        await countJob(pass, file, job);
    } catch (err) {
        const { errorCode, message } = errorCodeOf(err);
        await failKeys(pass, await keys(), errorCode, message);
    } finally {
        await rm(file.path, { force: true });
    }
}

/**
 * One job per upload file, maxConcurrentJobs at a time. The first job runs alone: when it fails
 * for its content (a column the user cannot see), the uploads that share its columns are not
 * sent at all, instead of failing the same way in parallel.
 */
async function upsertByBulk(pass: Pass, records: Records): Promise<void> {
    const [first, ...rest] = await writeUploadFiles(pass, records);
    if (!first) return;
    await runUploadJob(pass, first);
    const queue = new PQueue({ concurrency: pass.options.maxConcurrentJobs });
    for (const file of rest) void queue.add(() => runUploadJob(pass, file));
    await queue.onIdle();
}

async function upsertRound(pass: Pass, records: Records, count: number): Promise<void> {
    if (count >= pass.options.bulkThreshold) await upsertByBulk(pass, records);
    else await upsertByCollections(pass, records);
}

let rounds = 0;

async function* pendingRecords(path: string): AsyncIterable<SfRecord> {
    for await (const pending of readNdjson<Pending>(path)) yield pending.record;
}

/**
 * Upsert `records` (`count` of them) into `target.object`. Rows failing for a transient reason
 * (UNABLE_TO_LOCK_ROW, a job the org failed, no result) are tried again in up to `lockRetries`
 * further rounds with backoff, from a file on disk; everything else that fails is in `failed`
 * with Salesforce's error code and the cause to act on.
 */
export async function upsertRecords(
    client: SfClient,
    target: UpsertTarget,
    records: Records,
    count: number,
    options: UpsertOptions
): Promise<UpsertResult> {
    await mkdir(options.tmpDir, { recursive: true });
    const result: UpsertResult = {
        sent: 0,
        failed: new FailureLog(options.tmpDir),
        bulkJobs: 0,
        collectionCalls: 0
    };
    const retryFile = () => join(options.tmpDir, `retry-${process.pid}-${++rounds}.ndjson`);
    const pass: Pass = {
        client,
        target,
        options,
        result,
        jobs: options.jobs ?? localJobRegistry(),
        retry: new NdjsonWriter<Pending>(retryFile()),
        retries: 0,
        round: 0,
        contentFailures: new Map()
    };
    await upsertRound(pass, records, count);
    const sent = result.sent;
    while (pass.retries > 0) {
        const again = pass.retry;
        const n = pass.retries;
        await again.close();
        pass.retry = new NdjsonWriter<Pending>(retryFile());
        pass.retries = 0;
        pass.round++;
        await (options.sleep ?? defaultSleep)(
            backoffDelay(pass.round - 1, { baseMs: options.retryBaseMs, capMs: 30_000 })
        );
        options.logger?.info(
            { event: 'record-retry', object: target.object, records: n, round: pass.round },
            'retrying rows that failed for a transient reason'
        );
        await upsertRound(pass, pendingRecords(again.path), n);
        await rm(again.path, { force: true });
    }
    await pass.retry.close();
    await rm(pass.retry.path, { force: true });
    result.sent = sent;
    return result;
}
