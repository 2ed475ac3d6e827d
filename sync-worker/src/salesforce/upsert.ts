// Upsert by external id: Bulk API 2.0 for large sets (one job per CSV upload, each upload below
// maxUploadBytes), sObject Collections (200 records a call) below the threshold; rows locked
// or left unprocessed are retried in further rounds. p-queue bounds concurrent calls and jobs.
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import PQueue from 'p-queue';
import { stringify } from 'csv-stringify/sync';
import type { SyncConfig } from '../config/schema.ts';
import { backoffDelay, defaultSleep } from '../util/backoff.ts';
import type { Logger } from '../util/log.ts';
import { BudgetExceededError } from './budget.ts';
import { SfHttpError } from './retry.ts';
import { bulkUpsert } from './bulk2/ingest.ts';
import type { PollOptions } from './bulk2/job.ts';
import { parseBulkError } from './bulk2/results.ts';
import { csvLine, fromCsvRow, keysOf, toCsvRow } from './csv.ts';
import type { SfClient } from './http.ts';
import { toCollectionRecord, type SfRecord } from './record.ts';

export interface UpsertTarget {
    object: string;
    externalId: string;
    /** CSV columns in order (relationship columns as `Relationship.ExternalId__c`) */
    columns: readonly string[];
}

export interface UpsertOptions {
    bulkThreshold: number;
    collectionSize: number;
    maxUploadBytes: number;
    concurrency: number;
    maxConcurrentJobs: number;
    lockRetries: number;
    poll: PollOptions;
    tmpDir: string;
    retryBaseMs: number;
    logger?: Logger;
    sleep?: (ms: number) => Promise<void>;
    /** aborted on SIGTERM: batches not yet sent are reported as RUN_STOPPED, never half-sent */
    signal?: AbortSignal;
}

/** The upsert options of a run, from its configuration (built once per run). */
export function upsertOptions(
    config: SyncConfig,
    run: { tmpDir: string; logger: Logger; signal?: AbortSignal }
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
        signal: run.signal
    };
}

export const RUN_STOPPED = 'RUN_STOPPED';
export const API_BUDGET_EXCEEDED = 'API_BUDGET_EXCEEDED';
const STOPPED_MESSAGE = 'not sent: the run was stopped (SIGTERM); the next run sends it';

export interface UpsertFailure {
    key: string; // external id value (caller masks it)
    errorCode: string;
    message: string;
}

export interface UpsertResult {
    sent: number;
    failed: UpsertFailure[];
    bulkJobs: number;
    collectionCalls: number;
}

type Records = AsyncIterable<SfRecord> | Iterable<SfRecord>;

/** What one pass of an upsert shares: the result so far and the rows to retry. */
interface Pass {
    client: SfClient;
    target: UpsertTarget;
    options: UpsertOptions;
    result: UpsertResult;
    retryLater: SfRecord[];
}

const RETRY_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'UNPROCESSED']);

