// A Bulk API 2.0 job as the worker sees it: its typed state and info, the job-level failures
// (Failed and Aborted carry the org's errorMessage), polling until a final state, and aborting.
// Bulk API 2.0 Developer Guide: "Job States" (Open, UploadComplete, InProgress, JobComplete,
// Failed, Aborted), "Get Job Info", "Close or Abort a Job"; modelled on jsforce's bulk2.ts
// (a Failed job throws with its errorMessage, a poll timeout has its own error).
import { defaultSleep } from '../../util/backoff.ts';
import type { SfClient } from '../http.ts';
import { ReplyLostError, SfHttpError } from '../retry.ts';

export type JobState =
    'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface PollOptions {
    initialMs: number;
    maxMs: number;
    timeoutMs: number;
    sleep?: (ms: number) => Promise<void>;
}

/** The job info fields the worker reads ("Get Job Info"). */
export interface JobInfo {
    id: string;
    state: JobState;
    object?: string;
    operation?: string;
    externalIdFieldName?: string;
    createdById?: string;
    createdDate?: string;
    numberRecordsProcessed?: number;
    numberRecordsFailed?: number;
    retries?: number;
    errorMessage?: string;
}

/** The states after which a job changes no more. */
export const FINAL_STATES: readonly JobState[] = ['JobComplete', 'Failed', 'Aborted'];

export const isFinal = (state: JobState): boolean => FINAL_STATES.includes(state);

/** The job did not reach a final state in time (it has been aborted when it could be). */
export class JobTimeoutError extends Error {
    readonly jobId: string;
    constructor(jobId: string, state: string, timeoutMs: number) {
        super(`Bulk job ${jobId} still ${state} after ${Math.round(timeoutMs / 1000)} s: aborted`);
        this.name = 'JobTimeoutError';
        this.jobId = jobId;
    }
}

/** The run was asked to stop while the job ran (it has been aborted). */
export class JobStoppedError extends Error {
    readonly info: JobInfo;
    constructor(info: JobInfo) {
        super(`Bulk job ${info.id} aborted: the run was stopped`);
        this.name = 'JobStoppedError';
        this.info = info;
    }
}

/**
 * Polls `path` (a job's URL) with a growing interval until its state is final. On the timeout,
 * or when `signal` is aborted, the job is aborted first (so it writes no more) and then
 * JobTimeoutError / JobStoppedError is thrown.
 */
export async function pollJob(
    client: SfClient,
    path: string,
    poll: PollOptions,
    signal?: AbortSignal
): Promise<JobInfo> {
    const sleep = poll.sleep ?? defaultSleep;
    const started = Date.now();
    let wait = poll.initialMs;
    for (;;) {
        await sleep(wait);
        const info = await client.json<JobInfo>('GET', path);
        if (isFinal(info.state)) return info;
        if (signal?.aborted) throw new JobStoppedError(await abortJob(client, path));
        if (Date.now() - started > poll.timeoutMs) {
            await abortJob(client, path).catch(() => undefined);
            throw new JobTimeoutError(info.id, info.state, poll.timeoutMs);
        }
        wait = Math.min(poll.maxMs, Math.ceil(wait * 1.6));
    }
}

/**
 * Aborts a job (PATCH state Aborted) and answers its info. A job already final is left as it is;
 * an abort whose answer was lost, or refused because the job moved on, is resolved by reading
 * the state back.
 */
export async function abortJob(client: SfClient, path: string): Promise<JobInfo> {
    try {
        return await client.json<JobInfo>('PATCH', path, { state: 'Aborted' });
    } catch (err) {
        const refused = err instanceof SfHttpError && err.errorCode === 'INVALIDJOBSTATE';
        if (!refused && !(err instanceof ReplyLostError)) throw err;
        return client.json<JobInfo>('GET', path);
    }
}

/** The first word of an errorMessage ("InvalidBatch : Field name not found : X"). */
export function jobErrorCode(errorMessage: string | undefined): string {
    const m = /^\s*([A-Za-z_]+)\s*:/.exec(errorMessage ?? '');
    return m ? m[1] : 'JOB_FAILED';
}

/**
 * Whether a job-level failure is worth another job with the same rows: the org's own trouble
 * (internal errors, timeouts, batches retried too often) is; the upload's content (a header
 * column it cannot find, the line ending, the data) is not, and sending it again fails again.
 */
export function transientJobFailure(errorMessage: string | undefined): boolean {
    const text = errorMessage ?? '';
    if (/^\s*(InvalidBatch|ClientInputError|InvalidJob|FeatureNotEnabled)\b/i.test(text))
        return false;
    return /InternalServerError|timed? ?out|retries|UNABLE_TO_LOCK_ROW|unavailable|temporar/i.test(
        text
    );
}
