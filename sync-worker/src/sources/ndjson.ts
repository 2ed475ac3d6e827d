// `ndjson:<dir>`: a FHIR Bulk Data export folder, one NDJSON file per resource type,
// read line by line (never a whole file in memory).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
    DECODE_CHUNK,
    lineChunks,
    numberedLineBatches,
    SCAN_CHUNK,
    scannerOf,
    utf8OfLatin1,
    type ChunkLineTest
} from '../util/ndjson-file.ts';
import type { KeptLines } from './kept-lines.ts';
import {
    UnparseableResource,
    type ReadOptions,
    type RegistrySource,
    type ResourceType
} from './types.ts';

export class NdjsonSource implements RegistrySource {
    readonly dir: string;
    readonly description: string;
    readonly filtersSince = false;
    readonly readsLines = true;
    /** bytes read at a time when a test decides lines from their bytes (tests use tiny ones) */
    private readonly scanChunk: number;
    /** bytes read at a time when every line is decoded (full runs) */
    private readonly decodeChunk: number;

    constructor(dir: string, scanChunk = SCAN_CHUNK) {
        this.dir = dir;
        this.description = `ndjson:${dir}`;
        this.scanChunk = scanChunk;
        this.decodeChunk = Math.min(scanChunk, DECODE_CHUNK);
    }

    async check(): Promise<void> {
        await access(join(this.dir, 'Practitioner.ndjson')).catch(() => {
            throw new Error(
                `No Practitioner.ndjson in ${this.dir}: is it a FHIR Bulk Data export folder?`
            );
        });
    }

    async has(type: ResourceType): Promise<boolean> {
        if (type === 'LearningContent') return false;
        return access(join(this.dir, `${type}.ndjson`)).then(
            () => true,
            () => false
        );
    }

    /**
     * `since`/`ids` are not applied here: the pipeline filters by meta.lastUpdated itself.
     * `skipRaw` is: a line it rules out is not parsed. A missing file is an empty type. With
     * `skipRaw` (incremental runs, which skip most lines), lines are read undecoded (latin1, one
     * character a byte: see ReadOptions.skipRaw) and only those kept are decoded from UTF-8; when
     * the test carries a byte form (prefilter.ts: ScannableTest), lines are not even made strings:
     * it decides them in the chunk's bytes (scan below).
     */
    async *read(type: ResourceType, options?: ReadOptions): AsyncIterable<unknown> {
        const skip = options?.skipRaw;
        const replay = options?.replay;
        if (replay) {
            // lines read undecoded by the read that kept them
            for (let i = 0; i < replay.size; i++) {
                const text = replay.text(i);
                if (skip?.(text)) continue;
                const resource = this.resource(type, utf8OfLatin1(text), replay.numbers[i]);
                if (resource !== undefined) yield resource;
            }
            return;
        }
        const keep = skip ? options?.keep : undefined;
        const path = join(this.dir, `${type}.ndjson`);
        const scanner = skip ? scannerOf(skip) : undefined;
        // the byte form notes the ids KeptLines would note with its own function, or is not used
        if (scanner && (!keep || (scanner.namedIds && scanner.idsOf === keep.namedIds))) {
            yield* this.scan(type, path, scanner, keep);
            return;
        }
        if (!skip) {
            yield* this.decoded(type, path);
            return;
        }
        for await (const { first, lines } of numberedLineBatches(path, 'latin1')) {
            for (let i = 0; i < lines.length; i++) {
                const line = lines[i];
                if (skip(line)) {
                    keep?.ruledOut(first + i, line);
                    continue;
                }
                keep?.keep(first + i, line);
                const resource = this.resource(type, utf8OfLatin1(line), first + i);
                if (resource !== undefined) yield resource;
            }
        }
        keep?.end();
    }

    /**
     * read() with a test deciding lines from their bytes (issue 22): the same lines kept and
     * ruled out, told to `keep` the same way, and only the kept ones decoded (from UTF-8, as
     * utf8OfLatin1 decodes the latin1 reading's lines).
     */
    private async *scan(
        type: ResourceType,
        path: string,
        test: ChunkLineTest,
        keep: KeptLines | undefined
    ): AsyncIterable<unknown> {
        const ids: number[] = [];
        for await (const { bytes, first, count, bounds } of lineChunks(path, this.scanChunk)) {
            test.chunk(bytes);
            for (let i = 0; i < count; i++) {
                const start = bounds[2 * i];
                const end = bounds[2 * i + 1];
                if (test.skip(start, end)) {
                    if (keep?.open) {
                        const named = test.namedIds!(start, end, ids);
                        keep.ruledOutBytes(first + i, bytes, start, end, ids, named);
                    }
                    continue;
                }
                keep?.keepBytes(first + i, bytes, start, end);
                const resource = this.resource(type, bytes.toString('utf8', start, end), first + i);
                if (resource !== undefined) yield resource;
            }
        }
        keep?.end();
    }

    /**
     * read() without a test (full runs): every line decoded from UTF-8 on its own from the
     * chunk's bytes (issue 22: cheaper than decoding the file through a string decoder and
     * splitting the text). The same lines with the same numbers and text: lineChunks splits as
     * lineBatches does, and a line break is ASCII, which no UTF-8 sequence (valid or not, an
     * invalid one being replaced by U+FFFD) takes in, so decoding a line alone decodes it as
     * decoding the whole file does.
     */
    private async *decoded(type: ResourceType, path: string): AsyncIterable<unknown> {
        for await (const { bytes, first, count, bounds } of lineChunks(path, this.decodeChunk)) {
            for (let i = 0; i < count; i++) {
                const line = bytes.toString('utf8', bounds[2 * i], bounds[2 * i + 1]);
                const resource = this.resource(type, line, first + i);
                if (resource !== undefined) yield resource;
            }
        }
    }

    /** The resource of one decoded line, or undefined when the line is blank. */
    private resource(type: ResourceType, line: string, number: number): unknown {
        if (!line.trim()) return undefined;
        try {
            return JSON.parse(line);
        } catch {
            return new UnparseableResource(
                type,
                `${type}.ndjson line ${number}`,
                'line is not valid JSON'
            );
        }
    }
}
