// Compact in-memory structures for the per-record indexes of a run: KeyTable (string -> dense
// slot), Interner, grow (issue 10: peak RSS under 300 MB at 1M professionals). A JS Map<string, string> costs about 150-250 bytes a record
// (key string, value string, hash-table entry); these keep the same information in a few large
// typed arrays and Buffers: about 30 bytes a key plus the fixed-width values.

const PAGE_BITS = 20;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/**
 * string -> dense slot (0, 1, 2, ... in insertion order). Open addressing with linear probing
 * over an Int32Array; the keys' UTF-8 bytes live in 1 MiB pages. With `caseInsensitive`, keys
 * that differ only in case share a slot (as the org matches a Unique, case-insensitive external
 * id: "Course-1" and "course-1" are one record) and the slot keeps the spelling seen first.
 */
export class KeyTable {
    private table: Int32Array; // slot + 1, 0 = empty
    private mask: number;
    // keys' bytes in fixed 1 MiB pages: growing never copies nor frees a large block (freed
    // large blocks fragment the malloc heap and stay in the RSS)
    private readonly pages: Buffer[] = [];
    private page: Buffer = Buffer.alloc(0);
    private used = 0; // in the current page
    private offsets: Uint32Array; // by slot: page << 20 | start of the key in the page
    private lengths: Uint16Array; // by slot: key length in bytes
    private hashes: Uint32Array; // by slot: the key's hash (cheap rehash and compare)
    size = 0;
    private readonly caseInsensitive: boolean;

    constructor(capacity = 1024, options: { caseInsensitive?: boolean } = {}) {
        this.caseInsensitive = options.caseInsensitive ?? false;
        let cap = 1024;
        while (cap * 3 < capacity * 4) cap *= 2;
        this.table = new Int32Array(cap);
        this.mask = cap - 1;
        this.offsets = new Uint32Array(Math.max(512, capacity));
        this.lengths = new Uint16Array(this.offsets.length);
        this.hashes = new Uint32Array(this.offsets.length);
    }

    private static fnv(key: string): number {
        // FNV-1a over UTF-16 code units
        let h = 0x811c9dc5;
        for (let i = 0; i < key.length; i++) {
            h ^= key.charCodeAt(i);
            h = Math.imul(h, 0x01000193);
        }
        return h >>> 0;
    }

    /**
     * The hash of a key (of its lower case when keys are compared without case): FNV-1a of
     * `key` or `key.toLowerCase()`, computed without building the lower-case string when the key
     * is ASCII. Sets `this.ascii` for the comparison that follows.
     */
    private hash(key: string): number {
        let h = 0x811c9dc5;
        const fold = this.caseInsensitive;
        for (let i = 0; i < key.length; i++) {
            let c = key.charCodeAt(i);
            if (c >= 128) {
                this.ascii = false;
                return KeyTable.fnv(fold ? key.toLowerCase() : key);
            }
            if (fold && c >= 65 && c <= 90) c += 32;
            h ^= c;
            h = Math.imul(h, 0x01000193);
        }
        this.ascii = true;
        return h >>> 0;
    }

    /** Whether the key last hashed is ASCII (one UTF-8 byte a character). */
    private ascii = true;

    /** Whether the key at `slot` has the bytes of `key` (ASCII, compared in place). */
    private sameAscii(slot: number, key: string): boolean {
        const len = this.lengths[slot];
        if (len !== key.length) return false;
        const o = this.offsets[slot];
        const page = this.pages[o >>> PAGE_BITS];
        const start = o & PAGE_MASK;
        for (let i = 0; i < len; i++) if (page[start + i] !== key.charCodeAt(i)) return false;
        return true;
    }

    private equals(slot: number, key: string, scratch: { buf?: Buffer; len?: number }): boolean {
        let same: boolean;
        if (this.ascii) same = this.sameAscii(slot, key);
        else {
            if (scratch.buf === undefined) {
                scratch.buf = Buffer.from(key, 'utf8');
                scratch.len = scratch.buf.length;
            }
            const len = this.lengths[slot];
            const o = this.offsets[slot];
            same =
                len === scratch.len &&
                this.pages[o >>> PAGE_BITS].compare(
                    scratch.buf,
                    0,
                    len,
                    o & PAGE_MASK,
                    (o & PAGE_MASK) + len
                ) === 0;
        }
        // the same hash and other bytes: a case variant (or, rarely, a hash collision)
        return same || (this.caseInsensitive && this.key(slot).toLowerCase() === key.toLowerCase());
    }

