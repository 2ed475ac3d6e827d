// Per-channel pacing: at most `ratePerMinute` messages a minute (a token bucket refilled
// continuously, so sends are spread over the minute rather than bursting), at most `dailyCap`
// a Europe/Rome day for the channel across campaigns (what the send log says was claimed today,
// plus this run's claims), never in quiet hours. A run that meets the cap or the quiet hours
// stops claiming: the members left are Pending and the next run sends them.
import { inQuietHours } from '../domain/quiet-hours.ts';

export type Deferral = 'DailyCap' | 'QuietHours' | 'ClaimLost' | 'Stopped';

export const DEFERRALS: Record<Deferral, string> = {
    DailyCap: "the channel's daily cap is reached (dailyCap): the next run sends them",
    QuietHours: 'quiet hours (Europe/Rome): the next run after them sends them',
    ClaimLost:
        'the answer to the claim was lost and the claim is not in the org: the next run claims them',
    Stopped:
        'the run stopped (SIGTERM, lease lost, API budget, relay refusing): the next run sends them'
};

export interface ThrottleOptions {
    ratePerMinute: number;
    dailyCap: number;
    quietHours: { start: string; end: string } | null;
    /** claimed today before this run (the send log) */
    usedToday: number;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export class Throttle {
    private readonly options: ThrottleOptions;
    private tokens: number;
    private last: number;
    private claimed = 0;

    constructor(options: ThrottleOptions) {
        this.options = options;
        // start with one second's worth, so a small campaign does not wait a minute
        this.tokens = Math.max(1, options.ratePerMinute / 60);
        this.last = this.now();
    }

    private now(): number {
        return (this.options.now ?? Date.now)();
    }

    /** How many of `wanted` sends may be claimed now, or why none may. */
    allowance(wanted: number): { count: number; deferral?: Deferral } {
        if (inQuietHours(new Date(this.now()), this.options.quietHours))
            return { count: 0, deferral: 'QuietHours' };
        const left = this.options.dailyCap - this.options.usedToday - this.claimed;
        if (left <= 0) return { count: 0, deferral: 'DailyCap' };
        const count = Math.min(wanted, left);
        this.claimed += count;
        return { count };
    }

    /** Waits until one more message may leave (ratePerMinute). */
    async take(): Promise<void> {
        const perMs = this.options.ratePerMinute / 60_000;
        for (;;) {
            const now = this.now();
            this.tokens = Math.min(
                Math.max(1, this.options.ratePerMinute / 60),
                this.tokens + (now - this.last) * perMs
            );
            this.last = now;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return;
            }
            const wait = Math.ceil((1 - this.tokens) / perMs);
            await (this.options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
        }
    }
}
