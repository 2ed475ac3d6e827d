// Incremental runs over a line-based source (ndjson): cheap text tests that skip Practitioner
// and PractitionerRole lines certainly not needed before JSON.parse; anything unusual is parsed.
import { isoInstant } from '../../util/instant.ts';
import { lastUpdatedOf, resourceId } from '../../sources/raw-resource.ts';
import type { KeptLines } from '../../sources/kept-lines.ts';
import { UnparseableResource, type RegistrySource } from '../../sources/types.ts';
import type { ChunkLineTest, ScannableTest } from '../../util/ndjson-file.ts';

/** Whether text[start, end) is ASCII only: the text then reads the same whether `text` is the
 *  decoded line or its UTF-8 bytes one character a byte (see ReadOptions.skipRaw). */
function asciiBetween(text: string, start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 128) return false;
    return true;
}

/** `"<name>":"<value>"` at `at` (where `"<name>"` starts; exactly that form): the value, when
 *  it is ASCII only (anything else is unusual: undefined). */
function stringAt(text: string, at: number, nameLength: number): string | undefined {
    const start = at + nameLength + 4;
    if (text.charCodeAt(start - 3) !== 34 || text.charCodeAt(start - 2) !== 58) return undefined;
    if (text.charCodeAt(start - 1) !== 34) return undefined;
    const end = text.indexOf('"', start);
    return end < 0 || !asciiBetween(text, start, end) ? undefined : text.slice(start, end);
}

/**
 * The ISO instant of a raw line's `meta.lastUpdated` as lastUpdatedOf computes it
 * (`new Date(value).toISOString()`, '' when not a date), or undefined when the line is at all
 * unusual: a backslash anywhere, no or several "lastUpdated", another form than `"name":"value"`.
 */
export function lastUpdatedOfText(text: string): string | undefined {
    return text.includes('\\') ? undefined : lastUpdatedOfPlainText(text);
}

/** lastUpdatedOfText of a line already known to hold no backslash. */
function lastUpdatedOfPlainText(text: string): string | undefined {
    const at = indexOfLastUpdated(text, 0);
    if (at < 0 || indexOfLastUpdated(text, at + 13) >= 0) return undefined;
    const value = stringAt(text, at, 11);
    if (value === undefined) return undefined;
    return value.length === 24 && value[10] === 'T' && value[23] === 'Z'
        ? value
        : (isoInstant(value) ?? '');
}

/**
 * For line-based sources in incremental runs: true when a Practitioner's raw JSON certainly is
 * one the run skips (meta.lastUpdated at or before the watermark, and no role of it changed), so
 * it is not parsed. Anything unusual says false and the record is parsed and tested as before:
 * a backslash anywhere, no or several "lastUpdated", another spacing than `"name":"value"`, an
 * "id" whose role changed (or any "id" not in that form).
 */
export function unchangedSince(since: string, roleChanged: ReadonlySet<string>): LineTest {
    return scannable(
        (text) => updatedBy(text, since) && !(roleChanged.size && namesAny(text, roleChanged)),
        () => {
            const hashes = hashesOf(roleChanged);
            return new LineScan(
                (scan, s, e) =>
                    scan.updatedBy(s, e, since, false) &&
                    !(roleChanged.size && scan.namesAny(s, e, roleChanged, hashes))
            );
        }
    );
}

/** A cheap test on a raw line: true when it certainly need not be parsed. NdjsonSource uses its
 *  `scanner` (the same test on the line's bytes, LineScan) when it has one. */
export type LineTest = ScannableTest;

function scannable(test: (text: string) => boolean, scanner: () => ChunkLineTest): LineTest {
    return Object.assign(test, { scanner });
}

/** Whether the line's meta.lastUpdated is certainly at or before `since` (a line without a
 *  usable one is treated as changed). */
function updatedBy(text: string, since: string, plain = false): boolean {
    const iso = plain ? lastUpdatedOfPlainText(text) : lastUpdatedOfText(text);
    return iso !== undefined && iso !== '' && iso <= since;
}

/** For line-based sources: true when a raw line certainly names none of `ids` (no "id" of it
 *  is one of them, and every "id" has the plain form), so it need not be parsed. */
export function namesNoneOf(ids: ReadonlySet<string>): LineTest {
    return scannable(
        (text) => !namesAny(text, ids),
        () => {
            const hashes = hashesOf(ids);
            return new LineScan((scan, s, e) => !scan.namesAny(s, e, ids, hashes));
        }
    );
}

