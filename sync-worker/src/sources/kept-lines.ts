// Incremental runs over a line-based source read Practitioner.ndjson twice: a pre-scan for the
// practitioners changed since the watermark (to parse only their roles), then the read proper.
// KeptLines lets the second read skip the file (issue 22): the pre-scan keeps the lines it did
// not rule out (about 1% of them) with their numbers, and notes the plain "id" values of the lines
// it ruled out. The second read replays the kept lines instead of reading the file when that
// gives exactly the same resources: its own test can only add lines that name one of the ids
// given to it (unchangedSince with the practitioners whose role changed), so no ruled-out line
// may name one of them. Otherwise, or when too much was kept, the file is read again.

/** Bounds on what is kept in memory: above either, nothing is kept (the file is read again). */
const MAX_LINES = 200_000;
const MAX_CHARS = 64 * 1024 * 1024;

/** Two 32-bit string hashes as one 52-bit number (exact in a double). */
function hash52(text: string): number {
    let a = 0x811c9dc5;
    let b = 5381;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = (Math.imul(b, 33) + c) | 0;
    }
    return (a >>> 0) * 0x100000 + (b & 0xfffff);
}

/** hash52 of bytes[start, end) read as latin1 (one character a byte), without the string. */
export function hash52OfBytes(bytes: Uint8Array, start: number, end: number): number {
    let a = 0x811c9dc5;
    let b = 5381;
    for (let i = start; i < end; i++) {
        const c = bytes[i];
        a = Math.imul(a ^ c, 0x01000193);
        b = (Math.imul(b, 33) + c) | 0;
    }
    return (a >>> 0) * 0x100000 + (b & 0xfffff);
}

export class KeptLines {
    /** 1-based numbers and bytes of the kept lines, in file order (copies: a line sliced from
     *  the text read would keep that whole chunk of the file alive) */
    readonly numbers: number[] = [];
    private readonly bytes: Buffer[] = [];
    private chars = 0;
    private overflow = false;
    private complete = false;
    /** hash52 of each plain "id" value named by the lines ruled out */
    private named = new Float64Array(1024);
    private namedCount = 0;
    private sorted = false;
    /** the "id" values a ruled-out line names; undefined when one is not in the plain form */
    readonly namedIds: (text: string) => string[] | undefined;

    constructor(namedIds: (text: string) => string[] | undefined) {
        this.namedIds = namedIds;
    }

    /** How many lines are kept. */
    get size(): number {
        return this.bytes.length;
    }

    /** Kept line `i` as it was read: its UTF-8 bytes one character a byte (latin1). */
    text(i: number): string {
        return this.bytes[i].toString('latin1');
    }

    /** A line the first read did not rule out (blank lines included), read as latin1. */
    keep(number: number, text: string): void {
        if (!this.overflow) this.push(number, Buffer.from(text, 'latin1'));
    }

    /** keep() of line bytes[start, end) (its text read as latin1), copied. */
    keepBytes(number: number, bytes: Buffer, start: number, end: number): void {
        if (!this.overflow) this.push(number, Buffer.from(bytes.subarray(start, end)));
    }

    private push(number: number, line: Buffer): void {
        this.numbers.push(number);
        this.bytes.push(line);
        this.chars += line.length;
        if (this.numbers.length > MAX_LINES || this.chars > MAX_CHARS) {
            this.overflow = true;
            this.numbers.length = 0;
            this.bytes.length = 0;
        }
    }

    /** Whether lines told to it still matter (nothing overflowed). */
    get open(): boolean {
        return !this.overflow;
    }

    /** A line the first read ruled out: its plain ids are noted; a line with another form of
     *  "id" is kept (the second read's test decides on it). */
    ruledOut(number: number, text: string): void {
        if (this.overflow) return;
        const ids = this.namedIds(text);
        if (ids === undefined) {
            this.keep(number, text);
            return;
        }
        for (const id of ids) this.note(hash52(id));
    }

    /**
     * ruledOut() of line bytes[start, end), ids[0, count) being what namedIds gives on its
     * text: the [start, end) positions of its plain ids; count -1 for undefined (kept).
     */
    ruledOutBytes(
        number: number,
        bytes: Buffer,
        start: number,
        end: number,
        ids: readonly number[],
        count: number
    ): void {
        if (this.overflow) return;
        if (count < 0) {
            this.keepBytes(number, bytes, start, end);
            return;
        }
        for (let i = 0; i < count; i += 2) this.note(hash52OfBytes(bytes, ids[i], ids[i + 1]));
    }

    private note(hash: number): void {
        if (this.namedCount === this.named.length) {
            const grown = new Float64Array(this.named.length * 2);
            grown.set(this.named);
            this.named = grown;
        }
        this.named[this.namedCount++] = hash;
    }

    /** The first read went through the whole file. */
    end(): void {
        this.complete = true;
    }

    /**
     * Whether a second read whose test can only add lines naming one of `ids` gets exactly the
     * kept lines' resources: the first read was complete, nothing overflowed, and no ruled-out
     * line names one of `ids` (a hash match, even a false one, says no).
     */
    replayableWith(ids: ReadonlySet<string>): boolean {
        if (!this.complete || this.overflow) return false;
        if (ids.size === 0) return true;
        if (!this.sorted) {
            this.named = this.named.slice(0, this.namedCount).sort();
            this.sorted = true;
        }
        const named = this.named;
        for (const id of ids) {
            const h = hash52(id);
            let lo = 0;
            let hi = named.length - 1;
            while (lo <= hi) {
                const mid = (lo + hi) >>> 1;
                if (named[mid] === h) return false;
                if (named[mid] < h) lo = mid + 1;
                else hi = mid - 1;
            }
        }
        return true;
    }
}
