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

    constructor(faults: Faults = {}, seed = 1) {
        this.seed = seed;
        this.random = rng(seed);
        this.set(faults);
    }

    set(faults: Faults): void {
        this.faults = { ...faults };
        this.calls = 0;
        this.random = rng(this.seed);
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