/**
 * `text.indexOf(head + tail, from)`, found faster by searching `tail` and checking `head` before
 * it (issue 22: these searches were most of the pre-scan's CPU). The names searched for start
 * with a quote, the most frequent character of JSON, on which V8's string search stops again and
 * again; `tail` starts with a rarer one. Equal to indexOf for every text and `from` (property
 * tests in prefilter.test.ts).
 */
function indexOfSplit(text: string, head: string, tail: string, from: number): number {
    const n = head.length;
    for (let j = text.indexOf(tail, Math.max(from, 0) + n); j >= 0; j = text.indexOf(tail, j + 1))
        if (text.startsWith(head, j - n)) return j - n;
    return -1;
}

/** `text.indexOf('"id"', from)` (see indexOfSplit). */
export function indexOfIdName(text: string, from: number): number {
    return indexOfSplit(text, '"', 'id"', from);
}

/** `text.indexOf('"lastUpdated"', from)` (see indexOfSplit). */
export function indexOfLastUpdated(text: string, from: number): number {
    return indexOfSplit(text, '"last', 'Updated"', from);
}

/** `text.indexOf('"practitioner"', from)` (see indexOfSplit). */
export function indexOfPractitionerName(text: string, from: number): number {
    return indexOfSplit(text, '"pr', 'actitioner"', from);
}

/** The values of the line's "id"s, or undefined when one is not in the plain `"id":"<value>"`
 *  form (ASCII): namesAny(text, ids) is true exactly when this is undefined or has one of ids. */
export function namedIds(text: string): string[] | undefined {
    const out: string[] = [];
    for (let i = indexOfIdName(text, 0); i >= 0; i = indexOfIdName(text, i + 4)) {
        const id = stringAt(text, i, 2);
        if (id === undefined) return undefined;
        out.push(id);
    }
    return out;
}

/** Whether an "id" of the line is in `ids`, or is not in the plain `"id":"<value>"` form. */
function namesAny(text: string, ids: ReadonlySet<string>): boolean {
    for (let i = indexOfIdName(text, 0); i >= 0; i = indexOfIdName(text, i + 4)) {
        const id = stringAt(text, i, 2);
        if (id === undefined || ids.has(id)) return true;
    }
    return false;
}

/**
 * The practitioner id a raw PractitionerRole line refers to, when the line is in the plain form
 * the generator and Bulk Data exports write: no backslash, exactly one `"practitioner"` and it
 * is exactly `"practitioner":{"reference":"Practitioner/<id>"}`. Otherwise undefined (the line
 * must be parsed).
 */
export function rolePractitionerOfText(text: string): string | undefined {
    if (text.includes('\\')) return undefined;
    const at = indexOfPractitionerName(text, 0);
    if (at < 0 || indexOfPractitionerName(text, at + 14) >= 0) return undefined;
    const head = '"practitioner":{"reference":"Practitioner/';
    if (!text.startsWith(head, at)) return undefined;
    const start = at + head.length;
    const end = text.indexOf('"', start);
    if (end <= start || text.charCodeAt(end + 1) !== 125 /* } */) return undefined;
    return asciiBetween(text, start, end) ? text.slice(start, end) : undefined;
}

/**
 * For line-based sources in incremental runs: true when a PractitionerRole line certainly need
 * not be parsed: its own meta.lastUpdated is at or before the watermark and it refers to a
 * practitioner not in `needed`. Anything unusual (see lastUpdatedOfText, rolePractitionerOfText)
 * says false.
 */
export function roleUnneeded(since: string, needed: ReadonlySet<string>): LineTest {
    return scannable(
        (text) => {
            // rolePractitionerOfText answers only for a line without a backslash: not searched
            // twice
            const practitioner = rolePractitionerOfText(text);
            return (
                practitioner !== undefined &&
                !needed.has(practitioner) &&
                updatedBy(text, since, true)
            );
        },
        () => {
            const hashes = hashesOf(needed);
            return new LineScan((scan, s, e) => {
                const practitioner = scan.rolePractitioner(s, e);
                return (
                    practitioner >= 0 &&
                    !scan.valueIn(practitioner, needed, hashes) &&
                    scan.updatedBy(s, e, since, true)
                );
            });
        }
    );
}

/** A 30-bit FNV-1a hash of text[0, length) code unit by code unit (a small integer: a Set of
 *  them is looked up without allocating). */
function hash30(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h & 0x3fffffff;
}

/** hash30 of bytes[start, end) read as latin1. */
function hash30OfBytes(bytes: Buffer, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return h & 0x3fffffff;
}

function hashesOf(ids: ReadonlySet<string>): Set<number> {
    const out = new Set<number>();
    for (const id of ids) out.add(hash30(id));
    return out;
}

