// A Bulk API 2.0 query job: create, poll, then read the CSV result pages one at a time as a
// stream (callers go through salesforce/query.ts).
import { parse as parseStream } from 'csv-parse';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SfClient } from '../http.ts';
import { pollJob, type JobInfo, type PollOptions } from './job.ts';

export interface BulkQueryOptions extends PollOptions {
    /** rows per result page (each page is the only thing held in memory) */
    pageSize: number;
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
    const job = await client.json<JobInfo>('POST', base, {
        operation: 'query',
        query: soql,
        contentType: 'CSV',
        columnDelimiter: 'COMMA',
        lineEnding: 'LF'
    });
    const info = await pollJob(client, `${base}/${job.id}`, options);
    if (info.state !== 'JobComplete') {
        throw new Error(`Bulk query job ${job.id} ${info.state}: ${info.errorMessage ?? ''}`);
    }
    let locator: string | null = null;
    let rows = 0;
    do {
        const query = new URLSearchParams({ maxRecords: String(options.pageSize) });
        if (locator) query.set('locator', locator);
        const response = await client.request('GET', `${base}/${job.id}/results?${query}`, {
            accept: 'text/csv'
        });
        const next = response.headers.get('sforce-locator');
        locator = next && next !== 'null' ? next : null;
        if (!response.body) continue;
        rows += await streamRows(response.body as WebReadableStream<Uint8Array>, onRow);
    } while (locator);
    return rows;
}

/** One result page parsed as a stream: a page (~10 MB of CSV) is never held whole in memory. */
async function streamRows(
    body: WebReadableStream<Uint8Array>,
    onRow: (row: Record<string, string>) => void
): Promise<number> {
    const parser = Readable.fromWeb(body).pipe(
        parseStream({ columns: true, skip_empty_lines: true, relax_column_count: true })
    );
    let rows = 0;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
        onRow(row);
        rows++;
    }
    return rows;
}