    /** The slot of `key`, or -1. */
    get(key: string): number {
        const h = this.hash(key);
        const scratch: { buf?: Buffer; len?: number } = {};
        for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
            const s = this.table[i];
            if (s === 0) return -1;
            if (this.hashes[s - 1] === h && this.equals(s - 1, key, scratch)) return s - 1;
        }
    }

    has(key: string): boolean {
        return this.get(key) >= 0;
    }

    /** The slot of `key`, added when missing. */
    add(key: string): number {
        const h = this.hash(key);
        const scratch: { buf?: Buffer; len?: number } = {};
        let i = h & this.mask;
        for (; ; i = (i + 1) & this.mask) {
            const s = this.table[i];
            if (s === 0) break;
            if (this.hashes[s - 1] === h && this.equals(s - 1, key, scratch)) return s - 1;
        }
        const buf = this.ascii ? undefined : (scratch.buf ??= Buffer.from(key, 'utf8'));
        const bytes = buf ? buf.length : key.length;
        if (bytes > 0xffff) throw new Error('key longer than 65,535 bytes');
        const slot = this.size++;
        if (slot >= this.offsets.length) this.growSlots();
        if (bytes > PAGE_SIZE) throw new Error('key longer than 1 MiB');
        if (this.pages.length === 0 || this.used + bytes > PAGE_SIZE) {
            this.page = Buffer.allocUnsafe(PAGE_SIZE);
            this.pages.push(this.page);
            this.used = 0;
        }
        const page = this.page;
        const at = this.used;
        if (buf) buf.copy(page, at);
        else if (bytes > 64) page.write(key, at, bytes, 'latin1');
        // a short ASCII key (the usual one) byte by byte (issue 22, stop 26: cheaper than a
        // call into Buffer.write)
        else for (let k = 0; k < bytes; k++) page[at + k] = key.charCodeAt(k);
        this.offsets[slot] = ((this.pages.length - 1) << PAGE_BITS) | at;
        this.lengths[slot] = bytes;
        this.hashes[slot] = h;
        this.used += bytes;
        this.table[i] = slot + 1;
        if (this.size * 4 > this.table.length * 3) this.rehash();
        return slot;
    }

    key(slot: number): string {
        const o = this.offsets[slot];
        const start = o & PAGE_MASK;
        return this.pages[o >>> PAGE_BITS].toString('utf8', start, start + this.lengths[slot]);
    }

    *keys(): IterableIterator<string> {
        for (let s = 0; s < this.size; s++) yield this.key(s);
    }

    private growSlots(): void {
        const n = this.offsets.length * 2;
        const o = new Uint32Array(n);
        o.set(this.offsets);
        this.offsets = o;
        const l = new Uint16Array(n);
        l.set(this.lengths);
        this.lengths = l;
        const h = new Uint32Array(n);
        h.set(this.hashes);
        this.hashes = h;
    }

    private rehash(): void {
        const table = new Int32Array(this.table.length * 2);
        const mask = table.length - 1;
        for (let s = 0; s < this.size; s++) {
            let i = this.hashes[s] & mask;
            while (table[i] !== 0) i = (i + 1) & mask;
            table[i] = s + 1;
        }
        this.table = table;
        this.mask = mask;
    }
}

/** A few distinct strings (statuses, organisation ids, role codes) as small integers. */
export class Interner {
    private readonly ids = new Map<string, number>();
    readonly values: string[] = [];

    id(value: string): number {
        let i = this.ids.get(value);
        if (i === undefined) {
            i = this.values.length;
            this.values.push(value);
            this.ids.set(value, i);
        }
        return i;
    }
}

/** Growable typed array helper. */
export function grow<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
    a: T,
    min: number
): T {
    if (min <= a.length) return a;
    let n = a.length * 2;
    while (n < min) n *= 2;
    const b = new (a.constructor as new (n: number) => T)(n);
    b.set(a);
    return b;
}
