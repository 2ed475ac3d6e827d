// Issue 22, part 5: a full run's NdjsonSource.read (no skipRaw) reads the file's bytes with
// lineChunks and decodes each line from UTF-8 on its own, instead of decoding the file through a
// string decoder (createReadStream with utf8) and splitting the text with lineBatchesOf. The
// oracle is that earlier reading, kept below (with any chunk size for its string decoder, so a
// multi-byte character split across its chunks is covered too). Files: the generator's lines,
// lines with non-ASCII text (2-, 3- and 4-byte characters), invalid UTF-8 (lone continuation
// bytes, truncated sequences, overlong forms, surrogates, bytes above U+10FFFF, arbitrary bytes),
// a BOM, blank and white-space lines, LF/CRLF/CR/CR-CRLF line ends, a last line without one.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateRegistry } from '../../src/generator/generator.ts';
import { NdjsonSource } from '../../src/sources/ndjson.ts';
import { UnparseableResource } from '../../src/sources/types.ts';
import { lineBatches, lineChunks } from '../../src/util/ndjson-file.ts';

/** The earlier reading's lines (numberedLineBatches with utf8), its decoder fed `chunk` bytes at
 *  a time. */
async function oracleLines(path: string, chunk: number): Promise<Array<[number, string]>> {
    const out: Array<[number, string]> = [];
    let number = 1;
    for await (const lines of lineBatches(path, chunk, 'utf8'))
        for (const line of lines) out.push([number++, line]);
    return out;
}

/** The earlier NdjsonSource.read without a test, as the oracle. */
async function oracleRead(path: string, chunk: number): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const [number, line] of await oracleLines(path, chunk)) {
        if (!line.trim()) continue;
        try {
            out.push(JSON.parse(line));
        } catch {
            out.push(
                new UnparseableResource(
                    'Practitioner',
                    `Practitioner.ndjson line ${number}`,
                    'line is not valid JSON'
                )
            );
        }
    }
    return out;
}

let pool: string[] = [];

beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'full-read-gen-'));
    await generateRegistry({ count: 60, out: dir, seed: 7, invalidShare: 0.1 });
    for (const file of ['Practitioner', 'PractitionerRole']) {
        const text = await readFile(join(dir, `${file}.ndjson`), 'utf8');
        pool.push(
            ...text
                .split('\n')
                .filter((l) => l)
                .slice(0, 40)
        );
    }
    pool = [...new Set(pool)];
});

/** Bytes that are not valid UTF-8 on their own, or only in some contexts. */
const oddBytes = [
    [0x80],
    [0xbf],
    [0xc0, 0xaf], // overlong '/'
    [0xc3], // truncated 2-byte
    [0xe2, 0x82], // truncated 3-byte (€ without its last byte)
    [0xf0, 0x9f, 0x98], // truncated 4-byte
    [0xed, 0xa0, 0x80], // a surrogate
    [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xff],
    [0xfe],
    [0xef, 0xbb, 0xbf] // a BOM
].map((b) => Buffer.from(b));

/** Text with 1- to 4-byte characters (and the odd quote or backslash, so some is not JSON). */
const textArb = fc.string({
    unit: fc.constantFrom(
        'a',
        ' ',
        'è',
        'à',
        'ñ',
        '€',
        '中',
        '😀',
        '𝄞',
        '\u00a0',
        '\u2028',
        '"',
        '\\'
    ),
    maxLength: 6
});

/** Text with 1- to 4-byte characters that may go inside a JSON string as it is. */
const plainTextArb = fc.string({
    unit: fc.constantFrom('a', ' ', 'è', 'à', 'ñ', '€', '中', '😀', '𝄞', '\u00a0', '\u2028'),
    minLength: 1,
    maxLength: 6
});

