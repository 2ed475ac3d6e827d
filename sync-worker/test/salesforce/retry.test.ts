import { backoffDelay } from '../../src/util/backoff.ts';
import { isRetryable, SfHttpError, withRetry } from '../../src/salesforce/retry.ts';

describe('retry and backoff', () => {
    it('uses full jitter under an exponential ceiling with a cap', () => {
        expect(backoffDelay(0, { baseMs: 100, capMs: 1000, random: () => 0.999 })).toBe(99);
        expect(backoffDelay(3, { baseMs: 100, capMs: 1000, random: () => 0.5 })).toBe(400);
        expect(backoffDelay(10, { baseMs: 100, capMs: 1000, random: () => 0.999 })).toBe(999);
        expect(backoffDelay(2, { baseMs: 100, capMs: 1000, random: () => 0 })).toBe(0);
    });

    it('retries 5xx, timeouts, resets and concurrency limits, not the rest', () => {
        expect(isRetryable(new SfHttpError(503, 'SERVER_UNAVAILABLE', ''))).toBe(true);
        expect(
            isRetryable(
                new SfHttpError(
                    403,
                    'REQUEST_LIMIT_EXCEEDED',
                    'ConcurrentPerOrgLongTxn Limit exceeded'
                )
            )
        ).toBe(true);
        expect(
            isRetryable(
                new SfHttpError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
            )
        ).toBe(false);
        expect(isRetryable(new SfHttpError(400, 'MALFORMED_QUERY', ''))).toBe(false);
        expect(
            isRetryable(
                Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })
            )
        ).toBe(true);
        expect(isRetryable(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    });

    it('gives up after the configured retries and waits between attempts', async () => {
        const waits: number[] = [];
        let calls = 0;
        const op = () => {
            calls++;
            return Promise.reject(new SfHttpError(500, 'UNKNOWN_EXCEPTION', 'boom'));
        };
        await expect(
            withRetry(op, {
                retries: 3,
                baseMs: 10,
                capMs: 100,
                random: () => 1,
                sleep: async (ms) => void waits.push(ms)
            })
        ).rejects.toThrow('boom');
        expect(calls).toBe(4);
        expect(waits).toEqual([10, 20, 40]);
        let n = 0;
        const ok = await withRetry(
            async () => (++n < 3 ? Promise.reject(new SfHttpError(502, 'X', '')) : 'done'),
            { retries: 5, baseMs: 1, capMs: 1, sleep: async () => {} }
        );
        expect(ok).toBe('done');
    });
});
