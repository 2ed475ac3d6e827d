// Salesforce's date-time text: the REST and Bulk APIs answer `2026-01-10T02:00:00.000+0000`,
// an offset without a colon, which is read here as the instant it names.

/** The instant (ms) of a Salesforce or ISO date-time; NaN when it is not one. */
export function parseSalesforceDateTime(value: string): number {
    return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}
