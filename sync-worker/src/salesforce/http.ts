// The Salesforce REST client over fetch: every call counted against the API budget, retried
// with backoff where repeating is safe, the token refreshed on INVALID_SESSION_ID (one refresh
// at a time for all requests); files uploaded as streams.
//
// Which requests are sent again (as jsforce's request.ts and the REST API Developer Guide's
// idempotent methods): GET, PUT, DELETE and HEAD freely; POST and PATCH only when the caller
// says the step is safe to repeat (an upsert by external id) — otherwise a request whose answer
// never came is a ReplyLostError for the caller to resolve by reading the state back. An error
// answer (5xx, 429, concurrency limit) is authoritative: the org rolled the request back, so it
// is sent again whatever the method.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type httpType from 'node:http';
import type httpsType from 'node:https';
import { pipeline } from 'node:stream/promises';
import { ApiBudget } from './budget.ts';
import { neverSent, ReplyLostError, SfHttpError, withRetry } from './retry.ts';
import type { Logger } from '../util/log.ts';
import { describeError } from '../util/http-error.ts';
import { lazy } from '../util/lazy.ts';
import type { RetryOptions } from '../util/backoff.ts';
import { retryOptions, type SyncConfig } from '../config/schema.ts';

// node:http(s) only for file uploads (Bulk API 2.0), required when the first one starts: an
// ES import of node:http evaluates its lazy getters (undici's WebSocket), and node:https loads
// TLS, about 35 ms of CPU at every start of runs that upload nothing (issue 22)
const http = lazy<typeof httpType>('node:http');
const https = lazy<typeof httpsType>('node:https');

export type HttpBody = NonNullable<RequestInit['body']>;

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
    /** upload this file as the body, streamed with back-pressure (Bulk API 2.0 CSV) */
    file?: string;
    /** sending it twice does no harm: true by default for GET, PUT, DELETE and HEAD; a POST or
     *  PATCH is resent after a lost answer only when the caller says so (upsert by external id) */
    idempotent?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'PUT', 'DELETE', 'HEAD']);

/**
 * Sends a file as the request body with node:http(s): read from disk only as fast as the socket
 * drains, with a Content-Length. fetch() read a whole 100 MB CSV into memory ahead of the upload
 * (measured at 1M records: +100 MB of RSS per concurrent job). Answers a fetch Response.
 */
async function sendFile(
    url: string,
    method: string,
    headers: Record<string, string>,
    file: string,
    timeoutMs: number
): Promise<Response> {
    const { size } = await stat(file);
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https() : http();
    return new Promise<Response>((resolve, reject) => {
        const req = lib.request(
            u,
            { method, headers: { ...headers, 'Content-Length': String(size) } },
            (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('error', reject);
                res.on('end', () => {
                    const h = new Headers();
                    for (const [k, v] of Object.entries(res.headers))
                        if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
                    const status = res.statusCode ?? 500;
                    const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
                    resolve(new Response(body, { status, headers: h }));
                });
            }
        );
        req.setTimeout(timeoutMs, () => {
            const e = new Error(`upload timed out after ${timeoutMs} ms`);
            e.name = 'TimeoutError';
            req.destroy(e);
        });
        pipeline(createReadStream(file), req).catch(reject);
        req.on('error', reject);
    });
}

export async function parseErrorBody(res: Response, path?: string): Promise<SfHttpError> {
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
    return new SfHttpError(res.status, code, message, path?.split('?')[0]);
}

export class SfClient {
    instanceUrl: string;
    private accessToken: string;
    readonly apiVersion: string;
    readonly budget: ApiBudget;
    private readonly options: SfClientOptions;
    /** the refresh in flight, shared by every request that met INVALID_SESSION_ID */
    private refreshing: Promise<void> | undefined;
    /** the org's clock (the Date header of the last answer), ms */
    serverTime: number | undefined;

    constructor(options: SfClientOptions) {
        this.options = options;
        this.instanceUrl = options.instanceUrl.replace(/\/+$/, '');
        this.accessToken = options.accessToken;
        this.apiVersion = options.apiVersion;
        this.budget = options.budget;
    }

    get dataPath(): string {
        return `/services/data/v${this.apiVersion}`;
    }

    get calls(): number {
        return this.budget.calls;
    }

