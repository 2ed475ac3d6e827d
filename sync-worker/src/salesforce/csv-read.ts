// CSV answers of the Bulk API (query result pages, ingest result lists) as rows, exactly as
// csv-parse gives them with the options the worker uses ({ columns: true, skip_empty_lines: true,
// relax_column_count: true, bom: true }), about ten times faster (issue 22: csv-parse was a tenth
// of a run's CPU). The common shape is read here: LF line breaks, fields plain or in double
// quotes (`""` a quote inside them, anything else too, line breaks included). Anything else (a CR
// outside quotes, a quote inside a plain field, text after a closing quote, an unclosed quote, a
// UTF-16 byte order mark) hands the rest of the answer, from the start of the record where it was
// met, to csv-parse, which reads it as it always did (or fails as it always did; its message then
// counts lines from that record). Proven against csv-parse on random inputs cut into random
// chunks (sync-worker/test/salesforce/csv-read.test.ts).
import { TextDecoder } from 'node:util';
import type * as csvParseType from 'csv-parse';
import type { Options } from 'csv-parse';
import { lazy } from '../util/lazy.ts';

/** csv-parse, loaded the first time an answer, a result list or an upload file needs it (rare):
 *  not at every start (issue 22). The worker's one getter of it. */
export const csvParse = lazy<typeof csvParseType>('csv-parse');

/** A row: column name -> value (a short row lacks the columns it does not reach). */
export type CsvRow = Record<string, string>;

export const CSV_OPTIONS: Options = {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true
};

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

/** Field readers: the position after the field, or one of these. */
const MORE = -1; // the record needs more text (or the end of the answer) to be read
const ODD = -2; // a shape this reader leaves to csv-parse

/** A record: its fields (null: an empty line, skipped) and where the next one starts. */
interface Parsed {
    fields: string[] | null;
    next: number;
}

/** The quoted field whose opening quote is at `pos`. */
function quotedField(text: string, pos: number, atEnd: boolean, fields: string[]): number {
    let value = '';
    let from = pos + 1;
    for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return atEnd ? ODD : MORE;
        if (q + 1 >= text.length && !atEnd) return MORE;
        const next = q + 1 < text.length ? text.charCodeAt(q + 1) : LF;
        if (next === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
        }
        if (next !== COMMA && next !== LF) return ODD;
        fields.push(value + text.slice(from, q));
        return q + 1;
    }
}

/** The plain field at `pos`: up to a comma, a line feed or the end. */
function plainField(text: string, pos: number, atEnd: boolean, fields: string[]): number {
    let end = pos;
    for (; end < text.length; end++) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === LF) break;
        if (c === QUOTE || c === CR) return ODD;
    }
    if (end >= text.length && !atEnd) return MORE;
    fields.push(text.slice(pos, end));
    return end;
}

/** The record starting at `start`, or MORE / ODD; null at the end of the answer. */
function readRecord(text: string, start: number, atEnd: boolean): Parsed | number | null {
    if (start >= text.length) return atEnd ? null : MORE;
    if (text.charCodeAt(start) === LF) return { fields: null, next: start + 1 };
    const fields: string[] = [];
    let pos = start;
    for (;;) {
        if (pos >= text.length) {
            if (!atEnd) return MORE;
            fields.push(''); // a comma just before the end: one more, empty field
            return { fields, next: pos };
        }
        pos =
            text.charCodeAt(pos) === QUOTE
                ? quotedField(text, pos, atEnd, fields)
                : plainField(text, pos, atEnd, fields);
        if (pos < 0) return pos;
        if (pos >= text.length) return { fields, next: pos };
        if (text.charCodeAt(pos) === LF) return { fields, next: pos + 1 };
        pos++; // a comma: the next field (empty when a line feed or the end follows)
    }
}

function rowOf(header: readonly string[], fields: readonly string[]): CsvRow {
    const row: CsvRow = {};
    const n = Math.min(header.length, fields.length);
    for (let i = 0; i < n; i++) row[header[i]] = fields[i];
    return row;
}