const QUOTE = 34;
const COLON = 58;
const CLOSE_BRACE = 125;
const REFERENCE = Buffer.from('"practitioner":{"reference":"Practitioner/');

/**
 * `bytes.indexOf(head + tail, from)` remembered: Buffer.indexOf has no end bound, so a search for
 * a rare text from each line would read to the end of the chunk again and again; with `from`
 * growing line after line, each occurrence is searched for once. Searched as `tail` with `head`
 * checked before it (as indexOfSplit): Buffer.indexOf runs memchr on a needle's first byte, and
 * the names start with a quote, JSON's most frequent byte (measured on the 100k Practitioner
 * file: '"id"' 53 ms, 'id"' 22 ms; '"lastUpdated"' 39 ms, 'Updated"' 14 ms).
 */
class Occurrences {
    private readonly head: Buffer;
    private readonly tail: Buffer | number;
    private bytes: Buffer = Buffer.alloc(0);
    /** `at` is the first occurrence at or after `from` (-1: none; -2: not searched yet) */
    private from = 0;
    private at = -2;

    constructor(head: string, tail: string) {
        this.head = Buffer.from(head);
        this.tail = tail.length === 1 ? tail.charCodeAt(0) : Buffer.from(tail);
    }

    chunk(bytes: Buffer): void {
        this.bytes = bytes;
        this.at = -2;
    }

    /** bytes.indexOf(head + tail, from) (fastest when `from` never decreases) */
    next(from: number): number {
        const at = this.at;
        if (at !== -2 && from >= this.from && (at < 0 || at >= from)) return at;
        this.from = from;
        const b = this.bytes;
        const head = this.head;
        const n = head.length;
        let found = -1;
        // one indexOf call site: V8 inlines Buffer.indexOf's JS wrapper at each, and `next` into
        // each caller, and compiling those copies cost more than the search itself (issue 22)
        for (let j = from + n - 1; ;) {
            j = b.indexOf(this.tail, j + 1);
            if (j < 0) break;
            let k = 0;
            while (k < n && b[j - n + k] === head[k]) k++;
            if (k === n) {
                found = j - n;
                break;
            }
        }
        // one store for both answers: a store first reached at a chunk's end (no occurrence
        // left) would make V8 drop the optimised code of every caller
        this.at = found;
        return found;
    }

    /** Whether the text occurs whole in bytes[from, end) (end: a line's end; the texts hold
     *  no line break, so one starting before it ends before it) */
    within(from: number, end: number): boolean {
        const at = this.next(from);
        return at >= 0 && at < end;
    }
}

/**
 * The string tests above on a line's bytes (issue 22): each answers exactly what its string
 * form answers on the line read as latin1 (property tests in line-scan.test.ts, the string
 * forms kept as the oracle), building a string only for an id to look up or an unusual date.
 */
class LineScan implements ChunkLineTest {
    private bytes: Buffer = Buffer.alloc(0);
    private readonly backslash = new Occurrences('', '\\');
    private readonly lastUpdated = new Occurrences('"last', 'Updated"');
    private readonly id = new Occurrences('"', 'id"');
    private readonly practitioner = new Occurrences('"', 'practitioner"');
    /** the end of the value stringAt found last */
    private valueEnd = 0;
    private readonly test: (scan: LineScan, start: number, end: number) => boolean;
    readonly idsOf = namedIds;

    constructor(test: (scan: LineScan, start: number, end: number) => boolean) {
        this.test = test;
    }

    chunk(bytes: Buffer): void {
        this.bytes = bytes;
        this.backslash.chunk(bytes);
        this.lastUpdated.chunk(bytes);
        this.id.chunk(bytes);
        this.practitioner.chunk(bytes);
    }

    skip(start: number, end: number): boolean {
        return this.test(this, start, end);
    }

    /** stringAt on bytes: where the value starts (its end in valueEnd), or -1 */
    private stringAt(at: number, nameLength: number, end: number): number {
        const b = this.bytes;
        const start = at + nameLength + 4;
        if (start > end || b[start - 3] !== QUOTE || b[start - 2] !== COLON) return -1;
        if (b[start - 1] !== QUOTE) return -1;
        const close = this.closingQuote(start, end);
        if (close < 0) return -1;
        this.valueEnd = close;
        return start;
    }

    /** The first quote at or after `from` when it is before `end` and only ASCII is before it,
     *  else -1 (indexOf('"') and asciiBetween in one loop: the values are short) */
    private closingQuote(from: number, end: number): number {
        const b = this.bytes;
        for (let i = from; i < end; i++) {
            const c = b[i];
            if (c === QUOTE) return i;
            if (c >= 128) return -1;
        }
        return -1;
    }

