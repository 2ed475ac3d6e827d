// `fhir:<baseUrl>`: FHIR REST search with Bundle paging (link next), _count,
// `_lastUpdated=gt<watermark>` for incremental runs, bearer token, retries.
import { isNetworkFailure, retryWithBackoff, type RetryOptions } from '../util/backoff.ts';
import { HttpStatusError } from '../util/http-error.ts';
import type { ReadOptions, RegistrySource, ResourceType } from './types.ts';

export interface FhirSourceOptions {
    token?: string;
    pageSize: number;
    retry: RetryOptions;
    timeoutMs: number;
}

/** A FHIR server's error answer (errorCode `FHIR_HTTP_<status>`). */
export class FhirHttpError extends HttpStatusError {
    constructor(status: number, message: string) {
        super(status, `FHIR_HTTP_${status}`, message);
        this.name = 'FhirHttpError';
    }
}

/** 5xx, 408, 429 and network failures are retried; other answers are final. */
export function isRetryableFhir(err: unknown): boolean {
    if (err instanceof HttpStatusError)
        return err.status >= 500 || err.status === 408 || err.status === 429;
    return isNetworkFailure(err);
}

interface Bundle {
    resourceType: 'Bundle';
    link?: Array<{ relation: string; url: string }>;
    entry?: Array<{ resource?: unknown; search?: { mode?: string } }>;
}

export class FhirSource implements RegistrySource {
    readonly baseUrl: string;
    readonly description: string;
    readonly filtersSince = true;
    private readonly options: FhirSourceOptions;

    constructor(baseUrl: string, options: FhirSourceOptions) {
        this.baseUrl = baseUrl.replace(/\/+$/, '');
        this.description = `fhir:${this.baseUrl.replace(/\/\/[^@/]*@/, '//')}`;
        this.options = options;
    }

    private async page(url: string): Promise<Bundle> {
        return retryWithBackoff(
            async () => {
                const response = await fetch(url, {
                    headers: {
                        Accept: 'application/fhir+json',
                        ...(this.options.token
                            ? { Authorization: `Bearer ${this.options.token}` }
                            : {})
                    },
                    signal: AbortSignal.timeout(this.options.timeoutMs)
                });
                if (!response.ok) throw new FhirHttpError(response.status, `FHIR search failed`);
                return (await response.json()) as Bundle;
            },
            this.options.retry,
            isRetryableFhir
        );
    }

    private async *search(type: ResourceType, params: URLSearchParams): AsyncIterable<unknown> {
        let url: string | undefined = `${this.baseUrl}/${type}?${params}`;
        while (url) {
            const bundle = await this.page(url);
            for (const e of bundle.entry ?? []) {
                if (e.resource && (e.search?.mode ?? 'match') === 'match') yield e.resource;
            }
            url = bundle.link?.find((l) => l.relation === 'next')?.url;
        }
    }

    async has(type: ResourceType): Promise<boolean> {
        return type !== 'LearningContent';
    }

    async *read(type: ResourceType, opts: ReadOptions = {}): AsyncIterable<unknown> {
        if (opts.ids) {
            for (let i = 0; i < opts.ids.length; i += 50) {
                const p = new URLSearchParams({
                    _id: opts.ids.slice(i, i + 50).join(','),
                    _count: String(this.options.pageSize)
                });
                yield* this.search(type, p);
            }
            return;
        }
        const p = new URLSearchParams({ _count: String(this.options.pageSize) });
        if (opts.since) p.set('_lastUpdated', `gt${opts.since}`);
        yield* this.search(type, p);
    }
}
