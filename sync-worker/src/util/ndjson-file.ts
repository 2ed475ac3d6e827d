// Local NDJSON files (the staging and change files of a run) and line-based sources: written
// with back-pressure in buffered chunks, read back in batches of lines, so a run never holds a
// file in memory. Lines are split as node:readline splits them (LF, CRLF or a lone CR), without
// its per-line events: reading is a large part of a run's CPU.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { access, open } from 'node:fs/promises';

/** Bytes read at a time (each read is one batch of lines). */
const READ_CHUNK = 1 << 16;
/** Bytes read at a time by lineChunks (incremental runs' undecoded reading). */
export const SCAN_CHUNK = 1 << 20;
/** Bytes read at a time by lineChunks when every line is decoded (full runs): as READ_CHUNK,
 *  so the reading holds no more memory than the string reading did. */
export const DECODE_CHUNK = READ_CHUNK;
/** Bytes buffered before a write to the file. */
const WRITE_CHUNK = 1 << 16;
/** Written buffers a writer keeps to fill again. */
const SPARE_BUFFERS = 4;

/** Appends one JSON value (or a text line) a line to a file. */
export class NdjsonWriter<T> {
    readonly path: string;
    private readonly out: NodeJS.WritableStream;
    /** the lines not yet written, UTF-8 encoded as they come (issue 22: no string buffer to
     *  concatenate and encode again); another one after each write, which the stream keeps */
    private buffer: Buffer;
    private used = 0;
    /** bytes buffered before a write */
    private readonly chunkSize: number;
    /** buffers the file has had (their write done), to fill again (issue 22, stop 26: a new
     *  64 KiB buffer a write was garbage that the collector traced, 40 MB of it a stage) */
    private readonly spare: Buffer[] = [];

    /** `chunkSize`: bytes buffered before a write (a large file written at once, as the
     *  staging files, costs less in larger writes) */
    constructor(path: string, chunkSize = WRITE_CHUNK) {
        this.path = path;
        this.out = createWriteStream(path, { encoding: 'utf8' });
        this.chunkSize = chunkSize;
        this.buffer = Buffer.allocUnsafe(chunkSize);
    }

    async write(value: T): Promise<void> {
        await this.writeLine(JSON.stringify(value));
    }

    /** One line of text (without its line break; it must not contain one). A promise only when
     *  the buffer went to the file (await it then: back-pressure); most lines just buffer. The
     *  file gets the lines in call order whether or not the promise is awaited. */
    writeLine(line: string): Promise<void> | undefined {
        // at most 3 bytes a UTF-16 unit (a surrogate pair, 2 units, is 4 bytes), and the LF
        const room = line.length * 3 + 1;
        if (this.used + room <= this.buffer.length) {
            this.put(line);
            return undefined;
        }
        let ok = this.send();
        if (room <= this.buffer.length) this.put(line);
        // a line longer than the buffer goes to the file on its own, after the buffered ones
        else ok = this.out.write(Buffer.from(line + '\n', 'utf8')) && ok;
        return ok ? Promise.resolve() : this.drained();
    }

    private put(line: string): void {
        this.used += this.buffer.write(line, this.used, 'utf8');
        this.buffer[this.used++] = 10;
    }

    /** Writes the buffered lines to the stream now; false when it asks to wait for 'drain'. */
    private send(): boolean {
        if (this.used === 0) return true;
        const full = this.buffer;
        const bytes = full.subarray(0, this.used);
        this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(this.chunkSize);
        this.used = 0;
        // the stream calls back once the bytes are in the file: the buffer is free again
        return this.out.write(bytes, (error) => {
            if (!error && this.spare.length < SPARE_BUFFERS) this.spare.push(full);
        });
    }

    private async drained(): Promise<void> {
        await once(this.out, 'drain');
    }

    async close(): Promise<void> {
        if (!this.send()) await this.drained();
        this.out.end();
        await once(this.out, 'finish');
    }
}

/**
 * Appends the lines of `text` to `lines` as readline would, `text` being one line ended by LF
 * (`last`: the end of the file, with no line break after it). A CR before the LF is part of the
 * line break; a lone CR ends a line too; at the end of the file a CR ends the last line.
 */
