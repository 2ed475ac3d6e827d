// API budget: never use more than `share` of the org's remaining daily API requests.
// Sforce-Limit-Info: api-usage=USED/MAX (docs/salesforce-api.md).

export class BudgetExceededError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'BudgetExceededError';
    }
}

export function parseLimitInfo(
    header: string | null | undefined
): { used: number; max: number } | undefined {
    const m = /api-usage=(\d+)\/(\d+)/.exec(header ?? '');
    return m ? { used: Number(m[1]), max: Number(m[2]) } : undefined;
}

export class ApiBudget {
    readonly share: number;
    /** calls kept back to finish cleanly (SyncRun__c record) */
    readonly reserve: number;
    calls = 0;
    allowance: number | undefined;
    lastUsage: { used: number; max: number } | undefined;

    constructor(share: number, reserve = 2) {
        this.share = share;
        this.reserve = reserve;
    }

    /** Called with the first limit reading of the run (header or GET /limits). */
    setRemaining(remaining: number): void {
        if (this.allowance === undefined) this.allowance = Math.floor(remaining * this.share);
    }

    observe(header: string | null | undefined): void {
        const u = parseLimitInfo(header);
        if (!u) return;
        this.lastUsage = u;
        // the reading already includes the calls made so far by this run
        this.setRemaining(u.max - u.used + this.calls);
    }

    get known(): boolean {
        return this.allowance !== undefined;
    }

    /** true when even the reserve is used up */
    get exhausted(): boolean {
        return this.allowance !== undefined && this.calls >= this.allowance;
    }

    /** Throws before a call that would exceed the allowance; `essential` calls may use the reserve. */
    beforeCall(essential = false): void {
        if (this.allowance !== undefined) {
            const limit = essential ? this.allowance : this.allowance - this.reserve;
            if (this.calls + 1 > limit) {
                throw new BudgetExceededError(
                    `API budget reached: ${this.calls} calls used of ${this.allowance} allowed (${Math.round(this.share * 100)}% of the remaining daily requests)`
                );
            }
        }
        this.calls++;
    }
}
