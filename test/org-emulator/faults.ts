// Fault injection, deterministic for a given seed: every random decision comes from one
// seeded generator, consumed in request order.
export interface Faults {
    /** added to every request: a fixed number of ms or [min, max] */
    latencyMs?: number | [number, number];
    /** answer `status` to `length` consecutive calls, starting after every `every` calls */
    errorBurst?: { every: number; length: number; status?: 500 | 503 };
    /** fraction (0-1) of calls answered 503 at random */
    errorRate?: number;
    /** answer 403 REQUEST_LIMIT_EXCEEDED to every API call while true */
    requestLimitExceeded?: boolean;
    /** the access token stops working after this many API calls (INVALID_SESSION_ID) */
    sessionExpiresAfterCalls?: number;
    /** fraction (0-1) of existing records that fail with UNABLE_TO_LOCK_ROW in collections and bulk */
    lockRowFraction?: number;
    /** fraction (0-1) of calls whose connection is destroyed without an answer */
    connectionResetRate?: number;
    /** extra ms a bulk job spends in each state (UploadComplete/InProgress) */
    bulkSlowMs?: number;
    /** the next N bulk ingest jobs end Failed */
    bulkFailJobs?: number;
    /**
     * Requests the org applies and then answers on a connection that drops before the answer
     * arrives (the client sees a reset; the work is done): each entry matches a method and a
     * path (a regular expression over the path after `/services/data/vNN.N`) for `times`
     * requests (default 1). Any request can meet this in a real org (REST API Developer Guide,
     * "Status Codes and Error Responses": a client cannot tell a lost answer from a refused
     * request; ../shared/docs/salesforce-api.md "Any request can be applied by the org and its
     * reply lost").
     */
    lostReplies?: Array<{ method?: string; path?: string; times?: number }>;
    /** fraction (0-1) of API calls applied and then answered on a dropped connection */
    lostReplyRate?: number;
    /**
     * Answers cut off in the middle: the status, headers and the first `afterBytes` bytes of the
     * body (default half of it) are sent, then the connection drops — a network failure while a
     * client streams a large answer (a Bulk query result page). Matched like lostReplies.
     */
    cutReplies?: Array<{ method?: string; path?: string; times?: number; afterBytes?: number }>;
    /**
     * Fields the integration user cannot see (`Object.Field`): field-level security as the
     * API applies it — the field is absent from describe, SOQL and writes answer INVALID_FIELD,
     * and a Bulk API 2.0 upload naming it fails the whole job "InvalidBatch : Field name not
     * found : X".
     */
    hiddenFields?: string[];
    /**
     * Lock contention clustered by parent (Bulk API 2.0 Developer Guide, "Organize Data to
     * Minimize Lock Contention": writing a child locks its parent): this fraction of parent
     * records is held by other work for `holdAttempts` write attempts (default 2); every child
     * written meanwhile — inserts and updates alike — fails UNABLE_TO_LOCK_ROW.
     */
    parentLocks?: { fraction: number; holdAttempts?: number };
    /**
     * The next `jobs` ingest jobs (default 1) process their last `rows` rows without recording
     * a result for them (Bulk API 2.0 Developer Guide, "Get Job Successful Record Results":
     * "Results are not recorded for batches that exceed the daily batch allocation"): those
     * rows are written but appear in no result list and not in numberRecordsProcessed.
     */
    bulkResultsMissing?: { jobs?: number; rows: number };
    /**
     * What `unprocessedrecords` lists for a job that failed before processing any row (a bad
     * header, a wrong line ending): 'all' the uploaded rows (default: the guide's "all the
     * records that were not processed by the job") or 'none' (the guide does not say; a client
     * must cope with both).
     */
    failedJobUnprocessed?: 'all' | 'none';
}

