// Bulk API 2.0 over the low-level client, so we control polling, splitting and results.
import { parse } from 'csv-parse/sync';
import { parse as parseStream } from 'csv-parse';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { defaultSleep } from '../retry.ts';
import type { HttpBody, SfClient } from '../http.ts';

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

async function poll(
    client: SfClient,
    path: string,
    done: (s: string) => boolean,
    o: PollOptions
): Promise<JobInfo> {
    const sleep = o.sleep ?? defaultSleep;
    const started = Date.now();
    let wait = o.initialMs;
    for (;;) {
        await sleep(wait);
        const info = await client.json<JobInfo>('GET', path);
        if (done(info.state)) return info;
        if (Date.now() - started > o.timeoutMs) {
            throw new Error(
                `Bulk job ${info.id} still ${info.state} after ${Math.round(o.timeoutMs / 1000)} s`
            );
        }
        wait = Math.min(o.maxMs, Math.ceil(wait * 1.6));
    }
}

/**
 * Run a Bulk API 2.0 query and hand every row to `onRow`, one page at a time
 * (each page at most `pageSize` rows is the only thing held in memory).
 */
export async function bulkQuery(
    client: SfClient,
    soql: string,
    onRow: (row: Record<string, string>) => void,
    o: PollOptions & { pageSize: number }
): Promise<number> {
    const base = `${client.dataPath}/jobs/query`;
    const job = await client.json<JobInfo>('POST', base, {
        operation: 'query',
        query: soql,
        contentType: 'CSV',
        columnDelimiter: 'COMMA',
        lineEnding: 'LF'
    });
    const info = await poll(
        client,
        `${base}/${job.id}`,
        (s) => ['JobComplete', 'Failed', 'Aborted'].includes(s),
        o
    );
    if (info.state !== 'JobComplete') {
        throw new Error(`Bulk query job ${job.id} ${info.state}: ${info.errorMessage ?? ''}`);
    }
    let locator: string | null = null;
    let rows = 0;
    do {
        const qs = new URLSearchParams({ maxRecords: String(o.pageSize) });
        if (locator) qs.set('locator', locator);
        const res = await client.request('GET', `${base}/${job.id}/results?${qs}`, {
            accept: 'text/csv'
        });
        const next = res.headers.get('sforce-locator');
        locator = next && next !== 'null' ? next : null;
        if (!res.body) continue;
        // streamed: a page (up to pageSize rows, ~10 MB of CSV) is never held whole in memory
        const parser = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>).pipe(
            parseStream({ columns: true, skip_empty_lines: true, relax_column_count: true })
        );
        for await (const r of parser as AsyncIterable<Record<string, string>>) {
            onRow(r);
            rows++;
        }
    } while (locator);
    return rows;
}

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
    o: PollOptions
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
    await client.request('PUT', `${base}/${job.id}/batches`, {
        ...(typeof csvBody === 'string' ? { file: csvBody } : { body: csvBody }),
        contentType: 'text/csv'
    });
    await client.json('PATCH', `${base}/${job.id}`, { state: 'UploadComplete' });
    const info = await poll(
        client,
        `${base}/${job.id}`,
        (s) => ['JobComplete', 'Failed', 'Aborted'].includes(s),
        o
    );
    const readCsv = async (kind: string) => {
        const res = await client.request('GET', `${base}/${job.id}/${kind}/`, {
            accept: 'text/csv'
        });
        const text = await res.text();
        return text.trim()
            ? (parse(text, {
                  columns: true,
                  skip_empty_lines: true,
                  relax_column_count: true
              }) as Record<string, string>[])
            : [];
    };
    // Created/updated come from our own diff, so successfulResults is never needed:
    // failed rows are read only when the job reports some, unprocessed ones only when a job
    // did not process everything.
    const failed = (info.numberRecordsFailed ?? 0) > 0 ? await readCsv('failedResults') : [];
    const unprocessed = info.state !== 'JobComplete' ? await readCsv('unprocessedrecords') : [];
    return { info, failed, unprocessed };
}

/** `STATUS_CODE:message:fields --` -> {errorCode, message} */
export function parseBulkError(sfError: string): { errorCode: string; message: string } {
    const i = sfError.indexOf(':');
    if (i < 0) return { errorCode: sfError.trim() || 'UNKNOWN', message: '' };
    const rest = sfError.slice(i + 1).replace(/\s*--\s*$/, '');
    const j = rest.lastIndexOf(':');
    return {
        errorCode: sfError.slice(0, i).trim(),
        message: (j >= 0 ? rest.slice(0, j) : rest).trim()
    };
}
