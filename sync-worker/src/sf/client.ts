// Minimal Salesforce REST client over fetch: every call counted against the API budget,
// retried with backoff, token refreshed once on INVALID_SESSION_ID.
export type HttpBody = NonNullable<RequestInit['body']>;
import { ApiBudget } from '../budget.ts';
import { SfHttpError, withRetry, type RetryOptions } from '../retry.ts';
import type { Logger } from '../log.ts';

export interface SfClientOptions {
    instanceUrl: string;
    accessToken: string;
    apiVersion: string;
    budget: ApiBudget;
    retry: RetryOptions;
    timeoutMs: number;
    /** returns a fresh access token (sf CLI stored auth / JWT); absent for raw tokens */
    refresh?: () => Promise<string>;
    logger?: Logger;
}

export interface RequestOptions {
    body?: string | (() => HttpBody);
    contentType?: string;
    accept?: string;
    headers?: Record<string, string>;
    /** calls that may use the budget reserve (closing the run) */
    essential?: boolean;
    /** HTTP statuses that are answers, not errors (e.g. 404 on an optional read) */
    okStatuses?: number[];
}

export async function parseErrorBody(res: Response): Promise<SfHttpError> {
    const text = await res.text().catch(() => '');
    let code = `HTTP_${res.status}`;
    let message = text.slice(0, 300);
    try {
        const j = JSON.parse(text);
        const first = Array.isArray(j) ? j[0] : j;
        if (first?.errorCode) code = first.errorCode;
        else if (first?.error) code = String(first.error).toUpperCase();
        if (first?.message) message = first.message;
        else if (first?.error_description) message = first.error_description;
    } catch {
        /* not JSON */
    }
    return new SfHttpError(res.status, code, message);
}

export class SfClient {
    instanceUrl: string;
    private accessToken: string;
    readonly apiVersion: string;
    readonly budget: ApiBudget;
    private readonly o: SfClientOptions;

    constructor(o: SfClientOptions) {
        this.o = o;
        this.instanceUrl = o.instanceUrl.replace(/\/+$/, '');
        this.accessToken = o.accessToken;
        this.apiVersion = o.apiVersion;
        this.budget = o.budget;
    }

    get dataPath(): string {
        return `/services/data/v${this.apiVersion}`;
    }

    get calls(): number {
        return this.budget.calls;
    }

    /** One API call (plus retries, each counted). Returns the successful Response. */
    async request(method: string, path: string, ro: RequestOptions = {}): Promise<Response> {
        let refreshed = false;
        return withRetry(
            async () => {
                for (;;) {
                    this.budget.beforeCall(ro.essential);
                    const url = path.startsWith('http') ? path : `${this.instanceUrl}${path}`;
                    const body = typeof ro.body === 'function' ? ro.body() : ro.body;
                    const res = await fetch(url, {
                        method,
                        headers: {
                            Authorization: `Bearer ${this.accessToken}`,
                            Accept: ro.accept ?? 'application/json',
                            ...(body !== undefined
                                ? { 'Content-Type': ro.contentType ?? 'application/json' }
                                : {}),
                            ...ro.headers
                        },
                        body,
                        signal: AbortSignal.timeout(this.o.timeoutMs),
                        ...(body !== undefined && typeof body !== 'string'
                            ? { duplex: 'half' }
                            : {})
                    } as RequestInit);
                    this.budget.observe(res.headers.get('sforce-limit-info'));
                    if (res.ok || ro.okStatuses?.includes(res.status)) return res;
                    const err = await parseErrorBody(res);
                    if (res.status === 401 && this.o.refresh && !refreshed) {
                        refreshed = true;
                        this.o.logger?.info(
                            { event: 'token-refresh' },
                            'session expired, refreshing the access token'
                        );
                        this.accessToken = await this.o.refresh();
                        continue;
                    }
                    throw err;
                }
            },
            this.o.retry,
            undefined,
            (err, attempt, delay) =>
                this.o.logger?.warn(
                    {
                        event: 'retry',
                        method,
                        path: path.split('?')[0],
                        attempt: attempt + 1,
                        delayMs: delay,
                        error: describe(err)
                    },
                    'request failed, retrying'
                )
        );
    }

    async json<T = unknown>(
        method: string,
        path: string,
        body?: unknown,
        ro: RequestOptions = {}
    ): Promise<T> {
        const res = await this.request(method, path, {
            ...ro,
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await res.text();
        return (text ? JSON.parse(text) : undefined) as T;
    }
}

export function describe(err: unknown): string {
    if (err instanceof SfHttpError) return `${err.status} ${err.errorCode}`;
    const e = err as { name?: string; code?: string; cause?: { code?: string } };
    return [e?.name, e?.code ?? e?.cause?.code].filter(Boolean).join(' ') || String(err);
}
