// Opening the `--source` values: `ndjson:<dir>`, `fhir:<url>`, `content:<dir>`, and several of
// them read as one source (each resource type from the first source that holds it).
import { ConfigError } from '../config/errors.ts';
import { ContentSource } from './content-dir.ts';
import { FhirSource, type FhirSourceOptions } from './fhir.ts';
import { NdjsonSource } from './ndjson.ts';
import type { ReadOptions, RegistrySource, ResourceType } from './types.ts';

/** `ndjson:<dir>`, `fhir:<baseUrl>` or `content:<dir>` -> a source; usage errors are ConfigErrors (exit 2). */
export async function openSource(spec: string, o: FhirSourceOptions): Promise<RegistrySource> {
    const i = spec.indexOf(':');
    const kind = i > 0 ? spec.slice(0, i) : '';
    const rest = i > 0 ? spec.slice(i + 1) : '';
    if ((kind === 'ndjson' || kind === 'content') && rest) {
        const s = kind === 'ndjson' ? new NdjsonSource(rest) : new ContentSource(rest);
        try {
            await s.check();
        } catch (e) {
            throw new ConfigError((e as Error).message);
        }
        return s;
    }
    if (kind === 'fhir' && /^https?:\/\//.test(rest)) return new FhirSource(rest, o);
    throw new ConfigError(
        `--source must be ndjson:<dir>, fhir:<http(s) base URL> or content:<dir> (got ${JSON.stringify(spec.slice(0, 40))})`
    );
}

/**
 * Several `--source` values as one: each resource type is read from the first source that holds
 * it. At most one registry source (ndjson:/fhir:) and one content source.
 */
export class CompositeSource implements RegistrySource {
    readonly sources: readonly RegistrySource[];
    readonly description: string;
    readonly filtersSince: boolean;
    readonly readsLines: boolean;

    constructor(sources: readonly RegistrySource[]) {
        this.sources = sources;
        this.description = sources.map((s) => s.description).join(' + ');
        this.filtersSince =
            sources.find((s) => !(s instanceof ContentSource))?.filtersSince ?? false;
        this.readsLines = sources.find((s) => !(s instanceof ContentSource))?.readsLines ?? false;
    }

    async has(type: ResourceType): Promise<boolean> {
        for (const s of this.sources) if (await s.has(type)) return true;
        return false;
    }

    async *read(type: ResourceType, opts?: ReadOptions): AsyncIterable<unknown> {
        for (const s of this.sources) {
            if (await s.has(type)) {
                yield* s.read(type, opts);
                return;
            }
        }
    }
}

export async function openSources(
    specs: readonly string[],
    o: FhirSourceOptions
): Promise<RegistrySource> {
    if (specs.length === 0) throw new ConfigError('at least one --source is required');
    const sources = await Promise.all(specs.map((s) => openSource(s, o)));
    const registries = sources.filter((s) => !(s instanceof ContentSource));
    if (registries.length > 1 || sources.length - registries.length > 1) {
        throw new ConfigError(
            '--source: give at most one registry source (ndjson:/fhir:) and one content: source'
        );
    }
    return sources.length === 1 ? sources[0] : new CompositeSource(sources);
}
