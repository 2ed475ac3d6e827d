// `fhir:<baseUrl>`: FHIR REST search with Bundle paging (link next), _count,
// `_lastUpdated=gt<watermark>` for incremental runs, bearer token, retries.
import { withRetry, SfHttpError, type RetryOptions } from '../salesforce/retry.ts';
import type { ReadOptions, RegistrySource, ResourceType } from './types.ts';

export interface FhirSourceOptions {
    token?: string;
    pageSize: number;
    retry: RetryOptions;
    timeoutMs: number;
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
    private readonly o: FhirSourceOptions;

    constructor(baseUrl: string, o: FhirSourceOptions) {
        this.baseUrl = baseUrl.replace(/\/+$/, '');
        this.description = `fhir:${this.baseUrl.replace(/\/\/[^@/]*@/, '//')}`;
        this.o = o;
    }

    private async page(url: string): Promise<Bundle> {
        return withRetry(async () => {
            const res = await fetch(url, {
                headers: {
                    Accept: 'application/fhir+json',
                    ...(this.o.token ? { Authorization: `Bearer ${this.o.token}` } : {})
                },
                signal: AbortSignal.timeout(this.o.timeoutMs)
            });
            if (!res.ok)
                throw new SfHttpError(res.status, `FHIR_HTTP_${res.status}`, `FHIR search failed`);
            return (await res.json()) as Bundle;
        }, this.o.retry);
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
                    _count: String(this.o.pageSize)
                });
                yield* this.search(type, p);
            }
            return;
        }
        const p = new URLSearchParams({ _count: String(this.o.pageSize) });
        if (opts.since) p.set('_lastUpdated', `gt${opts.since}`);
        yield* this.search(type, p);
    }
}
