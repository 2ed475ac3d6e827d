// Organisations: registry Organization -> Account by OrgCode__c. Few (tens to a few thousand):
// read once per run, kept in memory for the professionals' join, compared by real values.
import { parseWith } from '../util/validation.ts';
import { isoInstant } from '../util/instant.ts';
import type { SfRecord } from '../salesforce/record.ts';
import { resourcePosition } from '../sources/raw-resource.ts';
import { UnparseableResource, type RegistrySource } from '../sources/types.ts';
import { SYSTEM_FLS, SYSTEM_ORG_CODE } from './codes.ts';
import { OrganizationSchema, type Organization } from './fhir-schemas.ts';
import { field, FieldSet } from './fields.ts';
import {
    countPart,
    defineEntity,
    noPreparation,
    unparseableReject,
    type MapResult,
    type Organizations,
    type PartCounts,
    type RelatedReject
} from './types.ts';
import type { Vocabularies } from './vocabularies/load.ts';
import type { Vocabulary } from './vocabularies/vocabulary.ts';

export const ACCOUNT_FIELDS = new FieldSet([
    field.text('OrgCode__c', 20),
    field.text('Name', 255),
    field.picklist('OrgType__c')
]);

/** The organisation type: the vocabulary's value, its fallback when absent, or a part reject
 *  (OrgType__c not written) when unknown and there is no fallback. */
function orgType(
    org: Organization,
    vocabulary: Vocabulary
): { coded: boolean; value?: string; reject?: Pick<RelatedReject, 'reason' | 'hint' | 'group'> } {
    const codings = org.type?.[0]?.coding ?? [];
    const system = vocabulary.system;
    const index = system ? codings.findIndex((c) => c.system === system) : 0;
    const code = index >= 0 ? codings[index]?.code?.trim() : undefined;
    if (!code) return { coded: false, value: vocabulary.fallbackValue ?? undefined };
    const resolved = vocabulary.resolve(code);
    if (resolved.ok) return { coded: true, value: resolved.value };
    const path = `type[0].coding[${index}].code`;
    return {
        coded: true,
        reject: {
            reason: `${path}: ${resolved.reason}`,
            group: resolved.reason,
            hint: resolved.hint
        }
    };
}

export type OrganizationResult = MapResult & {
    fhirId?: string;
    /** the type could not be mapped: rejected as a part, OrgType__c not written */
    typeReject?: RelatedReject;
    /** whether the type was read (a code was there) */
    typed?: boolean;
};

export function mapOrganization(raw: unknown, vocabulary: Vocabulary): OrganizationResult {
    const sourceId = resourcePosition(raw, 'Organization');
    const parsed = parseWith(OrganizationSchema, raw);
    if (!parsed.ok) return { ok: false, key: sourceId, reason: parsed.reason, sourceId };
    const org = parsed.value;
    const identifier =
        org.identifier.find((i) => i.system === SYSTEM_ORG_CODE && i.value?.trim()) ??
        org.identifier.find((i) => i.system === SYSTEM_FLS && i.value?.trim());
    if (!identifier?.value) {
        return {
            ok: false,
            key: sourceId,
            reason: `identifier: no value with system ${SYSTEM_ORG_CODE} or ${SYSTEM_FLS}`,
            sourceId
        };
    }
    const code = identifier.value.trim();
    const type = orgType(org, vocabulary);
    const record: SfRecord = { OrgCode__c: code, Name: org.name.trim() };
    if (type.value !== undefined) record.OrgType__c = type.value;
    const long = ACCOUNT_FIELDS.tooLong(record);
    if (long) return { ok: false, key: code, reason: long, sourceId };
    const typeReject: RelatedReject | undefined = type.reject && {
        ok: false,
        key: code,
        sourceId,
        related: true,
        part: 'type',
        ...type.reject
    };
    return {
        ok: true,
        key: code,
        updatedAt: isoInstant(org.meta?.lastUpdated) ?? '',
        record,
        sourceId,
        fhirId: org.id,
        typeReject,
        typed: type.coded
    };
}

/** Every Organization of the source, mapped; the codes by FHIR id for the join. */
export async function readOrganizations(
    source: RegistrySource,
    vocabularies: Vocabularies
): Promise<Organizations> {
    const results: (MapResult | RelatedReject)[] = [];
    const codeById = new Map<string, string>();
    const parts: Record<string, PartCounts> = {};
    const vocabulary = vocabularies.get('orgType');
    for await (const raw of source.read('Organization')) {
        if (raw instanceof UnparseableResource) {
            results.push(unparseableReject(raw));
            continue;
        }
        const { typeReject, typed, ...mapped } = mapOrganization(raw, vocabulary);
        results.push(mapped as MapResult);
        if (typed) countPart(parts, 'type', typeReject !== undefined);
        if (typeReject) results.push(typeReject);
        if (mapped.ok && mapped.fhirId) codeById.set(mapped.fhirId, mapped.key);
    }
    return { results, codeById, parts };
}

export const NO_ORGANIZATIONS: Organizations = { results: [], codeById: new Map() };

export const ORGANIZATIONS = defineEntity({
    name: 'organizations',
    object: 'Account',
    externalId: 'OrgCode__c',
    fields: ACCOUNT_FIELDS,
    // Account has no SyncHash__c: organisations are few, their real values are compared
    loadOrder: 10,
    targetedRead: true,
    requires: 'Practitioner',
    usesOrganizations: true,
    vocabularies: ['orgType'],
    maskKey: (key) => key, // organisation codes are not personal data
    prepare: noPreparation,
    async *produce(context) {
        const parts = context.organizations.parts;
        if (parts && Object.keys(parts).length) context.tally.counts.parts = { ...parts };
        yield* context.organizations.results;
    }
});
