// The results of a Bulk API 2.0 ingest job ("Get Job Successful / Failed / Unprocessed Record
// Results"): each list parsed as a stream from the answer into a local NDJSON file (a million
// failed rows never sit in memory), and the `sf__Error` text of a failed row split into error
// code and message.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isNetworkFailure } from '../../util/backoff.ts';
import { csvParse, csvRowBatches } from '../csv-read.ts';
import type { SfClient } from '../http.ts';

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

/** A result list on disk: one JSON object (the CSV row by column) a line. */
export interface ResultFile {
    path: string;
    rows: number;
}

/**
 * The rows of a CSV stream, parsed as they come. Through pipeline(), not pipe(): a connection
 * that dies half-way fails the iteration (pipe() would leave the parser waiting for ever and the
 * error unhandled), so the caller can read the answer again.
 */
export function csvRowsOf(stream: NodeJS.ReadableStream): AsyncIterable<Record<string, string>> {
    const parser = csvParse().parse({
        columns: true,
        skip_empty_lines: true,
        relax_column_count: true,
        bom: true
    });
    pipeline(stream as Readable, parser, () => undefined);
    return parser as unknown as AsyncIterable<Record<string, string>>;
}

/**
 * Downloads one result list of the job at `jobPath` to `file` (NDJSON), row by row. A connection
 * lost in the middle of the list (a GET: safe to repeat) downloads it again from the start.
 */
export async function downloadResults(
    client: SfClient,
    jobPath: string,
    kind: ResultKind,
    file: string
): Promise<ResultFile> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await downloadOnce(client, jobPath, kind, file);
        } catch (err) {
            if (attempt >= 2 || !isNetworkFailure(err)) throw err;
        }
    }
}

async function downloadOnce(
    client: SfClient,
    jobPath: string,
    kind: ResultKind,
    file: string
): Promise<ResultFile> {
    const response = await client.request('GET', `${jobPath}/${kind}/`, { accept: 'text/csv' });
    const out = createWriteStream(file);
    let rows = 0;
    try {
        if (response.body) {
            const body = response.body as WebReadableStream<Uint8Array>;
            for await (const batch of csvRowBatches(body)) {
                let text = '';
                for (const row of batch) text += JSON.stringify(row) + '\n';
                rows += batch.length;
                if (!out.write(text)) await once(out, 'drain');
            }
        }
    } finally {
        out.end();
        await once(out, 'finish');
    }
    return { path: file, rows };
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
