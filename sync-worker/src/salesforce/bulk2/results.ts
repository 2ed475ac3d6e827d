// The results of a Bulk API 2.0 ingest job: its failed and unprocessed rows (CSV), and the
// `sf__Error` text of a failed row split into error code and message.
import { parse } from 'csv-parse/sync';
import type { SfClient } from '../http.ts';

export type ResultKind = 'failedResults' | 'unprocessedrecords';

/** The rows of one result list of the ingest job at `jobPath`. */
export async function readJobResults(
    client: SfClient,
    jobPath: string,
    kind: ResultKind
): Promise<Record<string, string>[]> {
    const response = await client.request('GET', `${jobPath}/${kind}/`, { accept: 'text/csv' });
    const text = await response.text();
    return text.trim()
        ? (parse(text, {
              columns: true,
              skip_empty_lines: true,
              relax_column_count: true
          }) as Record<string, string>[])
        : [];
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
