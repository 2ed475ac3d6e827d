// The line splitter of the sources and run files: the same lines as node:readline (which it
// replaces for speed) for any text cut into any chunks, and the writer's buffered output.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
    lineBatches,
    lineBatchesOf,
    NdjsonWriter,
    nonBlankLines,
    readNdjson
} from '../../src/util/ndjson-file.ts';

async function viaReadline(text: string): Promise<string[]> {
    const lines: string[] = [];
    const input = Readable.from([text], { objectMode: true });
    for await (const line of createInterface({ input, crlfDelay: Infinity })) lines.push(line);
    return lines;
}

async function viaBatches(chunks: string[]): Promise<string[]> {
    const lines: string[] = [];
    for await (const batch of lineBatchesOf(Readable.from(chunks, { objectMode: true })))
        lines.push(...batch);
    return lines;
}

/** `text` cut at the given positions. */
function cut(text: string, at: number[]): string[] {
    const points = [...new Set(at.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
    const chunks: string[] = [];
    let from = 0;
    for (const p of points) {
        chunks.push(text.slice(from, p));
        from = p;
    }
    chunks.push(text.slice(from));
    return chunks;
}

describe('line batches', () => {
    it('splits any text in any chunks exactly as readline does (LF, CRLF, lone CR, blanks)', async () => {
        const text = fc
            .array(fc.constantFrom('a', 'bc', 'è', '{"x":1}', ' ', '\n', '\r', '\r\n', '\n\n'), {
                maxLength: 40
            })
            .map((parts) => parts.join(''));
        await fc.assert(
            fc.asyncProperty(text, fc.array(fc.nat(200), { maxLength: 6 }), async (t, at) => {
                expect(await viaBatches(cut(t, at))).toEqual(await viaReadline(t));
            }),
            { numRuns: 600 }
        );
    });

    it('reads a file whose lines cross the read chunks, with multi-byte characters', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'lines-'));
        const lines = Array.from({ length: 3000 }, (_, i) => `riga ${i} ${'èà€'.repeat(i % 17)}`);
        await writeFile(join(dir, 'f.ndjson'), lines.join('\r\n') + '\n');
        const read: string[] = [];
        for await (const batch of lineBatches(join(dir, 'f.ndjson'), 97)) read.push(...batch);
        expect(read).toEqual(lines);
    });

    it('numbers non-blank lines as the file does and reads nothing from a missing file', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'lines-'));
        await writeFile(join(dir, 'f.ndjson'), 'a\n\n  \nb\r\nc');
        const got: [number, string][] = [];
        for await (const entry of nonBlankLines(join(dir, 'f.ndjson'))) got.push(entry);
        expect(got).toEqual([
            [1, 'a'],
            [4, 'b'],
            [5, 'c']
        ]);
        for await (const entry of nonBlankLines(join(dir, 'missing.ndjson'))) got.push(entry);
        expect(got).toHaveLength(3);
    });

    it('writes buffered values that read back in order', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'lines-'));
        const path = join(dir, 'out.ndjson');
        const out = new NdjsonWriter<{ n: number; s: string }>(path);
        const values = Array.from({ length: 20000 }, (_, n) => ({ n, s: `v\n${n}\r` }));
        for (const v of values) await out.write(v);
        await out.close();
        const back: unknown[] = [];
        for await (const v of readNdjson(path)) back.push(v);
        expect(back).toEqual(values);
        expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(values.length + 1);
    });
});
