// Bulk API 2.0 CSV (RFC 4180, comma, LF): one record a line, what an empty cell and `#N/A` mean
// (a null lookup is cleared through its lookup field), and reading the external ids back from an
// upload file.
import { createReadStream } from 'node:fs';
import { csvParse } from './csv-read.ts';
import { lookupFieldOf, orgText, splitRelationshipColumn, type SfRecord } from './record.ts';

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

/**
 * One column of an upload: its header and the record field it carries. A relationship column
 * (`Account.OrgCode__c`) whose value is null becomes its lookup field (`AccountId`) written
 * `#N/A`, which clears the lookup (Bulk API 2.0 Developer Guide, "Prepare CSV Files": "#N/A"
 * sets a field to null); an empty cell would leave the old parent in place.
 */
export interface UploadColumn {
    header: string;
    field: string;
    /** the lookup field of a null relationship: always `#N/A` */
    clearsLookup?: boolean;
}

/** The upload columns of a record: rows with the same header go to the same file. */
export function uploadColumnsFor(columns: readonly string[], record: SfRecord): UploadColumn[] {
    return columns.map((field) => {
        const relationship = splitRelationshipColumn(field);
        if (relationship && field in record && record[field] === null)
            return { header: lookupFieldOf(relationship[0]), field, clearsLookup: true };
        return { header: field, field };
    });
}

/** CSV cell: absent -> '' (left unchanged), null -> #N/A (cleared); line breaks as LF. */
export function toCsvRow(columns: readonly UploadColumn[], record: SfRecord): string[] {
    return columns.map((column) => {
        if (column.clearsLookup) return '#N/A';
        if (!(column.field in record)) return '';
        const value = record[column.field];
        return value === null ? '#N/A' : orgText(value);
    });
}

/** A row of an upload (or of its results) back as the record it was made from. */
export function fromCsvRow(
    columns: readonly UploadColumn[],
    row: Record<string, string>
): SfRecord {
    const record: SfRecord = {};
    for (const column of columns) {
        const value = row[column.header];
        if (value === undefined || value === '') continue;
        record[column.field] = value === '#N/A' ? null : value;
    }
    return record;
}

/** The plain upload columns of `fields` (no relationship cleared): tests, simple writes. */
export function plainColumns(fields: readonly string[]): UploadColumn[] {
    return fields.map((field) => ({ header: field, field }));
}

/** The external ids in one of our upload files (read back when its whole job failed). */
export async function keysOf(path: string, externalId: string): Promise<string[]> {
    const keys: string[] = [];
    const parser = createReadStream(path).pipe(csvParse().parse({ columns: true }));
    for await (const row of parser as AsyncIterable<Record<string, string>>)
        keys.push(row[externalId]);
    return keys;
}
