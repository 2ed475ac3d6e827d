// What a Salesforce failure means to the admin who reads the report: the cause and what to do,
// from the error code and message the org gave (REST API Developer Guide "Status Codes and
// Error Responses", Bulk API 2.0 job errorMessage, ../shared/docs/salesforce-api.md), and which
// failures are transient (worth another round in the same run).

/** Record-level error codes worth another round: the org's own contention, not the data. */
const TRANSIENT_RECORD_CODES = new Set([
    'UNABLE_TO_LOCK_ROW',
    /** the job ended without a result for the row (counts short): upsert again, it is safe */
    'NO_RESULT',
    /** the job failed for a reason of the org's (internal error, timeouts), or timed out */
    'JOB_RETRY',
    'JOB_TIMEOUT'
]);

export function isTransientRecordError(errorCode: string): boolean {
    return TRANSIENT_RECORD_CODES.has(errorCode);
}

export const PERMISSION_SET = 'FSE_Sync_Integration';

type Explain = (m: RegExpExecArray, context: CauseContext) => string;

interface CauseContext {
    object?: string;
    message: string;
    /** rounds a transient failure was tried */
    rounds?: number;
}

/** [error code, message pattern, explanation], first match wins. */
const CAUSES: Array<[string, RegExp, Explain]> = [
    [
        'InvalidBatch',
        /Field name not found : ([\w.]+)/,
        (m, c) =>
            `field ${m[1]} is not visible to the integration user${c.object ? ` on ${c.object}` : ''} (or not deployed): check ${PERMISSION_SET}'s field permissions; the whole job failed, nothing of it was written`
    ],
    [
        'INVALID_FIELD',
        /No such column '(\w+)'/,
        (m, c) =>
            `field ${m[1]} is not visible to the integration user${c.object ? ` on ${c.object}` : ''} (or not deployed): check ${PERMISSION_SET}'s field permissions`
    ],
    [
        'INVALID_FIELD',
        /Foreign key external ID: .* not found for field (\w+) in entity (\w+)/,
        (m) =>
            `the ${m[2]} it points to (by ${m[1]}) is not in the org: load it first (organisations before professionals) or fix the reference in the registry`
    ],
    [
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        /Unable to create\/update fields: ([^.]+)\./,
        (m) =>
            `field(s) ${m[1]} are read-only for the integration user: give ${PERMISSION_SET} edit access`
    ],
    [
        'ClientInputError',
        /LineEnding/,
        () =>
            "the upload's line endings do not match its Bulk job (a worker defect: please report it); the whole job failed, nothing of it was written"
    ],
    [
        'UNABLE_TO_LOCK_ROW',
        /.*/,
        (_m, c) =>
            `records locked by other work in the org (usually their parent Account)${c.rounds ? ` through ${c.rounds} rounds` : ''}: the next run sends them again`
    ],
    [
        'STRING_TOO_LONG',
        /^(.+?): data value too large/,
        (m) => `a value longer than the field ${m[1]} allows: fix it in the registry`
    ],
    [
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        /^(.+?): bad value for restricted picklist field: (.*)$/,
        (m) =>
            `"${m[2]}" is not a value of the picklist ${m[1]}: add it to the value set, or fix the registry`
    ],
    [
        'REQUIRED_FIELD_MISSING',
        /\[(.*)\]/,
        (m) => `required field(s) ${m[1]} empty: fix the registry record`
    ],
    [
        'DUPLICATE_VALUE',
        /Duplicate external id specified/,
        () =>
            'the same key twice in one write (the org compares keys without case): fix the registry duplicate'
    ],
    [
        'DUPLICATE_VALUE',
        /duplicate value found: (\w+)/,
        (m) => `another record of the org already has this ${m[1]}: merge or fix the duplicate`
    ],
    [
        'DUPLICATE_EXTERNAL_ID',
        /.*/,
        () => 'several records of the org share this external id: merge them'
    ],
    [
        'INSUFFICIENT_ACCESS_OR_READONLY',
        /.*/,
        () =>
            `the integration user may not write this record: check ${PERMISSION_SET} (object permissions) and sharing`
    ],
    [
        'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
        /.*/,
        () =>
            `the integration user cannot see a record this one points to: check ${PERMISSION_SET} and sharing`
    ],
    [
        'NO_RESULT',
        /.*/,
        () =>
            'the Bulk job returned no result for these rows (its counts fell short): not counted as loaded; the next run sends them again'
    ],
    [
        'JOB_ABORTED',
        /.*/,
        () =>
            'the Bulk job was aborted outside this run (Setup > Bulk Data Load Jobs, or a run that took over the lease): the next run sends them again'
    ],
    [
        'JOB_TIMEOUT',
        /.*/,
        () =>
            'the Bulk job did not finish within jobTimeoutMs and was aborted: the next run sends them again (raise jobTimeoutMs if the org is slow)'
    ],
    [
        'JOB_RETRY',
        /^(.*)$/,
        (m, c) =>
            `the org failed the Bulk job (${m[1]})${c.rounds ? ` through ${c.rounds} rounds` : ''}: the next run sends them again`
    ],
    [
        'API_BUDGET_EXCEEDED',
        /.*/,
        () =>
            'not sent: the run used up its share of the daily API requests (apiBudgetShare): the next run sends them'
    ],
    ['RUN_STOPPED', /^(.*)$/, (m) => m[1]],
    [
        'REQUEST_FAILED',
        /.*/,
        () =>
            'the org did not answer after every retry (network or org trouble): the next run sends them again'
    ]
];

/** The cause of a failure, as an admin can act on it (no personal data: scrubbed later too). */
export function causeOf(
    errorCode: string,
    message: string,
    context: Omit<CauseContext, 'message'> = {}
): string {
    for (const [code, pattern, explain] of CAUSES) {
        if (code !== errorCode) continue;
        const m = pattern.exec(message);
        if (m) return explain(m, { ...context, message });
    }
    return message ? `${errorCode}: ${message}` : errorCode;
}

/**
 * What a fatal Salesforce error means, when the worker can tell: an API version the org does
 * not offer (404 NOT_FOUND on /services/data/vNN.N), a field or object the integration user
 * cannot see. Undefined otherwise (the error's own text is shown).
 */
export function fatalCause(err: unknown): string | undefined {
    const e = err as { errorCode?: string; status?: number; path?: string; message?: string };
    if (!e || typeof e.errorCode !== 'string') return undefined;
    const version = /^\/services\/data\/v(\d+\.\d)(\/|$)/.exec(e.path ?? '');
    if (e.status === 404 && e.errorCode === 'NOT_FOUND' && version)
        return `404 NOT_FOUND under API version ${version[1]}: the org may not offer that version; set apiVersion in the configuration to one it lists (GET /services/data)`;
    const cause = causeOf(e.errorCode, String(e.message ?? '').replace(/^\d+ \w+: /, ''));
    return cause.startsWith(`${e.errorCode}:`) || cause === e.errorCode ? undefined : cause;
}
