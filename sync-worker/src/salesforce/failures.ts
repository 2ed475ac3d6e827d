// The records a write could not load, each with Salesforce's error code, its message and the
// cause an admin can act on (failure-causes.ts). Kept in memory while few; past a few thousand
// they go to a local NDJSON file, so a million failures never sit in memory.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readNdjson } from '../util/ndjson-file.ts';

export interface UpsertFailure {
    /** external id value (the caller masks it) */
    key: string;
    errorCode: string;
    message: string;
    /** what it means and what to do, without personal data */
    cause: string;
}

let spills = 0;

export class FailureLog implements AsyncIterable<UpsertFailure> {
    private readonly memory: UpsertFailure[] = [];
    private out: WriteStream | undefined;
    private readonly path: string | undefined;
    private readonly memoryMax: number;
    count = 0;

    /** `spillDir`: where the failures go past `memoryMax` (none: always in memory) */
    constructor(spillDir?: string, memoryMax = 5000) {
        this.path = spillDir
            ? join(spillDir, `failures-${process.pid}-${++spills}.ndjson`)
            : undefined;
        this.memoryMax = memoryMax;
    }

    async add(failure: UpsertFailure): Promise<void> {
        this.count++;
        if (!this.out && (!this.path || this.memory.length < this.memoryMax)) {
            this.memory.push(failure);
            return;
        }
        this.out ??= createWriteStream(this.path!);
        if (!this.out.write(JSON.stringify(failure) + '\n')) await once(this.out, 'drain');
    }

    /** Every failure, in the order added. */
    async *[Symbol.asyncIterator](): AsyncIterator<UpsertFailure> {
        yield* this.memory;
        if (!this.out) return;
        await this.flush();
        yield* readNdjson<UpsertFailure>(this.path!);
    }

    private async flush(): Promise<void> {
        if (!this.out || this.out.writableFinished) return;
        this.out.end();
        await once(this.out, 'finish');
    }

    /** Removes the spill file. */
    async dispose(): Promise<void> {
        await this.flush();
        if (this.path) await rm(this.path, { force: true });
    }
}

/** All the failures of `logs`, one after the other. */
export async function* allFailures(logs: Iterable<FailureLog>): AsyncIterable<UpsertFailure> {
    for (const log of logs) yield* log;
}
