// What the worker reads from a raw (not yet validated) FHIR resource before mapping it: its id
// and its meta.lastUpdated as an ISO instant.
import { isoInstant } from '../util/instant.ts';

/** The resource's `id` when it is a string. */
export function resourceId(raw: unknown): string | undefined {
    const id = (raw as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
}

/** `<type>/<id>` for rejects (`<type>/?` without an id). */
export function resourcePosition(raw: unknown, type: string): string {
    return `${type}/${resourceId(raw) ?? '?'}`;
}

/** meta.lastUpdated as an ISO instant, '' when absent or not a date. */
export function lastUpdatedOf(raw: unknown): string {
    const value = (raw as { meta?: { lastUpdated?: unknown } } | null)?.meta?.lastUpdated;
    return typeof value === 'string' ? (isoInstant(value) ?? '') : '';
}
