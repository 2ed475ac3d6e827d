// Exponential backoff with full jitter (delay = random(0, min(cap, base * 2^attempt))) and the
// retry loop around one operation. What is worth retrying is the caller's rule (Salesforce:
// salesforce/retry.ts, FHIR: sources/fhir.ts); network failures are transient for everyone.

export interface RetryOptions {
    retries: number;
    baseMs: number;
    capMs: number;
    /** injectable for tests */
    random?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function backoffDelay(
    attempt: number,
    o: Pick<RetryOptions, 'baseMs' | 'capMs' | 'random'>
): number {
    const ceiling = Math.min(o.capMs, o.baseMs * 2 ** attempt);
    return Math.floor((o.random ?? Math.random)() * ceiling);
}

const NETWORK_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CLOSED'
]);

/** A timeout, a reset or refused connection, or fetch's "fetch failed": worth another try. */
export function isNetworkFailure(err: unknown): boolean {
    const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
    if (!e || typeof e !== 'object') return false;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e.code && NETWORK_CODES.has(e.code)) return true;
    if (e.cause?.code && NETWORK_CODES.has(e.cause.code)) return true;
    if (e.cause?.name === 'TimeoutError' || e.cause?.name === 'SocketError') return true;
    // fetch() reports network failures as TypeError("fetch failed") with a cause
    return (
        e.name === 'TypeError' &&
        /fetch failed|terminated|other side closed/i.test(String((err as Error).message))
    );
}

export async function retryWithBackoff<T>(
    fn: (attempt: number) => Promise<T>,
    o: RetryOptions,
    retryable: (err: unknown) => boolean,
    onRetry?: (err: unknown, attempt: number, delayMs: number) => void
): Promise<T> {
    const sleep = o.sleep ?? defaultSleep;
    for (let attempt = 0; ; attempt++) {
        try {
            return await fn(attempt);
        } catch (err) {
            if (attempt >= o.retries || !retryable(err)) throw err;
            const delay = backoffDelay(attempt, o);
            onRetry?.(err, attempt, delay);
            await sleep(delay);
        }
    }
}
