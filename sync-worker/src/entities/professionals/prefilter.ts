// Incremental runs over a line-based source (ndjson): cheap text tests that skip Practitioner
// and PractitionerRole lines certainly not needed before JSON.parse; anything unusual is parsed.
import { isoInstant } from '../../util/instant.ts';
import { lastUpdatedOf, resourceId } from '../../sources/raw-resource.ts';
import type { KeptLines } from '../../sources/kept-lines.ts';
import { UnparseableResource, type RegistrySource } from '../../sources/types.ts';

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
    return (text) => updatedBy(text, since) && !(roleChanged.size && namesAny(text, roleChanged));
}

/** A cheap test on a raw line: true when it certainly need not be parsed. */
export type LineTest = (text: string) => boolean;

/** Whether the line's meta.lastUpdated is certainly at or before `since` (a line without a
 *  usable one is treated as changed). */
function updatedBy(text: string, since: string, plain = false): boolean {
    const iso = plain ? lastUpdatedOfPlainText(text) : lastUpdatedOfText(text);
    return iso !== undefined && iso !== '' && iso <= since;
}

/** For line-based sources: true when a raw line certainly names none of `ids` (no "id" of it
 *  is one of them, and every "id" has the plain form), so it need not be parsed. */
export function namesNoneOf(ids: ReadonlySet<string>): LineTest {
    return (text) => !namesAny(text, ids);
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
    return (text) => {
        // rolePractitionerOfText answers only for a line without a backslash: not searched twice
        const practitioner = rolePractitionerOfText(text);
        return (
            practitioner !== undefined && !needed.has(practitioner) && updatedBy(text, since, true)
        );
    };
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
