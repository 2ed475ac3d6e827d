// Retries within a run for one message whose channel said "not now" (SMTP 4xx, HTTP 5xx/429, a
// connection that never opened): the message was certainly not accepted, so sending it again
// is safe. Exponential backoff with full jitter (util/backoff.ts); a failure still transient
// after every try stays retryable for the next run.
import { backoffDelay, defaultSleep, type RetryOptions } from '../../util/backoff.ts';
import type { SendOutcome } from '../types.ts';

export async function withSendRetries(
    attempt: () => Promise<SendOutcome>,
    o: RetryOptions,
    signal?: AbortSignal
): Promise<SendOutcome> {
    for (let i = 0; ; i++) {
        const outcome = await attempt();
        if (outcome.kind !== 'failed' || !outcome.retryable || i >= o.retries || signal?.aborted)
            return outcome;
        await (o.sleep ?? defaultSleep)(backoffDelay(i, o));
    }
}
