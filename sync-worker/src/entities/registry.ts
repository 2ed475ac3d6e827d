// The entities the worker syncs, in load order, and which of them a run syncs: the requested
// ones (each must be provided by a source) or every entity the sources provide.
import { ConfigError } from '../config/errors.ts';
import type { RegistrySource } from '../sources/types.ts';
import { CONSENTS } from './consents/spec.ts';
import { CONTENT } from './content/spec.ts';
import { ORGANIZATIONS } from './organizations.ts';
import { PROFESSIONALS } from './professionals/spec.ts';
import type { Entity, EntityName } from './types.ts';

export const ENTITIES: readonly Entity[] = [ORGANIZATIONS, PROFESSIONALS, CONSENTS, CONTENT];

/**
 * The entities of a run: the requested ones (each must be provided by a source: a ConfigError,
 * exit 2, otherwise), or every entity the sources provide.
 */
export async function resolveEntities(
    source: RegistrySource,
    requested: readonly EntityName[] | undefined
): Promise<EntityName[]> {
    const provided: EntityName[] = [];
    for (const entity of ENTITIES)
        if (await source.has(entity.requires)) provided.push(entity.name);
    if (!requested?.length) {
        if (!provided.length) throw new ConfigError('the sources provide nothing to synchronise');
        return provided;
    }
    const missing = requested.filter((name) => !provided.includes(name));
    if (missing.length) {
        throw new ConfigError(
            `--entities ${missing.join(',')}: not provided by ${source.description} (consents need Consent resources, content a content:<dir> source)`
        );
    }
    return [...requested];
}

/** The entities named, in load order. */
export function entitiesOf(names: readonly EntityName[]): Entity[] {
    return ENTITIES.filter((entity) => names.includes(entity.name)).sort(
        (a, b) => a.loadOrder - b.loadOrder
    );
}