/** One line's bytes: a generator line with text or bytes put in, or something else. */
const lineArb = (): fc.Arbitrary<Buffer> =>
    fc.oneof(
        {
            weight: 6,
            arbitrary: fc
                .tuple(
                    fc.constantFrom(...pool),
                    fc.array(
                        fc.tuple(
                            fc.nat(),
                            fc.oneof(
                                textArb.map((s) => Buffer.from(s)),
                                fc.constantFrom(...oddBytes),
                                fc.uint8Array({ minLength: 1, maxLength: 4 }).map(Buffer.from)
                            )
                        ),
                        { maxLength: 3 }
                    ),
                    fc.option(fc.nat(), { freq: 3 })
                )
                .map(([line, inserts, cut]) => {
                    let bytes = Buffer.from(line);
                    for (const [at, insert] of inserts) {
                        const i = at % (bytes.length + 1);
                        bytes = Buffer.concat([bytes.subarray(0, i), insert, bytes.subarray(i)]);
                    }
                    if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
                    return bytes;
                })
        },
        {
            // valid JSON with non-ASCII text in a string value
            weight: 3,
            arbitrary: fc
                .tuple(fc.constantFrom(...pool), fc.nat(), plainTextArb)
                .map(([line, at, text]) => {
                    const starts = [...line.matchAll(/":"/g)].map((m) => m.index + 3);
                    const i = starts.length ? starts[at % starts.length] : line.length;
                    return Buffer.from(line.slice(0, i) + text + line.slice(i));
                })
        },
        {
            weight: 1,
            arbitrary: textArb.map((s) => Buffer.from(`{"name":"${s}"}`))
        },
        {
            weight: 1,
            arbitrary: fc
                .constantFrom('', ' ', '\t', '\u00a0', '\ufeff', '\u2028', 'not json è', '{}')
                .map((s) => Buffer.from(s))
        },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b)) }
    );

const fileArb = (): fc.Arbitrary<Buffer> =>
    fc
        .tuple(
            fc.boolean(),
            fc.array(
                fc.tuple(lineArb(), fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '\r\r\n')),
                { maxLength: 20 }
            ),
            fc.boolean()
        )
        .map(([bom, lines, endless]) => {
            const parts = lines.flatMap(([line, end]) => [line, Buffer.from(end)]);
            // a last line without a line break
            if (endless && parts.length) parts.pop();
            if (bom) parts.unshift(Buffer.from([0xef, 0xbb, 0xbf]));
            return Buffer.concat(parts);
        });

const chunkArb = fc.oneof(
    fc.integer({ min: 1, max: 200 }),
    fc.constant(1 << 16),
    fc.constant(1 << 20)
);

describe('full-run NDJSON reading from bytes (issue 22, part 5)', () => {
    it('each line decoded alone from lineChunks is the line of the UTF-8 text reading', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'full-read-'));
        const path = join(dir, 'Practitioner.ndjson');
        let replaced = 0;
        let multiByte = 0;
        await fc.assert(
            fc.asyncProperty(fileArb(), chunkArb, chunkArb, async (bytes, chunk, oracleChunk) => {
                await writeFile(path, bytes);
                const expected = await oracleLines(path, oracleChunk);
                const got: Array<[number, string]> = [];
                for await (const c of lineChunks(path, chunk))
                    for (let i = 0; i < c.count; i++)
                        got.push([
                            c.first + i,
                            c.bytes.toString('utf8', c.bounds[2 * i], c.bounds[2 * i + 1])
                        ]);
                expect(got).toEqual(expected);
                if (expected.some(([, l]) => l.includes('\ufffd'))) replaced++;
                if (expected.some(([, l]) => /[^\x00-\xff]/.test(l))) multiByte++;
            }),
            { numRuns: 500 }
        );
        // invalid UTF-8 and multi-byte characters occur often (the property is not vacuous)
        expect(replaced).toBeGreaterThan(100);
        expect(multiByte).toBeGreaterThan(100);
    });

    it('NdjsonSource.read without a test gives what the string reading gave', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'full-read-'));
        const path = join(dir, 'Practitioner.ndjson');
        let parsed = 0;
        let unparseable = 0;
        await fc.assert(
            fc.asyncProperty(fileArb(), chunkArb, chunkArb, async (bytes, chunk, oracleChunk) => {
                await writeFile(path, bytes);
                const expected = await oracleRead(path, oracleChunk);
                const got: unknown[] = [];
                for await (const r of new NdjsonSource(dir, chunk).read('Practitioner'))
                    got.push(r);
                expect(got).toEqual(expected);
                for (const r of got) {
                    if (r instanceof UnparseableResource) unparseable++;
                    else parsed++;
                }
            }),
            { numRuns: 400 }
        );
        expect(parsed).toBeGreaterThan(500);
        expect(unparseable).toBeGreaterThan(500);
    });

    it('reads nothing from an absent file, as before', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'full-read-'));
        const got: unknown[] = [];
        for await (const r of new NdjsonSource(dir).read('PractitionerRole')) got.push(r);
        expect(got).toEqual([]);
    });
});