/** mulberry32: small, fast and good enough for reproducible fault patterns. */
export function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export class FaultState {
    faults: Faults = {};
    private random: () => number;
    private readonly seed: number;
    /** API calls counted since the faults were set (for bursts) */
    private calls = 0;
    /** lost-reply rules with the answers they still drop */
    private lost: Array<{ method?: string; path?: RegExp; left: number }> = [];
    /** cut-reply rules with the answers they still cut */
    private cut: Array<{ method?: string; path?: RegExp; left: number; afterBytes?: number }> = [];
    /** parent id -> write attempts it is still held for (parentLocks) */
    private readonly parentHolds = new Map<string, number>();
    /** jobs that still lose results (bulkResultsMissing) */
    private resultsMissingJobs = 0;
    /** called after the faults changed (the org applies hiddenFields) */
    onChange?: (faults: Faults) => void;

    constructor(faults: Faults = {}, seed = 1) {
        this.seed = seed;
        this.random = rng(seed);
        this.set(faults);
    }

    set(faults: Faults): void {
        this.faults = { ...faults };
        this.calls = 0;
        this.random = rng(this.seed);
        this.lost = (faults.lostReplies ?? []).map((r) => ({
            method: r.method?.toUpperCase(),
            path: r.path !== undefined ? new RegExp(r.path) : undefined,
            left: r.times ?? 1
        }));
        this.cut = (faults.cutReplies ?? []).map((r) => ({
            method: r.method?.toUpperCase(),
            path: r.path !== undefined ? new RegExp(r.path) : undefined,
            left: r.times ?? 1,
            afterBytes: r.afterBytes
        }));
        this.parentHolds.clear();
        this.resultsMissingJobs = faults.bulkResultsMissing
            ? (faults.bulkResultsMissing.jobs ?? 1)
            : 0;
        this.onChange?.(this.faults);
    }

    /** Whether the answer to this (already applied) API request is lost. `path` is the part
     *  after /services/data/vNN.N. */
    loseReply(method: string, path: string): boolean {
        for (const rule of this.lost) {
            if (rule.left <= 0) continue;
            if (rule.method && rule.method !== method) continue;
            if (rule.path && !rule.path.test(path)) continue;
            rule.left--;
            return true;
        }
        const rate = this.faults.lostReplyRate;
        return !!rate && this.random() < rate;
    }

    /** How many bytes of this answer's body are sent before the connection drops (cutReplies),
     *  undefined when it is answered whole. */
    cutReply(method: string, path: string, bodyBytes: number): number | undefined {
        for (const rule of this.cut) {
            if (rule.left <= 0) continue;
            if (rule.method && rule.method !== method) continue;
            if (rule.path && !rule.path.test(path)) continue;
            rule.left--;
            return Math.min(bodyBytes, rule.afterBytes ?? Math.floor(bodyBytes / 2));
        }
        return undefined;
    }

    /**
     * For one write attempt (a DML call, an internal batch): whether a parent is held by other
     * work. The first attempt to touch a parent decides (seeded) whether it is held; a held
     * parent stays held for `holdAttempts` attempts, whatever their order.
     */
    parentLockFault(): ((parentId: string) => boolean) | undefined {
        const locks = this.faults.parentLocks;
        if (!locks?.fraction) return undefined;
        const seen = new Map<string, boolean>();
        return (parentId) => {
            const known = seen.get(parentId);
            if (known !== undefined) return known;
            let holds = this.parentHolds.get(parentId);
            if (holds === undefined)
                holds = this.random() < locks.fraction ? (locks.holdAttempts ?? 2) : 0;
            const locked = holds > 0;
            this.parentHolds.set(parentId, Math.max(0, holds - 1));
            seen.set(parentId, locked);
            return locked;
        };
    }

    /** How many rows of the next job lose their results (bulkResultsMissing), 0 for none. */
    takeResultsMissing(): number {
        if (this.resultsMissingJobs <= 0 || !this.faults.bulkResultsMissing) return 0;
        this.resultsMissingJobs--;
        return this.faults.bulkResultsMissing.rows;
    }

    latency(): number {
        const l = this.faults.latencyMs;
        if (l === undefined) return 0;
        if (typeof l === 'number') return l;
        return l[0] + Math.floor(this.random() * (l[1] - l[0] + 1));
    }

    /** Decides what happens to an API call: null, a status to answer, or 'reset'. */
    onApiCall(): null | 500 | 503 | 'reset' {
        this.calls++;
        const f = this.faults;
        if (f.connectionResetRate && this.random() < f.connectionResetRate) return 'reset';
        if (f.errorBurst && f.errorBurst.every > 0) {
            const pos = (this.calls - 1) % (f.errorBurst.every + f.errorBurst.length);
            if (pos >= f.errorBurst.every) return f.errorBurst.status ?? 503;
        }
        if (f.errorRate && this.random() < f.errorRate) return 503;
        return null;
    }

    lockFault(): (() => boolean) | undefined {
        const fraction = this.faults.lockRowFraction;
        if (!fraction) return undefined;
        return () => this.random() < fraction;
    }

    takeBulkFailure(): boolean {
        if (this.faults.bulkFailJobs && this.faults.bulkFailJobs > 0) {
            this.faults.bulkFailJobs--;
            return true;
        }
        return false;
    }
}
