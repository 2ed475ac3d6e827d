// Instants as the worker stores them: ISO 8601 in UTC (`toISOString()`).

/** `value` as an ISO instant in UTC; null when absent, empty or not a date. */
export function isoInstant(value: string | null | undefined): string | null {
    if (!value) return null;
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : new Date(time).toISOString();
}
