// A Bulk API 2.0 ingest job for one CSV upload, as a state machine (Bulk API 2.0 Developer
// Guide, "Bulk API 2.0 Ingest": create -> upload once -> close -> poll -> results): every job
// is recorded on the run before data is sent; a lost answer is resolved by reading the state back
// (an orphan Open job left by a lost create is aborted; a close answered 409 INVALIDJOBSTATE is
// checked with GET); a job that times out, meets an error or is stopped is aborted; and every
// uploaded row is accounted for as processed (in failedResults or not), unprocessed, or without
// any result (never counted as loaded).
import { join } from 'node:path';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { KeyTable } from '../../util/key-table.ts';
import { readNdjson } from '../../util/ndjson-file.ts';
import type { Logger } from '../../util/log.ts';
import type { SfClient } from '../http.ts';
import { parseSalesforceDateTime } from '../datetime.ts';
import { ReplyLostError, SfHttpError } from '../retry.ts';
import {
    abortJob,
    isFinal,
    JobStoppedError,
    JobTimeoutError,
    pollJob,
    type JobInfo,
    type PollOptions
} from './job.ts';
import { csvRowsOf, downloadResults, type ResultFile } from './results.ts';

/** One upload: an upsert of `rows` rows (the CSV `file`, keyed by `externalIdFieldName`), or an
 *  update by Id (`externalIdFieldName` is then `Id`, the column that keys the rows). */
export interface IngestRequest {
    object: string;
    operation?: 'upsert' | 'update';
    externalIdFieldName: string;
    file: string;
    rows: number;
}

/** The run's Bulk jobs: recorded before any data is sent, so a run that takes over can abort
 *  them; creations one at a time, so a lost create is resolved without racing another. */
export interface JobRegistry {
    created(id: string): Promise<void>;
    finished(id: string): void;
    has(id: string): boolean;
    exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export interface IngestHooks {
    poll: PollOptions;
    jobs: JobRegistry;
    /** where the result lists are written */
    tmpDir: string;
    /** aborted when the run must stop: the job is aborted, what it did is counted */
    signal?: AbortSignal;
    logger?: Logger;
}

/** What became of every uploaded row. */
export interface IngestOutcome {
    info: JobInfo;
    uploaded: number;
    /** failedResults: sf__Id, sf__Error and the row */
    failed?: ResultFile;
    /** unprocessedrecords: rows no batch processed */
    unprocessed?: ResultFile;
    /** rows of the upload in no result list at all */
    noResult?: ResultFile;
    /** how it ended: on its own, aborted because the run was asked to stop, or aborted
     *  because it was not done in time (jobTimeoutMs) */
    ended: 'done' | 'stopped' | 'timeout';
}

/** The simple registry of a run without a SyncRun__c record (tests, `lease: false`). */
export function localJobRegistry(): JobRegistry {
    const known = new Set<string>();
    let chain: Promise<unknown> = Promise.resolve();
    return {
        async created(id) {
            known.add(id);
        },
        finished() {},
        has: (id) => known.has(id),
        exclusive<T>(fn: () => Promise<T>): Promise<T> {
            const next = chain.then(fn, fn);
            chain = next.catch(() => undefined);
            return next;
        }
    };
}

/**
 * Open jobs of the same kind that this run does not know, created since just before a create
 * whose answer was lost (the org's clock), are that create's orphans: aborted so they never
 * linger. Returns how many.
 */
async function abortOrphans(
    client: SfClient,
    base: string,
    request: IngestRequest,
    jobs: JobRegistry,
    since: number | undefined,
    logger?: Logger
): Promise<number> {
    let url: string | null = base;
    let aborted = 0;
    while (url) {
        const page: { records?: JobInfo[]; nextRecordsUrl?: string | null } = await client.json(
            'GET',
            url
        );
        for (const job of page.records ?? []) {
            const created = parseSalesforceDateTime(job.createdDate ?? '');
            const operation = request.operation ?? 'upsert';
            const orphan =
                job.state === 'Open' &&
                job.object === request.object &&
                job.operation === operation &&
                (operation !== 'upsert' ||
                    job.externalIdFieldName === request.externalIdFieldName) &&
                !jobs.has(job.id) &&
                (since === undefined || !(created < since - 5000));
            if (!orphan) continue;
            await abortJob(client, `${base}/${job.id}`);
            aborted++;
            logger?.warn(
                { event: 'orphan-job-aborted', jobId: job.id, object: request.object },
                'aborted the Open job a lost create left behind'
            );
        }
        url = page.nextRecordsUrl ?? null;
    }
    return aborted;
}

/** create: a lost answer leaves an orphan Open job, aborted before creating again. */
async function createJob(
    client: SfClient,
    base: string,
    request: IngestRequest,
    hooks: IngestHooks
): Promise<JobInfo> {
    return hooks.jobs.exclusive(async () => {
        for (let attempt = 0; ; attempt++) {
            const before = client.serverTime;
            try {
                const operation = request.operation ?? 'upsert';
                const job = await client.json<JobInfo>('POST', base, {
                    object: request.object,
                    operation,
                    ...(operation === 'upsert'
                        ? { externalIdFieldName: request.externalIdFieldName }
                        : {}),
                    contentType: 'CSV',
                    columnDelimiter: 'COMMA',
                    lineEnding: 'LF'
                });
                await hooks.jobs.created(job.id);
                return job;
            } catch (err) {
                if (!(err instanceof ReplyLostError) || attempt >= 2) throw err;
                await abortOrphans(client, base, request, hooks.jobs, before, hooks.logger);
            }
        }
    });
}

/** upload, once per job: a retry told "multiple contents" means the first upload arrived. */
async function uploadOnce(client: SfClient, path: string, file: string): Promise<void> {
    try {
        await client.request('PUT', `${path}/batches`, { file, contentType: 'text/csv' });
    } catch (err) {
        const arrived =
            err instanceof SfHttpError &&
            err.status === 400 &&
            /multiple contents/i.test(err.message);
        if (!arrived) throw err;
    }
}

/** close: a lost answer, or 409 INVALIDJOBSTATE on a second try, is checked with GET. */
async function closeJob(client: SfClient, path: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            await client.json('PATCH', path, { state: 'UploadComplete' });
            return;
        } catch (err) {
            const lost = err instanceof ReplyLostError;
            const refused = err instanceof SfHttpError && err.errorCode === 'INVALIDJOBSTATE';
            if (!lost && !refused) throw err;
            const info = await client.json<JobInfo>('GET', path);
            if (info.state !== 'Open') return; // closed by the attempt whose answer was lost
            if (refused) throw err;
        }
    }
    throw new Error(`Bulk job ${path.split('/').pop()}: could not be closed`);
}

