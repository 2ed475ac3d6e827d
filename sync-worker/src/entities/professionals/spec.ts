// Professionals: registry Practitioner joined with its best PractitionerRole -> Contact by
// FiscalCode__c. Full runs cease Active professionals missing from the snapshot.
import { maskFiscalCode } from '../../domain/mask.ts';
import { lastUpdatedOf, resourceId } from '../../sources/raw-resource.ts';
import { UnparseableResource } from '../../sources/types.ts';
import {
    defineEntity,
    noPreparation,
    unparseableReject,
    type EntityContext,
    type MapResult,
    type Produced
} from '../types.ts';
import { CONTACT_FIELDS } from './fields.ts';
import { fiscalCodeOfRaw, mapPractitioner } from './map.ts';
import { unchangedSince } from './prefilter.ts';
import { RoleTable } from './role-table.ts';
import { readRoles, type RoleJoin } from './roles.ts';

/** `raw` mapped with its role; `id` and `fiscalCode` as resourceId and fiscalCodeOfRaw read them. */
function mapWithRole(
    context: EntityContext,
    join: RoleJoin,
    raw: unknown,
    id: string | undefined,
    fiscalCode: string | undefined
): MapResult {
    const role = id !== undefined ? join.roles.get(id) : undefined;
    const result = mapPractitioner(raw, role, fiscalCode);
    // with the subject key: SubjectKey__c and its fingerprint in every Contact written (the
    // record's key is its normalised fiscal code)
    if (result.ok && context.subjects.hasKey)
        Object.assign(result.record, context.subjects.stamp(result.key));
    return result;
}

/** Incremental runs: whether a record updated at `updated` ('' = unknown) is to be processed. */
function changedSince(updated: string, since: string): boolean {
    return updated === '' || updated > since;
}

/**
 * The practitioners joined with their role. Incremental runs skip the unchanged ones (sources
 * that do not filter by themselves: ndjson), and record in `seen` those they process.
 */
async function* readPractitioners(
    context: EntityContext,
    join: RoleJoin,
    seen: Set<string>
): AsyncIterable<Produced> {
    const since = context.since;
    const skipRaw = since ? unchangedSince(since, join.changed) : undefined;
    // the pre-scan's kept lines hold every line this read's test keeps (it adds only lines
    // naming a practitioner whose role changed): replayed instead of reading the file again
    const kept = join.practitionerLines;
    const replay = since && kept?.replayableWith(join.changed) ? kept : undefined;
    join.practitionerLines = undefined;
    for await (const raw of context.source.read('Practitioner', { since, skipRaw, replay })) {
        if (raw instanceof UnparseableResource) {
            yield unparseableReject(raw);
            continue;
        }
        const id = resourceId(raw);
        // erased in the org (tombstone): skipped before anything else, never written
        const fiscalCode = fiscalCodeOfRaw(raw);
        if (context.subjects.isErased(fiscalCode)) {
            if (since && !changedSince(lastUpdatedOf(raw), since)) continue;
            yield { ok: false, suppressed: true, matchKey: fiscalCode };
            continue;
        }
        if (since) {
            const changed =
                changedSince(lastUpdatedOf(raw), since) ||
                (id !== undefined && join.changed.has(id));
            if (!changed) continue;
            if (id !== undefined) seen.add(id);
        }
        yield mapWithRole(context, join, raw, id, fiscalCode);
    }
}

/** Incremental runs over a filtering source: practitioners whose role changed but who did not. */
async function* readRoleChangedPractitioners(
    context: EntityContext,
    join: RoleJoin,
    seen: ReadonlySet<string>
): AsyncIterable<Produced> {
    const missing = [...join.changed].filter((id) => !seen.has(id));
    if (!missing.length) return;
    for await (const raw of context.source.read('Practitioner', { ids: missing })) {
        if (raw instanceof UnparseableResource) {
            yield unparseableReject(raw);
            continue;
        }
        const fiscalCode = fiscalCodeOfRaw(raw);
        if (context.subjects.isErased(fiscalCode))
            yield { ok: false, suppressed: true, matchKey: fiscalCode };
        else yield mapWithRole(context, join, raw, resourceId(raw), fiscalCode);
    }
}

export const PROFESSIONALS = defineEntity({
    name: 'professionals',
    object: 'Contact',
    externalId: 'FiscalCode__c',
    fields: CONTACT_FIELDS,
    hashField: 'SyncHash__c',
    status: { field: 'RegistryStatus__c', active: 'Active', ceased: 'Ceased' },
    loadOrder: 20,
    targetedRead: true,
    requires: 'Practitioner',
    usesOrganizations: true,
    vocabularies: ['fseRole', 'targetCategory'],
    subjectAware: true,
    maskKey: maskFiscalCode,
    prepare: noPreparation,
    async *produce(context) {
        const join: RoleJoin = { roles: new RoleTable(), changed: new Set() };
        yield* readRoles(context, join);
        const seen = new Set<string>();
        yield* readPractitioners(context, join, seen);
        if (context.since && context.source.filtersSince)
            yield* readRoleChangedPractitioners(context, join, seen);
    }
});