function pushLines(lines: string[], text: string, last: boolean): void {
    if (text.indexOf('\r') < 0) {
        lines.push(text);
        return;
    }
    const body = !last && text.endsWith('\r') ? text.slice(0, -1) : text;
    const parts = body.split('\r');
    if (last && parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) lines.push(part);
}

/**
 * The lines of a UTF-8 text stream, in batches (one per chunk read), exactly as
 * `readline.createInterface({ input, crlfDelay: Infinity })` gives them: empty lines included,
 * no empty line after a final line break.
 */
export async function* lineBatchesOf(input: AsyncIterable<string>): AsyncIterable<string[]> {
    let carry = '';
    for await (const chunk of input) {
        const text = carry + chunk;
        const lines: string[] = [];
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            pushLines(lines, text.slice(start, end), false);
            start = end + 1;
        }
        carry = text.slice(start);
        if (lines.length) yield lines;
    }
    if (carry) {
        const lines: string[] = [];
        pushLines(lines, carry, true);
        if (lines.length) yield lines;
    }
}

/**
 * The lines of a UTF-8 text file in batches (see lineBatchesOf). With `latin1`, each line is its
 * bytes one character a byte, undecoded: the same lines (LF and CR are single bytes that no
 * multi-byte UTF-8 sequence contains), cheaper to read and to search for ASCII text, and
 * `utf8OfLatin1` decodes one exactly as reading the file as UTF-8 would.
 */
export function lineBatches(
    path: string,
    chunkSize = READ_CHUNK,
    encoding: 'utf8' | 'latin1' = 'utf8'
): AsyncIterable<string[]> {
    return lineBatchesOf(createReadStream(path, { encoding, highWaterMark: chunkSize }));
}

/** A line read with `latin1` (one character a byte) as the UTF-8 text it holds. */
export function utf8OfLatin1(line: string): string {
    // pure ASCII (the usual line) reads the same either way
    for (let i = 0; i < line.length; i++)
        if (line.charCodeAt(i) >= 128) return Buffer.from(line, 'latin1').toString('utf8');
    return line;
}

/** The values of an NDJSON file written by NdjsonWriter, in order. */
export async function* readNdjson<T>(path: string): AsyncIterable<T> {
    for await (const lines of lineBatches(path))
        for (const line of lines) if (line) yield JSON.parse(line) as T;
}

/** Every line of a text file (blank ones too) in batches, with the 1-based number of the first
 *  line of each batch; nothing when the file is absent. */
export async function* numberedLineBatches(
    path: string,
    encoding: 'utf8' | 'latin1' = 'utf8'
): AsyncIterable<{ first: number; lines: string[] }> {
    try {
        await access(path);
    } catch {
        return;
    }
    let number = 1;
    for await (const lines of lineBatches(path, READ_CHUNK, encoding)) {
        yield { first: number, lines };
        number += lines.length;
    }
}

/** The non-blank lines of a text file with their 1-based line numbers; nothing when it is absent. */
export async function* nonBlankLines(path: string): AsyncIterable<[number, string]> {
    for await (const { first, lines } of numberedLineBatches(path))
        for (let i = 0; i < lines.length; i++) if (lines[i].trim()) yield [first + i, lines[i]];
}

/**
 * A test deciding lines from their bytes, without building a string (issue 22: an incremental
 * run rules out ~99% of the lines). Given the lines of a chunk in file order, it may search the
 * chunk ahead of a line (Buffer.indexOf has no end bound) and remember what it found.
 */
export interface ChunkLineTest {
    /** The next lines are in `bytes` (their positions index it), until the next call. */
    chunk(bytes: Buffer): void;
    /** Line bytes[start, end), after the earlier lines of the chunk: true when it need not be
     *  parsed (exactly what the string test it stands for answers on the line read as latin1). */
    skip(start: number, end: number): boolean;
    /** The string function KeptLines notes ids with that `namedIds` stands for, if any. */
    readonly idsOf?: (text: string) => string[] | undefined;
    /** idsOf on line bytes[start, end) (after skip on it): -1 for undefined, else the [start,
     *  end) positions of the ids written to `out` from index 0, and how many numbers written
     *  (`out` is reused: never emptied, so its backing store is not allocated again) */
    namedIds?(start: number, end: number, out: number[]): number;
}

