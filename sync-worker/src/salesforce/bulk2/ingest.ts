// A Bulk API 2.0 upsert job for one CSV upload: open, upload, close, poll, then read the failed
// rows (only when the job reports some) and the unprocessed ones (only when it did not finish).
// Issue 14's typed job state machine belongs here.
import type { HttpBody, SfClient } from '../http.ts';
import { pollJob, type JobInfo, type PollOptions } from './job.ts';
import { readJobResults } from './results.ts';

export interface IngestResult {
    info: JobInfo;
    failed: Record<string, string>[];
    unprocessed: Record<string, string>[];
}

/** One upsert ingest job for one CSV upload (<= the configured max upload size). */
export async function bulkUpsert(
    client: SfClient,
    object: string,
    externalIdFieldName: string,
    /** the CSV: a file path (streamed from disk) or a body factory (called once per attempt) */
    csvBody: string | (() => HttpBody),
    poll: PollOptions
): Promise<IngestResult> {
    const base = `${client.dataPath}/jobs/ingest`;
    const job = await client.json<JobInfo>('POST', base, {
        object,
        operation: 'upsert',
        externalIdFieldName,
        contentType: 'CSV',
        columnDelimiter: 'COMMA',
        lineEnding: 'LF'
    });
    const jobPath = `${base}/${job.id}`;
    await client.request('PUT', `${jobPath}/batches`, {
        ...(typeof csvBody === 'string' ? { file: csvBody } : { body: csvBody }),
        contentType: 'text/csv'
    });
    await client.json('PATCH', jobPath, { state: 'UploadComplete' });
    const info = await pollJob(client, jobPath, poll);
    // Created/updated come from our own diff, so successfulResults is never needed:
    // failed rows are read only when the job reports some, unprocessed ones only when a job
    // did not process everything.
    const failed =
        (info.numberRecordsFailed ?? 0) > 0
            ? await readJobResults(client, jobPath, 'failedResults')
            : [];
    const unprocessed =
        info.state !== 'JobComplete'
            ? await readJobResults(client, jobPath, 'unprocessedrecords')
            : [];
    return { info, failed, unprocessed };
}
