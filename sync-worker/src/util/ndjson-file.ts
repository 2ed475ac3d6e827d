// Local NDJSON files (the staging and change files of a run): written with back-pressure, read
// back line by line, so a run never holds them in memory.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Appends one JSON value a line to a file. */
export class NdjsonWriter<T> {
    readonly path: string;
    private readonly out: NodeJS.WritableStream;
    constructor(path: string) {
        this.path = path;
        this.out = createWriteStream(path, { encoding: 'utf8' });
    }
    async write(value: T): Promise<void> {
        if (!this.out.write(JSON.stringify(value) + '\n')) await once(this.out, 'drain');
    }
    async close(): Promise<void> {
        this.out.end();
        await once(this.out, 'finish');
    }
}

/** The values of an NDJSON file written by NdjsonWriter, in order. */
export async function* readNdjson<T>(path: string): AsyncIterable<T> {
    const lines = createInterface({
        input: createReadStream(path, { encoding: 'utf8' }),
        crlfDelay: Infinity
    });
    for await (const line of lines) if (line) yield JSON.parse(line) as T;
}

/** The non-blank lines of a text file with their 1-based line numbers; nothing when it is absent. */
export async function* nonBlankLines(path: string): AsyncIterable<[number, string]> {
    try {
        await access(path);
    } catch {
        return;
    }
    const lines = createInterface({
        input: createReadStream(path, { encoding: 'utf8' }),
        crlfDelay: Infinity
    });
    let number = 0;
    for await (const line of lines) {
        number++;
        if (line.trim()) yield [number, line];
    }
}