    /** updatedBy on bytes (`plain`: the line is known to hold no backslash) */
    updatedBy(start: number, end: number, since: string, plain: boolean): boolean {
        if (!plain && this.backslash.within(start, end)) return false;
        const at = this.lastUpdated.next(start);
        if (at < 0 || at >= end || this.lastUpdated.within(at + 13, end)) return false;
        const value = this.stringAt(at, 11, end);
        if (value < 0) return false;
        const b = this.bytes;
        const length = this.valueEnd - value;
        if (length === 24 && b[value + 10] === 84 /* T */ && b[value + 23] === 90 /* Z */) {
            // value <= since, compared as strings (code unit by code unit)
            const n = Math.min(24, since.length);
            for (let i = 0; i < n; i++) {
                const d = b[value + i] - since.charCodeAt(i);
                if (d !== 0) return d < 0;
            }
            return 24 <= since.length;
        }
        const iso = isoInstant(b.toString('latin1', value, this.valueEnd)) ?? '';
        return iso !== '' && iso <= since;
    }

    /** namesAny on bytes */
    namesAny(
        start: number,
        end: number,
        ids: ReadonlySet<string>,
        hashes: ReadonlySet<number>
    ): boolean {
        for (let i = this.id.next(start); i >= 0 && i < end; i = this.id.next(i + 4)) {
            const value = this.stringAt(i, 2, end);
            if (value < 0 || this.valueIn(value, ids, hashes)) return true;
        }
        return false;
    }

    /** namedIds on bytes: the ids' [start, end) written to `out`, how many numbers written,
     *  -1 for undefined */
    namedIds(start: number, end: number, out: number[]): number {
        let count = 0;
        for (let i = this.id.next(start); i >= 0 && i < end; i = this.id.next(i + 4)) {
            const value = this.stringAt(i, 2, end);
            if (value < 0) return -1;
            out[count++] = value;
            out[count++] = this.valueEnd;
        }
        return count;
    }

    /** rolePractitionerOfText on bytes: where the id starts (its end in valueEnd), or -1 for
     *  undefined */
    rolePractitioner(start: number, end: number): number {
        if (this.backslash.within(start, end)) return -1;
        const at = this.practitioner.next(start);
        if (at < 0 || at >= end || this.practitioner.within(at + 14, end)) return -1;
        const b = this.bytes;
        const from = at + REFERENCE.length;
        if (from > end) return -1;
        for (let k = 0; k < REFERENCE.length; k++) if (b[at + k] !== REFERENCE[k]) return -1;
        const close = this.closingQuote(from, end);
        if (close <= from) return -1;
        if (close + 1 >= end || b[close + 1] !== CLOSE_BRACE) return -1;
        this.valueEnd = close;
        return from;
    }

    /** Whether the value at `start` (to valueEnd) read as latin1 is in `ids`, `hashes` being
     *  hashesOf(ids): the string is built only when its hash is one of them */
    valueIn(start: number, ids: ReadonlySet<string>, hashes: ReadonlySet<number>): boolean {
        const end = this.valueEnd;
        if (!hashes.has(hash30OfBytes(this.bytes, start, end))) return false;
        return ids.has(this.bytes.toString('latin1', start, end));
    }
}

/** Above this many changed practitioners, an incremental run parses every role as a full run. */
export const ROLE_PREFILTER_MAX = 200_000;

/**
 * Incremental runs over a line-based source: the ids of the practitioners whose own
 * meta.lastUpdated is after the watermark (unchanged lines skipped before JSON.parse, as in the
 * main read). Undefined when there are more than ROLE_PREFILTER_MAX: every role is then parsed.
 * `keep` gets the lines read and ruled out, so the main read may replay them (KeptLines).
 */
export async function changedPractitioners(
    source: RegistrySource,
    since: string,
    keep?: KeptLines
): Promise<Set<string> | undefined> {
    const ids = new Set<string>();
    const skipRaw = unchangedSince(since, new Set());
    for await (const raw of source.read('Practitioner', { since, skipRaw, keep })) {
        if (raw instanceof UnparseableResource) continue;
        // no meta.lastUpdated (FHIR R4 makes it optional): treated as changed
        const updated = lastUpdatedOf(raw);
        if (updated !== '' && updated <= since) continue;
        const id = resourceId(raw);
        if (id === undefined) continue;
        ids.add(id);
        if (ids.size > ROLE_PREFILTER_MAX) return undefined;
    }
    return ids;
}
