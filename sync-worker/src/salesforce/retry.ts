// Which Salesforce failures are retried (docs/salesforce-api.md): 5xx, 408/429, timeouts,
// connection resets, UNABLE_TO_LOCK_ROW and REQUEST_LIMIT_EXCEEDED caused by concurrency (not
// the daily allocation), with exponential backoff and full jitter (util/backoff.ts). Whether a
// failed request may be sent again depends on the method (http.ts): an answer is authoritative
// (the org rolled the request back), a missing answer is not (the work may be done).
import { isNetworkFailure, retryWithBackoff, type RetryOptions } from '../util/backoff.ts';
import { HttpStatusError } from '../util/http-error.ts';

/** An HTTP error from Salesforce with its parsed error code (and the path it answered). */
export class SfHttpError extends HttpStatusError {
    readonly path?: string;
    constructor(status: number, errorCode: string, message: string, path?: string) {
        super(status, errorCode, message);
        this.name = 'SfHttpError';
        this.path = path;
    }
}

/**
 * A request that is not safe to repeat (POST, PATCH) whose answer never arrived: the org may
 * have done the work. The caller resolves it by reading the state back (a job's state, the
 * list of open jobs), never by reporting the work as failed.
 */
export class ReplyLostError extends Error {
    readonly method: string;
    readonly path: string;
    constructor(method: string, path: string, cause: unknown) {
        super(
            `${method} ${path.split('?')[0]}: no answer (${(cause as Error)?.message ?? String(cause)}); the org may have applied it`,
            { cause }
        );
        this.name = 'ReplyLostError';
        this.method = method;
        this.path = path;
    }
}

/** A failure that proves the request never reached the org (nothing to resolve). */
export function neverSent(err: unknown): boolean {
    const e = err as { code?: string; cause?: { code?: string } };
    const code = e?.code ?? e?.cause?.code;
    return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

export function isRetryable(err: unknown): boolean {
    if (err instanceof ReplyLostError) return false; // resolved by the caller, never resent
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
