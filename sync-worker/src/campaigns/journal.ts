// The local journal of a campaign run (docs/campaigns.md, "Never twice"): before a message goes
// out its key is written and flushed to disk (`attempt`), after it the outcome (`sent`,
// `failed`). A later run on the same machine reads the journals of runs that died and tells, for
// each send they claimed in the org but never confirmed, whether it was never attempted (safe to
// send again), sent, failed, or in flight when the process died (unknown: never sent again
// automatically). Writes are grouped: one fdatasync covers every entry waiting at that moment.
import { open, readdir, readFile, mkdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export type JournalEntry =
    | { k: string; e: 'attempt' }
    | { k: string; e: 'sent'; m: string }
    | { k: string; e: 'failed'; c: string; r: boolean }
    | { k: string; e: 'unknown' };

interface Header {
    run: string;
    pid: number;
    campaign: string;
    channel: string;
    at: string;
}

/** What the journal of a dead run says about one key. */
export type Recovered =
    | { state: 'never-attempted' }
    | { state: 'sent'; messageId: string }
    | { state: 'failed'; code: string; retryable: boolean }
    | { state: 'in-flight' }
    | { state: 'no-journal' };

export class Journal {
    readonly path: string;
    private file: FileHandle | undefined;
    private pending: string[] = [];
    private flushing: Promise<void> | undefined;
    private waiters: Array<() => void> = [];

    private constructor(path: string) {
        this.path = path;
    }

    static async open(dir: string, header: Header): Promise<Journal> {
        await mkdir(dir, { recursive: true });
        const journal = new Journal(
            join(dir, `${header.campaign}-${header.channel}-${header.run}.journal`)
        );
        journal.file = await open(journal.path, 'a');
        await journal.file.write(JSON.stringify(header) + '\n');
        await journal.file.datasync();
        return journal;
    }

    /** Queues `entry`; resolves once it is on disk (flushed with whatever else is waiting). */
    write(entry: JournalEntry): Promise<void> {
        this.pending.push(JSON.stringify(entry));
        const done = new Promise<void>((resolve) => this.waiters.push(resolve));
        this.flushing ??= this.flush();
        return done;
    }

    private async flush(): Promise<void> {
        try {
            while (this.pending.length) {
                const lines = this.pending.join('\n') + '\n';
                const waiters = this.waiters;
                this.pending = [];
                this.waiters = [];
                await this.file!.write(lines);
                await this.file!.datasync();
                for (const w of waiters) w();
            }
        } finally {
            this.flushing = undefined;
        }
    }

    async close(): Promise<void> {
        await this.flushing;
        if (this.pending.length) await this.flush();
        await this.file?.close();
        this.file = undefined;
    }

    /** Removes the journal (the run confirmed every claim in the org). */
    async discard(): Promise<void> {
        await this.close();
        await rm(this.path, { force: true });
    }
}

/** Whether a process with this id is alive on this machine. */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/**
 * The journals other runs left for `campaign`/`channel` in `dir`, read into one verdict per key.
 * Only journals of processes that are no longer alive count: a live process may still send.
 */
export async function readDeadJournals(
    dir: string,
    campaign: string,
    channel: string
): Promise<{ runs: Set<string>; verdict(runId: string, key: string): Recovered; files: string[] }> {
    const byRun = new Map<string, Map<string, Recovered>>();
    const files: string[] = [];
    let names: string[] = [];
    try {
        names = await readdir(dir);
    } catch {
        /* no state directory yet */
    }
    for (const name of names) {
        if (!name.startsWith(`${campaign}-${channel}-`) || !name.endsWith('.journal')) continue;
        const path = join(dir, name);
        const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
        let header: Header;
        try {
            header = JSON.parse(lines[0] ?? '') as Header;
        } catch {
            continue;
        }
        if (header.pid !== process.pid && alive(header.pid)) continue;
        const keys = new Map<string, Recovered>();
        for (const line of lines.slice(1)) {
            let entry: JournalEntry;
            try {
                entry = JSON.parse(line) as JournalEntry;
            } catch {
                continue; // a torn last line: the write it belonged to never completed
            }
            if (entry.e === 'attempt') keys.set(entry.k, { state: 'in-flight' });
            else if (entry.e === 'sent') keys.set(entry.k, { state: 'sent', messageId: entry.m });
            else if (entry.e === 'failed')
                keys.set(entry.k, { state: 'failed', code: entry.c, retryable: entry.r });
            else keys.set(entry.k, { state: 'in-flight' });
        }
        byRun.set(header.run, keys);
        files.push(path);
    }
    return {
        runs: new Set(byRun.keys()),
        files,
        verdict(runId, key) {
            const keys = byRun.get(runId);
            if (!keys) return { state: 'no-journal' };
            return keys.get(key) ?? { state: 'never-attempted' };
        }
    };
}