function errorCodeOf(err: unknown): { errorCode: string; message: string } {
    if (err instanceof BudgetExceededError)
        return { errorCode: API_BUDGET_EXCEEDED, message: err.message };
    if (err instanceof SfHttpError) return { errorCode: err.errorCode, message: err.message };
    const e = err as Error;
    return {
        errorCode: 'REQUEST_FAILED',
        message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`.slice(0, 200)
    };
}

function failAll(pass: Pass, keys: Iterable<string>, errorCode: string, message: string): void {
    for (const key of keys) pass.result.failed.push({ key, errorCode, message });
}

function keysOfRecords(pass: Pass, records: readonly SfRecord[]): string[] {
    return records.map((record) => String(record[pass.target.externalId]));
}

interface CollectionAnswer {
    success: boolean;
    errors?: Array<{ statusCode?: string; errorCode?: string; message?: string }>;
}

/** One collections call for `batch` (up to collectionSize records). */
async function sendCollection(pass: Pass, batch: SfRecord[]): Promise<void> {
    const { client, target, result } = pass;
    if (pass.options.signal?.aborted) {
        failAll(pass, keysOfRecords(pass, batch), RUN_STOPPED, STOPPED_MESSAGE);
        return;
    }
    try {
        result.collectionCalls++;
        const answers = await client.json<CollectionAnswer[]>(
            'PATCH',
            `${client.dataPath}/composite/sobjects/${target.object}/${target.externalId}`,
            {
                allOrNone: false,
                records: batch.map((record) => toCollectionRecord(target.object, record))
            }
        );
        batch.forEach((record, i) => {
            const answer = answers?.[i];
            if (answer?.success) return;
            const error = answer?.errors?.[0];
            const code = error?.statusCode ?? error?.errorCode ?? 'UNKNOWN';
            if (RETRY_RECORD_CODES.has(code)) pass.retryLater.push(record);
            else failAll(pass, [String(record[target.externalId])], code, error?.message ?? '');
        });
    } catch (err) {
        const { errorCode, message } = errorCodeOf(err);
        failAll(pass, keysOfRecords(pass, batch), errorCode, message);
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
}

/** The records as CSV files, each below maxUploadBytes (one Bulk job each). */
async function writeUploadFiles(pass: Pass, records: Records): Promise<UploadFile[]> {
    const { target, options } = pass;
    await mkdir(options.tmpDir, { recursive: true });
    const header = stringify([target.columns as string[]]);
    // the keys of a file are read back from it only when a whole job fails (rare): keeping them
    // in memory cost ~40 MB at 1M records
    const files: UploadFile[] = [];
    let current: (UploadFile & { bytes: number; out: NodeJS.WritableStream }) | undefined;
    const close = async () => {
        if (!current) return;
        current.out.end();
        await once(current.out, 'finish');
        files.push({ path: current.path, rows: current.rows });
        current = undefined;
    };
    for await (const record of records) {
        pass.result.sent++;
        const line = csvLine(toCsvRow(target.columns, record));
        const bytes = Buffer.byteLength(line);
        if (current && current.bytes + bytes > options.maxUploadBytes) await close();
        if (!current) {
            const path = join(options.tmpDir, `${target.object}-${Date.now()}-${files.length}.csv`);
            const out = createWriteStream(path);
            current = { path, rows: 0, bytes: Buffer.byteLength(header), out };
            out.write(header);
        }
        if (!current.out.write(line)) await once(current.out, 'drain');
        current.bytes += bytes;
        current.rows++;
    }
    await close();
    return files;
}

/** One Bulk job for one upload file; its failed rows counted, locked ones kept for a retry. */
async function runUploadJob(pass: Pass, file: UploadFile): Promise<void> {
    const { client, target, options, result } = pass;
    if (options.signal?.aborted) {
        failAll(pass, await keysOf(file.path, target.externalId), RUN_STOPPED, STOPPED_MESSAGE);
        await rm(file.path, { force: true });
        return;
    }
    const size = (await stat(file.path)).size;
    options.logger?.info(
        { event: 'bulk-upload', object: target.object, rows: file.rows, bytes: size },
        'bulk upsert job'
    );
    try {
        result.bulkJobs++;
        const job = await bulkUpsert(
            client,
            target.object,
            target.externalId,
            file.path,
            options.poll
        );
        for (const row of job.failed) {
            const { errorCode, message } = parseBulkError(row.sf__Error ?? '');
            if (RETRY_RECORD_CODES.has(errorCode))
                pass.retryLater.push(fromCsvRow(target.columns, row));
            else failAll(pass, [row[target.externalId]], errorCode, message);
        }
        for (const row of job.unprocessed) pass.retryLater.push(fromCsvRow(target.columns, row));
    } catch (err) {
        const { errorCode, message } = errorCodeOf(err);
        failAll(pass, await keysOf(file.path, target.externalId), errorCode, message);
    } finally {
        await rm(file.path, { force: true });
    }
}

async function upsertByBulk(pass: Pass, records: Records): Promise<void> {
    const files = await writeUploadFiles(pass, records);
    const queue = new PQueue({ concurrency: pass.options.maxConcurrentJobs });
    for (const file of files) void queue.add(() => runUploadJob(pass, file));
    await queue.onIdle();
}

async function upsertPass(pass: Pass, records: Records, count: number): Promise<void> {
    if (count >= pass.options.bulkThreshold) await upsertByBulk(pass, records);
    else await upsertByCollections(pass, records);
}

/**
 * Upsert `records` (`count` of them) into `target.object`. Records failing with
 * UNABLE_TO_LOCK_ROW (or left unprocessed by a failed job) are retried up to `lockRetries`
 * rounds with backoff; everything else that fails is returned in `failed` with Salesforce's
 * error code.
 */
export async function upsertRecords(
    client: SfClient,
    target: UpsertTarget,
    records: Records,
    count: number,
    options: UpsertOptions
): Promise<UpsertResult> {
    const result: UpsertResult = { sent: 0, failed: [], bulkJobs: 0, collectionCalls: 0 };
    const pass: Pass = { client, target, options, result, retryLater: [] };
    await upsertPass(pass, records, count);
    const sent = result.sent;
    for (let round = 0; pass.retryLater.length && round < options.lockRetries; round++) {
        const again = pass.retryLater;
        pass.retryLater = [];
        await (options.sleep ?? defaultSleep)(
            backoffDelay(round, { baseMs: options.retryBaseMs, capMs: 30_000 })
        );
        options.logger?.info(
            {
                event: 'record-retry',
                object: target.object,
                records: again.length,
                round: round + 1
            },
            'retrying locked rows'
        );
        await upsertPass(pass, again, again.length);
    }
    failAll(
        pass,
        keysOfRecords(pass, pass.retryLater),
        'UNABLE_TO_LOCK_ROW',
        'record still locked after retries'
    );
    result.sent = sent;
    return result;
}
