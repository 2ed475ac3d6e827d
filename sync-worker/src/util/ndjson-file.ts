// Local NDJSON files (the staging and change files of a run) and line-based sources: written
// with back-pressure in buffered chunks, read back in batches of lines, so a run never holds a
// file in memory. Lines are split as node:readline splits them (LF, CRLF or a lone CR), without
// its per-line events: reading is a large part of a run's CPU.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { access } from 'node:fs/promises';

/** Bytes read at a time (each read is one batch of lines). */
const READ_CHUNK = 1 << 16;
/** Characters buffered before a write to the file. */
const WRITE_CHUNK = 1 << 16;

/** Appends one JSON value (or a text line) a line to a file. */
export class NdjsonWriter<T> {
    readonly path: string;
    private readonly out: NodeJS.WritableStream;
    private buffer = '';

    constructor(path: string) {
        this.path = path;
        this.out = createWriteStream(path, { encoding: 'utf8' });
    }

    async write(value: T): Promise<void> {
        await this.writeLine(JSON.stringify(value));
    }

    /** One line of text (without its line break; it must not contain one). A promise only when
     *  the buffer went to the file (await it then: back-pressure); most lines just buffer. */
    writeLine(line: string): Promise<void> | undefined {
        this.buffer += line + '\n';
        return this.buffer.length >= WRITE_CHUNK ? this.flush() : undefined;
    }

    private async flush(): Promise<void> {
        const text = this.buffer;
        this.buffer = '';
        if (text && !this.out.write(text)) await once(this.out, 'drain');
    }

    async close(): Promise<void> {
        await this.flush();
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
