// Which Salesforce failures are retried (docs/salesforce-api.md): 5xx, 408/429, timeouts,
// connection resets, UNABLE_TO_LOCK_ROW and REQUEST_LIMIT_EXCEEDED caused by concurrency (not
// the daily allocation), with exponential backoff and full jitter (util/backoff.ts).
import { isNetworkFailure, retryWithBackoff, type RetryOptions } from '../util/backoff.ts';
import { HttpStatusError } from '../util/http-error.ts';

/** An HTTP error from Salesforce with its parsed error code. */
export class SfHttpError extends HttpStatusError {
    constructor(status: number, errorCode: string, message: string) {
        super(status, errorCode, message);
        this.name = 'SfHttpError';
    }
}

export function isRetryable(err: unknown): boolean {
    if (err instanceof SfHttpError) {
        if (err.status >= 500) return true;
        if (err.status === 408 || err.status === 429) return true;
        if (err.errorCode === 'REQUEST_LIMIT_EXCEEDED') return /concurren/i.test(err.message);
        if (err.errorCode === 'UNABLE_TO_LOCK_ROW') return true;
        return false;
    }
    return isNetworkFailure(err);
}

/** One Salesforce operation, retried while `isRetryable` says so. */
export function withRetry<T>(
    fn: (attempt: number) => Promise<T>,
    o: RetryOptions,
    onRetry?: (err: unknown, attempt: number, delayMs: number) => void
): Promise<T> {
    return retryWithBackoff(fn, o, isRetryable, onRetry);
}

/** The daily allocation is used up (403 REQUEST_LIMIT_EXCEEDED): the run stops cleanly. */
export function isDailyLimitRefusal(err: unknown): err is SfHttpError {
    return err instanceof SfHttpError && err.errorCode === 'REQUEST_LIMIT_EXCEEDED';
}
