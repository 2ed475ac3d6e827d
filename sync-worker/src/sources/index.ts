import { ConfigError } from '../config.ts';
import { FhirSource, type FhirSourceOptions } from './fhir.ts';
import { NdjsonSource } from './ndjson.ts';
import type { RegistrySource } from './types.ts';

/** `ndjson:<dir>` or `fhir:<baseUrl>` -> a source; usage errors are ConfigErrors (exit 2). */
export async function openSource(spec: string, o: FhirSourceOptions): Promise<RegistrySource> {
    const i = spec.indexOf(':');
    const kind = i > 0 ? spec.slice(0, i) : '';
    const rest = i > 0 ? spec.slice(i + 1) : '';
    if (kind === 'ndjson' && rest) {
        const s = new NdjsonSource(rest);
        try {
            await s.check();
        } catch (e) {
            throw new ConfigError((e as Error).message);
        }
        return s;
    }
    if (kind === 'fhir' && /^https?:\/\//.test(rest)) return new FhirSource(rest, o);
    throw new ConfigError(`--source must be ndjson:<dir> or fhir:<http(s) base URL>`);
}
