// Issue 22, stop 26: stage 1's own work per record made cheaper (sync-hash.ts: the usual value
// skips normalizeAs; key-table.ts: a short ASCII key is copied byte by byte; stage.ts: a
// canonical updatedAt is read by hand). Every result must stay as it was: SyncHash__c values are
// stored in the org (one byte changed and every record is written again), the key tables are
// shared with the roles and the org index, and the winners decide which duplicate is written.
// The code before the change (main 4a13e51) is kept below, verbatim but for its names, as the
// oracle. (The staging writers' buffers: test/util/ndjson-writer.test.ts.)
import { hash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { field, FieldSet, type FieldType } from '../../src/entities/fields.ts';
import {
    defineEntity,
    noPreparation,
    type Entity,
    type Produced
} from '../../src/entities/types.ts';
import { parseConfig } from '../../src/config/schema.ts';
import type { EntityStep, RunContext } from '../../src/pipeline/context.ts';
import { ReportBuilder } from '../../src/pipeline/report.ts';
import { absentMask, instantTime, stagedHeadLine, stageRecords } from '../../src/pipeline/stage.ts';
import { canonical, syncHash } from '../../src/pipeline/sync-hash.ts';
import { parseSalesforceDateTime } from '../../src/salesforce/datetime.ts';
import { orgText, type SfRecord } from '../../src/salesforce/record.ts';
import { storedRichText } from '../../src/salesforce/rich-text.ts';
import { isCanonicalInstant } from '../../src/util/instant.ts';
import { grow, KeyTable } from '../../src/util/key-table.ts';
import { silentLogger } from '../../src/util/log.ts';

// ---- the oracle: main 4a13e51 ----

const PAGE_BITS = 20;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

class OldKeyTable {
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
                return OldKeyTable.fnv(fold ? key.toLowerCase() : key);
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
        if (buf) buf.copy(this.page, this.used);
        else this.page.write(key, this.used, bytes, 'latin1');
        this.offsets[slot] = ((this.pages.length - 1) << PAGE_BITS) | this.used;
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

class OldWinners {
    /** key -> slot; shared with the org index, which adds the keys only the org has. Keys are
     *  matched as the org matches them (case-insensitively unless the entity says otherwise) */
    readonly keys: OldKeyTable;
    private sequence = new Uint32Array(1 << 16);
    private updatedAt = new Float64Array(1 << 16);
    /** the winner's declared fields it does not write (bit i = field i): the org keeps them */
    private absent = new Uint32Array(1 << 16);
    /** loser's sequence -> the winner's source id, or the winner's sequence (its source id is
     *  read back from the staging file, where the winner comes first) */
    readonly losers = new Map<number, string | number>();

    constructor(caseSensitive = false) {
        this.keys = new OldKeyTable(1 << 16, { caseInsensitive: !caseSensitive });
    }

    /** Records `sequence` for `key`: it wins when it was updated more recently. `absent`: the
     *  bit mask of the declared fields the record does not write. */
    offer(key: string, sequence: number, updatedAt: string, sourceId: string, absent = 0): void {
        const parsed = updatedAt ? Date.parse(updatedAt) : NaN;
        const at = Number.isNaN(parsed) ? -Infinity : parsed;
        const known = this.keys.size;
        const slot = this.keys.add(key);
        if (slot >= this.sequence.length) {
            this.sequence = grow(this.sequence, slot + 1);
            this.updatedAt = grow(this.updatedAt, slot + 1);
            this.absent = grow(this.absent, slot + 1);
        }
        if (slot < known) {
            // a duplicate key: the most recently updated record wins, the first on a tie
            if (at > this.updatedAt[slot]) {
                this.losers.set(this.sequence[slot], sourceId);
                this.sequence[slot] = sequence;
                this.updatedAt[slot] = at;
                this.absent[slot] = absent;
            } else {
                this.losers.set(sequence, this.sequence[slot]);
            }
        } else {
            this.sequence[slot] = sequence;
            this.updatedAt[slot] = at;
            this.absent[slot] = absent;
        }
    }

    /** The bit mask of the declared fields the winner of `key` does not write (0: none). */
    absentMask(key: string): number {
        const slot = this.keys.get(key);
        return slot >= 0 && slot < this.absent.length ? this.absent[slot] : 0;
    }

    /** Whether `key` is in the snapshot (the key table may hold org-only keys too). */
    has(key: string): boolean {
        const slot = this.keys.get(key);
        return slot >= 0 && slot < this.sequence.length && this.sequence[slot] > 0;
    }
}

interface Canon {
    names: readonly string[];
    types: readonly (FieldType | undefined)[];
    pairs: [string, string | null][];
}

const canons = new WeakMap<FieldSet, Canon>();

function canonOf(fields: FieldSet): Canon {
    let canon = canons.get(fields);
    if (!canon) {
        const names = fields.sortedNames;
        canon = {
            names,
            types: names.map((name) => fields.typeOf(name)),
            pairs: names.map((name) => [name, null])
        };
        canons.set(fields, canon);
    }
    return canon;
}

/**
 * Canonical form: fields sorted by name, each as [name, value] with empty/undefined -> null,
 * serialised with JSON.stringify. Field order and missing-vs-null do not change the hash.
 */
function oldCanonical(record: SfRecord, fields: FieldSet): string {
    const { names, types, pairs } = canonOf(fields);
    for (let i = 0; i < names.length; i++) pairs[i][1] = normalizeAs(types[i], record[names[i]]);
    const text = JSON.stringify(pairs);
    for (const pair of pairs) pair[1] = null;
    return text;
}

function oldSyncHash(record: SfRecord, fields: FieldSet): string {
    return hash('sha256', oldCanonical(record, fields), 'hex');
}

function normalizeAs(type: FieldType | undefined, value: string | null | undefined): string | null {
    if (value === undefined || value === null || value === '') return null;
    if (type === 'datetime' && !isCanonicalInstant(value) && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        const time = parseSalesforceDateTime(value);
        return Number.isNaN(time) ? value : new Date(time).toISOString();
    }
    if (type === 'multipicklist' && value.includes(';'))
        return [...new Set(value.split(';').map((v) => v.trim()))].sort().join(';');
    if (type === 'html') return storedRichText(orgText(value)) || null;
    return orgText(value);
}

// ---- generators ----

/** Every field type, with names that sort apart from their declaration order. */
const ALL_TYPES = new FieldSet([
    field.text('Zeta__c'),
    field.text('Name', 80),
    field.picklist('Status__c'),
    field.multipicklist('Targets__c'),
    field.date('Day__c'),
    field.datetime('When__c'),
    field.number('Count__c'),
    field.boolean('Flag__c'),
    field.html('Body__c'),
    field.reference('Account', 'OrgCode__c'),
    field.text('Ümlaut__c'),
    field.datetime('Also_When__c')
]);

/** Date-times near the canonical form: valid, impossible dates, offsets, odd hours. */
const dateTime = fc
    .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('Z', 'Z', 'Z', '+0000', '+01:00', '', 'z', 'Z ')
    )
    .map(([y, mo, d, h, mi, s, ms, zone]) => {
        const p = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}${zone}`;
    });

/** Characters JSON.stringify escapes or normalisation changes, and some it leaves alone. */
const tricky = fc.constantFrom(
    '"',
    '\\',
    '\r',
    '\n',
    '\r\n',
    '\t',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u2028',
    '\u2029',
    '\ud800',
    '\udfff',
    '\ud83d\ude00',
    '\udc00\ud800',
    'è',
    'ò',
    '\u0800',
    '\uffff',
    ';',
    ' ; ',
    '<p>',
    '</p>',
    '<script>x</script>',
    '&amp;',
    'a'
);
const text = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.array(tricky, { maxLength: 6 }).map((parts) => parts.join('')),
    dateTime,
    fc.constantFrom('MMG;PLS', 'b; a;a', '<p>x</p>\r\n<pre>y</pre>', 'riga\r\nriga', 'è"\\\u2028')
);
const value = fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom(null, '', undefined) },
    // not a string: as the old code (a throw or a value), whatever it is
    { weight: 1, arbitrary: fc.constantFrom(0, 12, true, ['a'], ['\r']) }
);

const fieldSet = fc
    .uniqueArray(
        fc.tuple(
            fc.oneof(
                fc.constantFrom(
                    'A',
                    'b',
                    'Name',
                    'Zz',
                    'Ä',
                    'a"b',
                    'x\\y',
                    '\u2028',
                    'Account.Code__c'
                ),
                fc.string({ maxLength: 6 })
            ),
            fc.constantFrom<FieldType>(
                'text',
                'picklist',
                'multipicklist',
                'date',
                'datetime',
                'number',
                'boolean',
                'html',
                'reference'
            )
        ),
        { selector: ([name]) => name, maxLength: 8 }
    )
    .map((fields) => new FieldSet(fields.map(([name, type]) => ({ name, type }))));

/** What a call gives: its value, or its error's message. */
function outcome<T>(f: () => T): { value?: T; error?: string } {
    try {
        return { value: f() };
    } catch (e) {
        return { error: String(e) };
    }
}

// ---- the properties ----

describe('sync hash: the same canonical text and hash as before stop 26', () => {
    it('for any record over every field type (adversarial text, date-times, odd types)', () => {
        let fast = 0;
        let slow = 0;
        fc.assert(
            fc.property(
                fc.dictionary(fc.constantFrom(...ALL_TYPES.names, 'Other__c'), value, {
                    maxKeys: 14
                }),
                (record) => {
                    const r = record as SfRecord;
                    const before = outcome(() => oldCanonical(r, ALL_TYPES));
                    expect(outcome(() => canonical(r, ALL_TYPES))).toEqual(before);
                    expect(outcome(() => syncHash(r, ALL_TYPES))).toEqual(
                        outcome(() => oldSyncHash(r, ALL_TYPES))
                    );
                    if (before.error) slow++;
                    else fast++;
                }
            ),
            { numRuns: 4000 }
        );
        // both answers seen often (measured over repeated runs: 2,570-2,620 values and 1,380-1,430
        // throws of 4,000)
        expect(fast).toBeGreaterThan(800);
        expect(slow).toBeGreaterThan(400);
    });

    it('for any field set (names to escape, any types) and string values', () => {
        fc.assert(
            fc.property(
                fieldSet.chain((fields) =>
                    fc.tuple(
                        fc.constant(fields),
                        fc.dictionary(
                            fc.constantFrom(...fields.names, 'Other__c'),
                            fc.oneof(text, fc.constantFrom(null, ''))
                        )
                    )
                ),
                ([fields, record]) => {
                    const r = record as SfRecord;
                    expect(canonical(r, fields)).toBe(oldCanonical(r, fields));
                    expect(syncHash(r, fields)).toBe(oldSyncHash(r, fields));
                }
            ),
            { numRuns: 3000 }
        );
    });

    it('for every single text of every type, each character JSON.stringify escapes', () => {
        const codes = [
            ...Array(0x80).keys(),
            0xe8,
            0x2028,
            0x2029,
            0xd800,
            0xdbff,
            0xdc00,
            0xdfff,
            0xfeff
        ];
        for (const [name, type] of ALL_TYPES.fields.map((f) => [f.name, f.type] as const))
            for (const code of codes) {
                const c = String.fromCharCode(code);
                for (const v of [c, `a${c}b`, `${c}2025-01-01T00:00:00.000Z`]) {
                    const r = { [name]: v };
                    expect([type, code, canonical(r, ALL_TYPES)]).toEqual([
                        type,
                        code,
                        oldCanonical(r, ALL_TYPES)
                    ]);
                }
            }
    });
});

describe('instantTime: Date.parse', () => {
    it('for every instant of the years 0-9999 and text near one', () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    fc
                        .integer({ min: -62167219200000, max: 253402300799999 })
                        .map((t) => new Date(t).toISOString()),
                    dateTime,
                    fc.string({ maxLength: 26 })
                ),
                (text) => {
                    expect(Object.is(instantTime(text), Date.parse(text))).toBe(true);
                }
            ),
            { numRuns: 20000 }
        );
        for (const t of [
            '0000-01-01T00:00:00.000Z',
            '0000-02-29T23:59:59.999Z',
            '1969-12-31T23:59:59.999Z',
            '1970-01-01T00:00:00.000Z',
            '2000-02-29T00:00:00.000Z',
            '2100-03-01T00:00:00.000Z',
            '9999-12-31T23:59:59.999Z'
        ])
            expect(instantTime(t)).toBe(Date.parse(t));
    });
});

/** Keys that collide in case, in hash and in bytes: case variants, non-ASCII, long, empty. */
const key = fc.oneof(
    fc.constantFrom(
        'K',
        'k',
        'KEY-1',
        'key-1',
        'Noè',
        'NOÈ',
        'noè',
        '',
        'ß',
        'SS',
        'İ',
        'i',
        'ǅ',
        'ǆ',
        '\ud800'
    ),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.stringMatching(/^[A-Za-z0-9-]{1,8}$/),
    fc.integer({ min: 0, max: 400 }).map((n) => `RSSMRA${String(n).padStart(4, '0')}Z`),
    fc
        .tuple(fc.integer({ min: 60, max: 70 }), fc.constantFrom('a', 'A', 'é'))
        .map(([n, c]) => c.repeat(n))
);

describe('KeyTable: the same slots as before stop 26', () => {
    it('for any sequence of adds and gets, with and without case, through growth', () => {
        fc.assert(
            fc.property(
                fc.boolean(),
                fc.integer({ min: 1, max: 2000 }),
                fc.array(fc.tuple(fc.boolean(), key), { maxLength: 1500 }),
                (caseInsensitive, capacity, ops) => {
                    const now = new KeyTable(capacity, { caseInsensitive });
                    const then = new OldKeyTable(capacity, { caseInsensitive });
                    for (const [add, k] of ops) {
                        if (add) expect(now.add(k)).toBe(then.add(k));
                        else expect(now.get(k)).toBe(then.get(k));
                        expect(now.has(k)).toBe(then.has(k));
                    }
                    expect(now.size).toBe(then.size);
                    expect([...now.keys()]).toEqual([...then.keys()]);
                    // every key read back (a lone surrogate reads back as U+FFFD: not found, then as now)
                    for (let s = 0; s < now.size; s++)
                        expect(now.get(now.key(s))).toBe(then.get(then.key(s)));
                }
            ),
            { numRuns: 300 }
        );
    });

    it('for 300,000 keys (rehashed several times, keys on more than one page)', () => {
        const now = new KeyTable(1 << 10, { caseInsensitive: true });
        const then = new OldKeyTable(1 << 10, { caseInsensitive: true });
        const differ: string[] = [];
        for (let i = 0; i < 300000; i++) {
            const k = i % 7 === 0 ? `Chiave-${i}-${'x'.repeat(i % 90)}` : `RSSMRA${i}Z`;
            if (now.add(k) !== then.add(k)) differ.push(`add ${k}`);
        }
        for (let i = 0; i < 300000; i += 7) {
            for (const k of [`rssmra${i}z`, `RSSMRA${i}Z!`, `chiave-${i}-${'X'.repeat(i % 90)}`])
                if (now.get(k) !== then.get(k)) differ.push(`get ${k}`);
        }
        expect(differ).toEqual([]);
        expect(now.size).toBe(300000);
        expect(now.key(299999)).toBe(then.key(299999));
        expect(now.get('rssmra299998z')).toBe(299998);
    });
});

// ---- stage 1 as a whole ----

const FIELDS = new FieldSet([
    field.text('Code__c'),
    field.text('Name'),
    field.datetime('At__c'),
    field.multipicklist('Tags__c')
]);

const ITEMS: Entity = defineEntity({
    name: 'content',
    object: 'Item__c',
    externalId: 'Code__c',
    fields: FIELDS,
    hashField: 'SyncHash__c',
    status: { field: 'Status__c', active: 'Active', ceased: 'Ceased' },
    loadOrder: 1,
    requires: 'LearningContent',
    maskKey: (k) => `masked-${k}`,
    prepare: noPreparation,
    async *produce() {}
});

async function stageDir() {
    const dir = await mkdtemp(join(tmpdir(), 'stage-equivalence-'));
    const report = new ReportBuilder(
        {
            runId: 'r',
            mode: 'full',
            dryRun: false,
            reconcile: false,
            startedAt: '2026-01-01T00:00:00.000Z',
            source: 'test'
        },
        10
    );
    const run = {
        config: parseConfig({}),
        report,
        logger: silentLogger,
        reconcile: false,
        dryRun: false,
        tmpDir: dir
    } as unknown as RunContext;
    const step: EntityStep = { entity: ITEMS, tally: report.tally('content'), dir, full: true };
    return { dir, run, step };
}

/** updatedAt values that tie, order and fail to parse. */
const updatedAt = fc.oneof(
    fc.constantFrom(
        '2025-01-01T00:00:00.000Z',
        '2025-01-01T00:00:00Z',
        '2025-01-01T01:00:00+01:00',
        '2024-12-31T23:59:59.999Z',
        '',
        'not a date',
        '2025-02-30T00:00:00.000Z'
    ),
    fc
        .integer({ min: 1735689600000, max: 1735689600000 + 5000 })
        .map((t) => new Date(t).toISOString()),
    dateTime
);

describe('stage 1: the same staging files and winners as before stop 26', () => {
    it('for record streams with duplicate keys (case variants), ties and rejects', async () => {
        let duplicates = 0;
        await fc.assert(
            fc.asyncProperty(
                fc.array(
                    fc.tuple(
                        fc.constantFrom('A', 'a', 'B', 'Noè', 'NOÈ', 'c-1', 'C-1', 'K'.repeat(70)),
                        updatedAt,
                        fc.dictionary(
                            fc.constantFrom('Name', 'At__c', 'Tags__c', 'Extra__c'),
                            fc.oneof(text, fc.constantFrom(null, ''))
                        ),
                        fc.boolean(),
                        fc.boolean()
                    ),
                    { maxLength: 40 }
                ),
                fc.boolean(),
                async (rows, caseSensitive) => {
                    const { dir, run, step } = await stageDir();
                    step.entity = { ...ITEMS, externalIdCaseSensitive: caseSensitive };
                    const results: Produced[] = rows.map(([k, at, rest, ok, watermark], i) =>
                        ok || i === 0
                            ? {
                                  ok: true as const,
                                  key: k,
                                  updatedAt: at,
                                  sourceId: `src-${i}`,
                                  record: { Code__c: k, ...(rest as SfRecord) },
                                  ...(watermark ? { watermarkAt: '2026-01-01T00:00:00.000Z' } : {})
                              }
                            : {
                                  ok: false as const,
                                  key: k,
                                  reason: 'Name: required',
                                  sourceId: `src-${i}`
                              }
                    );
                    async function* produced() {
                        yield* results;
                    }
                    const staged = await stageRecords(step, produced(), run);
                    // the oracle: main's Winners and heads over the same accepted records
                    const then = new OldWinners(caseSensitive);
                    const heads: string[] = [];
                    const records: string[] = [];
                    let sequence = 0;
                    for (const r of results) {
                        if (!r.ok) continue;
                        sequence++;
                        then.offer(
                            r.key,
                            sequence,
                            r.updatedAt,
                            r.sourceId,
                            absentMask(FIELDS, r.record)
                        );
                        const hashed = oldSyncHash(r.record, FIELDS);
                        heads.push(
                            stagedHeadLine({
                                sequence,
                                key: r.key,
                                updatedAt: r.updatedAt,
                                sourceId: r.sourceId,
                                hash: hashed,
                                watermarkAt: r.watermarkAt
                            })
                        );
                        records.push(JSON.stringify(r.record));
                    }
                    const lines = (texts: string[]) => texts.map((t) => t + '\n').join('');
                    expect(await readFile(staged.path, 'utf8')).toBe(lines(heads));
                    expect(await readFile(staged.recordsPath, 'utf8')).toBe(lines(records));
                    const winners = staged.winners;
                    expect([...winners.losers]).toEqual([...then.losers]);
                    expect([...winners.keys.keys()]).toEqual([...then.keys.keys()]);
                    // the winners' state slot by slot: sequence, updatedAt (ms), absent mask
                    type State = {
                        sequence: Uint32Array;
                        updatedAt: Float64Array;
                        absent: Uint32Array;
                    };
                    const state = (w: unknown, n: number) => {
                        const { sequence, updatedAt, absent } = w as State;
                        return [...Array(n).keys()].map((s) => [
                            sequence[s],
                            updatedAt[s],
                            absent[s]
                        ]);
                    };
                    expect(state(winners, winners.keys.size)).toEqual(state(then, then.keys.size));
                    for (const [k] of rows) {
                        expect(winners.has(k)).toBe(then.has(k));
                        expect(winners.absentMask(k)).toBe(then.absentMask(k));
                    }
                    if (winners.losers.size > 0) duplicates++;
                    await rm(dir, { recursive: true });
                }
            ),
            { numRuns: 200 }
        );
        // many streams have losers (measured over repeated runs: 68-83 of 200)
        expect(duplicates).toBeGreaterThan(30);
    });
});
