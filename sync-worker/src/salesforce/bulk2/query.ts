// A Bulk API 2.0 query job: create, poll, then read the CSV result pages one at a time as a
// stream (callers go through salesforce/query.ts). A page whose connection dies half-way is read
// again with the same locator (a GET: safe to repeat), skipping the rows already handed on.
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isNetworkFailure } from '../../util/backoff.ts';
import { csvRowBatches } from '../csv-read.ts';
import type { SfClient } from '../http.ts';
import { pollJob, type JobInfo, type PollOptions } from './job.ts';

export interface BulkQueryOptions extends PollOptions {
    /** rows per result page (each page is the only thing held in memory) */
    pageSize: number;
    /** times a page cut off by the network is read again (default 3) */
    pageRereads?: number;
}

/**
 * One result page ("Get Results for a Query Job": `maxRecords`, `locator`, the next locator in
 * `Sforce-Locator`), its rows to `onRow` as they are parsed. Rows already handed on by an earlier
 * attempt at the same page (`skip`) are not handed on again. Returns the next locator.
 */
async function readPage(
    client: SfClient,
    path: string,
    locator: string | null,
    options: BulkQueryOptions,
    progress: { delivered: number },
    onRow: (row: Record<string, string>) => void
): Promise<string | null> {
    const query = new URLSearchParams({ maxRecords: String(options.pageSize) });
    if (locator) query.set('locator', locator);
    const response = await client.request('GET', `${path}/results?${query}`, {
        accept: 'text/csv'
    });
    const next = response.headers.get('sforce-locator');
    if (response.body) {
        let index = 0;
        const body = response.body as WebReadableStream<Uint8Array>;
        for await (const rows of csvRowBatches(body)) {
            for (const row of rows) {
                if (index++ < progress.delivered) continue;
                onRow(row);
                progress.delivered++;
            }
        }
    }
    return next && next !== 'null' ? next : null;
}

/**
 * Runs a Bulk API 2.0 query and hands every row to `onRow`, one page at a time
 * (each page at most `pageSize` rows is the only thing held in memory). Returns the row count.
 */
export async function runQueryJob(
    client: SfClient,
    soql: string,
    onRow: (row: Record<string, string>) => void,
    options: BulkQueryOptions
): Promise<number> {
    const base = `${client.dataPath}/jobs/query`;
    // a query job only reads: a second job after a lost answer costs a job, never data
    const job = await client.json<JobInfo>(
        'POST',
        base,
        {
            operation: 'query',
            query: soql,
            contentType: 'CSV',
            columnDelimiter: 'COMMA',
            lineEnding: 'LF'
        },
        { idempotent: true }
    );
    const path = `${base}/${job.id}`;
    const info = await pollJob(client, path, options);
    if (info.state !== 'JobComplete') {
        throw new Error(`Bulk query job ${job.id} ${info.state}: ${info.errorMessage ?? ''}`);
    }
    let locator: string | null = null;
    let rows = 0;
    do {
        const progress = { delivered: 0 };
        for (let attempt = 0; ; attempt++) {
            try {
                locator = await readPage(client, path, locator, options, progress, onRow);
                break;
            } catch (err) {
                if (attempt >= (options.pageRereads ?? 3) || !isNetworkFailure(err)) throw err;
            }
        }
        rows += progress.delivered;
    } while (locator);
    return rows;
}