/** A string line test that may carry the ChunkLineTest deciding as it does on bytes. */
export type ScannableTest = ((text: string) => boolean) & {
    readonly scanner?: () => ChunkLineTest;
};

/** The lines of one chunk: line i is bytes[bounds[2i], bounds[2i + 1]), numbered first + i. */
export interface LineChunk {
    bytes: Buffer;
    first: number;
    count: number;
    bounds: readonly number[];
}

/**
 * The lines of a file as positions in chunks of its bytes, split exactly as lineBatches splits
 * them (LF, CRLF or a lone CR; see pushLines), numbered from 1; nothing when the file is absent.
 * A chunk and its bytes are valid until the next one is asked for (the buffer is reused).
 */
export async function* lineChunks(path: string, chunkSize = SCAN_CHUNK): AsyncIterable<LineChunk> {
    let file;
    try {
        file = await open(path, 'r');
    } catch {
        return;
    }
    try {
        let buffer = Buffer.allocUnsafe(Math.max(chunkSize, 1));
        let filled = 0;
        let number = 1;
        const bounds: number[] = [];
        for (;;) {
            if (filled === buffer.length) {
                // a line longer than the buffer: grown (as the string reading's carry grows)
                const bigger = Buffer.allocUnsafe(buffer.length * 2);
                buffer.copy(bigger, 0, 0, filled);
                buffer = bigger;
            }
            const { bytesRead } = await file.read(buffer, filled, buffer.length - filled, null);
            const eof = bytesRead === 0;
            const bytes = buffer.subarray(0, filled + bytesRead);
            bounds.length = 0;
            // the carry (bytes before `filled`) holds no LF
            const rest = splitLines(bytes, filled, eof, bounds);
            const count = bounds.length / 2;
            if (count) yield { bytes, first: number, count, bounds };
            number += count;
            if (eof) return;
            filled = bytes.length - rest;
            buffer.copy(buffer, 0, rest, bytes.length);
        }
    } finally {
        await file.close();
    }
}

/**
 * Pushes the [start, end) of each line of `bytes` ended by an LF (at or after `lfFrom`), and at
 * `eof` of the rest too, as pushLines splits them; returns where the unfinished rest starts.
 */
function splitLines(bytes: Buffer, lfFrom: number, eof: boolean, bounds: number[]): number {
    let start = 0;
    let cr = -2; // the first CR at or after crFrom (-1: none; -2: not searched yet)
    let crFrom = 0;
    const crAt = (from: number): number => {
        if (cr === -2 || from < crFrom || (cr >= 0 && cr < from)) {
            crFrom = from;
            cr = bytes.indexOf(13, from);
        }
        return cr;
    };
    const segment = (s: number, e: number, last: boolean): void => {
        let c = crAt(s);
        if (c < 0 || c >= e) {
            bounds.push(s, e);
            return;
        }
        const bodyEnd = !last && bytes[e - 1] === 13 ? e - 1 : e;
        let p = s;
        for (; c >= 0 && c < bodyEnd; c = crAt(p)) {
            bounds.push(p, c);
            p = c + 1;
        }
        if (!(last && p === bodyEnd)) bounds.push(p, bodyEnd);
    };
    for (let lf = bytes.indexOf(10, lfFrom); lf >= 0; lf = bytes.indexOf(10, start)) {
        segment(start, lf, false);
        start = lf + 1;
    }
    if (eof && start < bytes.length) {
        segment(start, bytes.length, true);
        start = bytes.length;
    }
    return start;
}

/** The ChunkLineTest a string line test carries, if any (a fresh one: it holds a read's state). */
export function scannerOf(test: (text: string) => boolean): ChunkLineTest | undefined {
    return (test as ScannableTest).scanner?.();
}