/** Where csv-parse takes over: the text from the record it starts at, or the raw bytes. */
type Handover = { text: string } | { bytes: Uint8Array[] };

/** csv-parse over `first` and then the chunks still to come, in batches of rows. */
async function* csvParseRest(
    options: Options,
    first: Handover,
    rest: AsyncIterator<Uint8Array | string>,
    decoder: TextDecoder
): AsyncIterable<CsvRow[]> {
    const parser = csvParse().parse(options);
    const asText = 'text' in first;
    const chunkOf = (chunk: Uint8Array | string): string | Buffer =>
        typeof chunk === 'string'
            ? chunk
            : asText
              ? decoder.decode(chunk, { stream: true })
              : Buffer.from(chunk);
    const feed = async () => {
        try {
            if ('text' in first) parser.write(first.text);
            else for (const chunk of first.bytes) parser.write(Buffer.from(chunk));
            for (let r = await rest.next(); !r.done; r = await rest.next())
                if (!parser.write(chunkOf(r.value)))
                    await new Promise((resolve) => parser.once('drain', resolve));
            if (asText) parser.write(decoder.decode());
            parser.end();
        } catch (err) {
            parser.destroy(err as Error);
        }
    };
    void feed();
    for await (const row of parser as AsyncIterable<CsvRow>) yield [row];
}

/** Whether `bytes` start with the UTF-16 LE byte order mark csv-parse would switch to. */
function utf16Bom(bytes: Uint8Array): boolean {
    return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
}

/**
 * The rows of a CSV answer (UTF-8 bytes or text, in any chunks), in batches (one per chunk of
 * the answer), each row as csv-parse gives it with CSV_OPTIONS.
 */
export async function* csvRowBatches(
    chunks: AsyncIterable<Uint8Array | string>
): AsyncIterable<CsvRow[]> {
    const iterator = chunks[Symbol.asyncIterator]();
    // the byte order mark is decided on the first three bytes, as csv-parse does; TextDecoder
    // drops a UTF-8 one, as csv-parse does
    const decoder = new TextDecoder('utf-8');
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let ended = false;
    let text = '';
    while (headBytes < 3) {
        const r = await iterator.next();
        if (r.done) {
            ended = true;
            break;
        }
        if (typeof r.value === 'string') {
            text += r.value; // text: decoded already
            headBytes = 3;
        } else {
            head.push(r.value);
            headBytes += r.value.length;
        }
    }
    if (head.length && utf16Bom(Buffer.concat(head))) {
        yield* csvParseRest(CSV_OPTIONS, { bytes: head }, iterator, decoder);
        return;
    }
    text = head.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + text;
    let header: string[] | undefined;
    // a line break was read: csv-parse would have taken LF as the record delimiter
    let delimiterKnown = false;
    for (;;) {
        if (ended) text += decoder.decode();
        const rows: CsvRow[] = [];
        let pos = 0;
        for (;;) {
            const r = readRecord(text, pos, ended);
            if (r === null || r === MORE) break;
            if (r === ODD) {
                if (rows.length) yield rows;
                const options: Options = header
                    ? { ...CSV_OPTIONS, columns: header, bom: false, record_delimiter: '\n' }
                    : delimiterKnown
                      ? { ...CSV_OPTIONS, bom: false, record_delimiter: '\n' }
                      : CSV_OPTIONS;
                yield* csvParseRest(options, { text: text.slice(pos) }, iterator, decoder);
                return;
            }
            const { fields, next } = r as Parsed;
            pos = next;
            if (text.charCodeAt(next - 1) === LF) delimiterKnown = true;
            if (!fields) continue;
            if (!header) header = fields;
            else rows.push(rowOf(header, fields));
        }
        text = text.slice(pos);
        if (rows.length) yield rows;
        if (ended) return;
        const r = await iterator.next();
        if (r.done) ended = true;
        else
            text +=
                typeof r.value === 'string' ? r.value : decoder.decode(r.value, { stream: true });
    }
}
