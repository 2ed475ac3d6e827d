// The Bulk API CSV reader gives exactly csv-parse's rows (issue 22: it replaces csv-parse on
// the hot path and hands anything unusual to it): random inputs built from the characters that
// matter to CSV (quotes, commas, CR, LF, multi-byte and invalid UTF-8, NUL, byte order marks),
// cut into random chunks, read by both; the same rows, or both fail.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import fc from 'fast-check';
import { CSV_OPTIONS, csvRowBatches, type CsvRow } from '../../src/salesforce/csv-read.ts';

async function viaCsvParse(bytes: Buffer): Promise<CsvRow[] | 'error'> {
    const rows: CsvRow[] = [];
    try {
        const parser = Readable.from([bytes]).pipe(parse(CSV_OPTIONS));
        for await (const row of parser as AsyncIterable<CsvRow>) rows.push(row);
        return rows;
    } catch {
        return 'error';
    }
}

async function viaReader(chunks: Uint8Array[]): Promise<CsvRow[] | 'error'> {
    const rows: CsvRow[] = [];
    try {
        for await (const batch of csvRowBatches(Readable.from(chunks, { objectMode: true })))
            rows.push(...batch);
        return rows;
    } catch {
        return 'error';
    }
}

function cut(bytes: Buffer, at: number[]): Uint8Array[] {
    const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const p of points) {
        chunks.push(new Uint8Array(bytes.subarray(from, p)));
        from = p;
    }
    chunks.push(new Uint8Array(bytes.subarray(from)));
    return chunks;
}

const token = fc.constantFrom<Buffer>(
    ...['a', 'Id', 'x1', 'è', '€', ',', ',', '"', '""', '\n', '\n', '\r', '\r\n', ' ', '\0'].map(
        (t) => Buffer.from(t, 'utf8')
    ),
    Buffer.from([0xe2]), // a lone lead byte: invalid UTF-8
    Buffer.from([0xe2, 0x82]) // an unfinished sequence
);
const start = fc.constantFrom(
    Buffer.alloc(0),
    Buffer.alloc(0),
    Buffer.from([0xef, 0xbb, 0xbf]), // UTF-8 byte order mark
    Buffer.from([0xff, 0xfe]) // UTF-16 LE byte order mark
);

/** Inputs shaped like Bulk API answers: a header, rows of plain or quoted fields. */
const field = fc.oneof(
    fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
    fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`)
);
const answer = fc
    .array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 8 })
    .map((rows) => rows.map((r) => r.join(',')).join('\n'))
    .chain((body) => fc.constantFrom(body, body + '\n', body + '\n\n'));

describe('Bulk API CSV reader: the rows csv-parse gives', () => {
    it('for random character soups, in random chunks', async () => {
        await fc.assert(
            fc.asyncProperty(
                start,
                fc.array(token, { maxLength: 40 }),
                fc.array(fc.nat(300), { maxLength: 5 }),
                async (bom, tokens, at) => {
                    const bytes = Buffer.concat([bom, ...tokens]);
                    expect(await viaReader(cut(bytes, at))).toEqual(await viaCsvParse(bytes));
                }
            ),
            { numRuns: 4000 }
        );
    });

    it('for answers shaped like the Bulk API (plain and quoted fields, short and long rows)', async () => {
        await fc.assert(
            fc.asyncProperty(answer, fc.array(fc.nat(400), { maxLength: 6 }), async (text, at) => {
                const bytes = Buffer.from(text, 'utf8');
                const expected = await viaCsvParse(bytes);
                expect(await viaReader(cut(bytes, at))).toEqual(expected);
            }),
            { numRuns: 3000 }
        );
    });

    it('reads a query page: quoted like Salesforce, or plain like the emulator', async () => {
        const quoted = '"Id","FiscalCode__c"\n"003A","RSSMRA80A01H501U"\n"003B","a ""b"",\nc"\n';
        const rows: CsvRow[] = [];
        for await (const batch of csvRowBatches(Readable.from([Buffer.from(quoted)])))
            rows.push(...batch);
        expect(rows).toEqual([
            { Id: '003A', FiscalCode__c: 'RSSMRA80A01H501U' },
            { Id: '003B', FiscalCode__c: 'a "b",\nc' }
        ]);
        const plain: CsvRow[] = [];
        for await (const batch of csvRowBatches(Readable.from(['Id,Name\n003A,x\n003B,\n'])))
            plain.push(...batch);
        expect(plain).toEqual([
            { Id: '003A', Name: 'x' },
            { Id: '003B', Name: '' }
        ]);
    });
});
