// Bulk API 2.0 CSV (RFC 4180, comma, LF): one record a line, what an empty cell and `#N/A` mean,
// and reading the external ids back from an upload file.
import { createReadStream } from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { isRelationshipColumn, type SfRecord } from './record.ts';

const NEEDS_QUOTES = /[",\r\n]/;
/**
 * One CSV record (RFC 4180, comma, LF), as csv-stringify writes it: a cell is quoted only when
 * it holds a comma, a double quote or a line break. About 10x faster than calling csv-stringify
 * once per record, which showed up in the profile of a 1M-record load.
 */
export function csvLine(cells: readonly string[]): string {
    let out = '';
    for (let i = 0; i < cells.length; i++) {
        const cell = cells[i];
        if (i) out += ',';
        out += NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    }
    return out + '\n';
}

/** CSV cell: absent -> '' (left unchanged), null -> #N/A (cleared), relationship null -> ''. */
export function toCsvRow(columns: readonly string[], record: SfRecord): string[] {
    return columns.map((column) => {
        if (!(column in record)) return '';
        const value = record[column];
        if (value === null) return isRelationshipColumn(column) ? '' : '#N/A';
        return value;
    });
}

export function fromCsvRow(columns: readonly string[], row: Record<string, string>): SfRecord {
    const record: SfRecord = {};
    for (const column of columns) {
        const value = row[column];
        if (value === undefined || value === '') continue;
        record[column] = value === '#N/A' ? null : value;
    }
    return record;
}

/** The external ids in one of our upload files (read back when its whole job failed). */
export async function keysOf(path: string, externalId: string): Promise<string[]> {
    const keys: string[] = [];
    const parser = createReadStream(path).pipe(parseCsv({ columns: true }));
    for await (const row of parser as AsyncIterable<Record<string, string>>)
        keys.push(row[externalId]);
    return keys;
}
