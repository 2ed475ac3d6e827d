// A Bulk API 2.0 job as the worker sees it: its info (state, counts, error message) and the
// polling of its state with a growing interval until it is done or the timeout passes.
import { defaultSleep } from '../../util/backoff.ts';
import type { SfClient } from '../http.ts';

export interface PollOptions {
    initialMs: number;
    maxMs: number;
    timeoutMs: number;
    sleep?: (ms: number) => Promise<void>;
}

export interface JobInfo {
    id: string;
    state: string;
    numberRecordsProcessed?: number;
    numberRecordsFailed?: number;
    errorMessage?: string;
}

/** The states after which a job changes no more. */
export const FINAL_STATES: readonly string[] = ['JobComplete', 'Failed', 'Aborted'];

/** Polls `path` (a job's URL) until its state is final; throws after `timeoutMs`. */
export async function pollJob(client: SfClient, path: string, poll: PollOptions): Promise<JobInfo> {
    const sleep = poll.sleep ?? defaultSleep;
    const started = Date.now();
    let wait = poll.initialMs;
    for (;;) {
        await sleep(wait);
        const info = await client.json<JobInfo>('GET', path);
        if (FINAL_STATES.includes(info.state)) return info;
        if (Date.now() - started > poll.timeoutMs) {
            throw new Error(
                `Bulk job ${info.id} still ${info.state} after ${Math.round(poll.timeoutMs / 1000)} s`
            );
        }
        wait = Math.min(poll.maxMs, Math.ceil(wait * 1.6));
    }
}