    /**
     * A new access token, once for every request that met INVALID_SESSION_ID with `stale`: a
     * refresh in flight is joined, and a token already replaced is not refreshed again.
     */
    private async refreshToken(stale: string): Promise<void> {
        if (this.accessToken !== stale) return;
        this.refreshing ??= (async () => {
            try {
                this.options.logger?.info(
                    { event: 'token-refresh' },
                    'session expired, refreshing the access token'
                );
                this.accessToken = await this.options.refresh!();
            } finally {
                this.refreshing = undefined;
            }
        })();
        await this.refreshing;
    }

    /** One attempt; a POST/PATCH that is not safe to repeat and got no answer: ReplyLostError. */
    private async attempt(
        method: string,
        path: string,
        request: RequestOptions,
        idempotent: boolean
    ): Promise<Response> {
        try {
            const response = await this.send(method, path, request);
            const date = Date.parse(response.headers.get('date') ?? '');
            if (Number.isFinite(date)) this.serverTime = date;
            return response;
        } catch (err) {
            if (!idempotent && !neverSent(err)) throw new ReplyLostError(method, path, err);
            throw err;
        }
    }

    /** One API call (plus retries, each counted). Returns the successful Response. */
    async request(method: string, path: string, request: RequestOptions = {}): Promise<Response> {
        const idempotent = request.idempotent ?? SAFE_METHODS.has(method);
        let refreshed = false;
        return withRetry(
            async () => {
                for (;;) {
                    this.budget.beforeCall(request.essential);
                    const token = this.accessToken;
                    const response = await this.attempt(method, path, request, idempotent);
                    this.budget.observe(response.headers.get('sforce-limit-info'));
                    if (response.ok || request.okStatuses?.includes(response.status))
                        return response;
                    const err = await parseErrorBody(response, path);
                    if (response.status === 401 && this.options.refresh) {
                        // refreshed meanwhile by another request: just use the new token
                        if (this.accessToken !== token) continue;
                        if (!refreshed) {
                            refreshed = true;
                            await this.refreshToken(token);
                            continue;
                        }
                    }
                    throw err;
                }
            },
            this.options.retry,
            (err, attempt, delay) =>
                this.options.logger?.warn(
                    {
                        event: 'retry',
                        method,
                        path: path.split('?')[0],
                        attempt: attempt + 1,
                        delayMs: delay,
                        error: describeError(err)
                    },
                    'request failed, retrying'
                )
        );
    }

    /** One attempt: a file upload through node:http(s), anything else through fetch. */
    private async send(method: string, path: string, request: RequestOptions): Promise<Response> {
        const url = path.startsWith('http') ? path : `${this.instanceUrl}${path}`;
        const headers = {
            Authorization: `Bearer ${this.accessToken}`,
            Accept: request.accept ?? 'application/json'
        };
        if (request.file) {
            return sendFile(
                url,
                method,
                {
                    ...headers,
                    'Content-Type': request.contentType ?? 'application/octet-stream',
                    ...request.headers
                },
                request.file,
                this.options.timeoutMs
            );
        }
        const body = typeof request.body === 'function' ? request.body() : request.body;
        return fetch(url, {
            method,
            headers: {
                ...headers,
                ...(body !== undefined
                    ? { 'Content-Type': request.contentType ?? 'application/json' }
                    : {}),
                ...request.headers
            },
            body,
            signal: AbortSignal.timeout(this.options.timeoutMs),
            ...(body !== undefined && typeof body !== 'string' ? { duplex: 'half' } : {})
        } as RequestInit);
    }

    async json<T = unknown>(
        method: string,
        path: string,
        body?: unknown,
        request: RequestOptions = {}
    ): Promise<T> {
        const response = await this.request(method, path, {
            ...request,
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await response.text();
        return (text ? JSON.parse(text) : undefined) as T;
    }
}

/** The org to talk to: an instance, a token, and a way to refresh it when it can be. */
export interface OrgAuth {
    instanceUrl: string;
    accessToken: string;
    refresh?: () => Promise<string>;
}

/** A client for one run (its own API budget), configured from the run's configuration. */
export function clientFor(config: SyncConfig, auth: OrgAuth, logger?: Logger): SfClient {
    return new SfClient({
        instanceUrl: auth.instanceUrl,
        accessToken: auth.accessToken,
        refresh: auth.refresh,
        apiVersion: config.apiVersion,
        budget: new ApiBudget(config.apiBudgetShare),
        retry: retryOptions(config),
        timeoutMs: config.requestTimeoutMs,
        logger
    });
}