/** The keys of the rows of a result list (or of the successful results read now). */
async function addKeys(keys: KeyTable, file: ResultFile | undefined, key: string): Promise<void> {
    if (!file) return;
    for await (const row of readNdjson<Record<string, string>>(file.path)) keys.add(row[key] ?? '');
}

/**
 * The rows of the upload that are in no result list (counts short): successfulResults is read
 * only here, so a clean job costs no download at all.
 */
async function rowsWithoutResult(
    client: SfClient,
    path: string,
    request: IngestRequest,
    lists: { failed?: ResultFile; unprocessed?: ResultFile; succeeded: number },
    tmpDir: string
): Promise<ResultFile> {
    const id = path.split('/').pop()!;
    const keys = new KeyTable(1024);
    if (lists.succeeded > 0) {
        const ok = await downloadResults(
            client,
            path,
            'successfulResults',
            join(tmpDir, `${id}-ok.ndjson`)
        );
        await addKeys(keys, ok, request.externalIdFieldName);
    }
    await addKeys(keys, lists.failed, request.externalIdFieldName);
    await addKeys(keys, lists.unprocessed, request.externalIdFieldName);
    const file = join(tmpDir, `${id}-noresult.ndjson`);
    const out = createWriteStream(file);
    let rows = 0;
    for await (const row of csvRowsOf(createReadStream(request.file))) {
        if (keys.has(row[request.externalIdFieldName] ?? '')) continue;
        rows++;
        if (!out.write(JSON.stringify(row) + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return { path: file, rows };
}

/** Failed rows when the job says so; unprocessed ones when it did not process everything;
 *  and, when the counts still fall short, the rows without any result. */
async function collectResults(
    client: SfClient,
    path: string,
    info: JobInfo,
    request: IngestRequest,
    tmpDir: string
): Promise<Omit<IngestOutcome, 'ended'>> {
    const outcome: Omit<IngestOutcome, 'ended'> = { info, uploaded: request.rows };
    const processed = info.numberRecordsProcessed ?? 0;
    const failedCount = info.numberRecordsFailed ?? 0;
    if (failedCount > 0)
        outcome.failed = await downloadResults(
            client,
            path,
            'failedResults',
            join(tmpDir, `${info.id}-failed.ndjson`)
        );
    let accounted = processed;
    if (info.state !== 'JobComplete' || processed < request.rows) {
        outcome.unprocessed = await downloadResults(
            client,
            path,
            'unprocessedrecords',
            join(tmpDir, `${info.id}-unprocessed.ndjson`)
        );
        accounted += outcome.unprocessed.rows;
    }
    if (accounted < request.rows) {
        outcome.noResult = await rowsWithoutResult(
            client,
            path,
            request,
            { ...outcome, succeeded: processed - failedCount },
            tmpDir
        );
    }
    return outcome;
}

/** One upsert job for one upload, from create to results. */
export async function runIngestJob(
    client: SfClient,
    request: IngestRequest,
    hooks: IngestHooks
): Promise<IngestOutcome> {
    const base = `${client.dataPath}/jobs/ingest`;
    const job = await createJob(client, base, request, hooks);
    const path = `${base}/${job.id}`;
    let info: JobInfo | undefined;
    let ended: IngestOutcome['ended'] = 'done';
    try {
        await uploadOnce(client, path, request.file);
        if (hooks.signal?.aborted) {
            await abortJob(client, path);
            ended = 'stopped';
        } else {
            await closeJob(client, path);
            try {
                info = await pollJob(client, path, hooks.poll, hooks.signal);
            } catch (err) {
                // pollJob aborted the job: what it did before is still read and counted
                if (err instanceof JobStoppedError) ended = 'stopped';
                else if (err instanceof JobTimeoutError) ended = 'timeout';
                else throw err;
            }
        }
        // after an abort: the final state and its counts (the abort's answer has no counts)
        info ??= await pollJob(client, path, hooks.poll);
        return { ...(await collectResults(client, path, info, request, hooks.tmpDir)), ended };
    } catch (err) {
        // a job that did not reach its end must not go on writing after the run gave up on it
        if (!info || !isFinal(info.state)) await abortJob(client, path).catch(() => undefined);
        throw err;
    } finally {
        hooks.jobs.finished(job.id);
    }
}
