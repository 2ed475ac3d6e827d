// Organisations: registry Organization -> Account by OrgCode__c. Few (tens to a few thousand):
// read once per run, kept in memory for the professionals' join, compared by real values.
import { parseWith } from '../util/validation.ts';
import { isoInstant } from '../util/instant.ts';
import type { SfRecord } from '../salesforce/record.ts';
import { resourcePosition } from '../sources/raw-resource.ts';
import { UnparseableResource, type RegistrySource } from '../sources/types.ts';
import { ORG_TYPES, SYSTEM_FLS, SYSTEM_ORG_CODE } from './codes.ts';
import { OrganizationSchema } from './fhir-schemas.ts';
import { field, FieldSet } from './fields.ts';
import {
    defineEntity,
    noPreparation,
    unparseableReject,
    type MapResult,
    type Organizations
} from './types.ts';

export const ACCOUNT_FIELDS = new FieldSet([
    field.text('OrgCode__c', 20),
    field.text('Name', 255),
    field.picklist('OrgType__c')
]);

export function mapOrganization(raw: unknown): MapResult & { fhirId?: string } {
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
    const typeCode = org.type?.[0]?.coding?.[0]?.code?.trim().toUpperCase();
    const record: SfRecord = {
        OrgCode__c: code,
        Name: org.name.trim(),
        OrgType__c: (ORG_TYPES as readonly string[]).includes(typeCode ?? '') ? typeCode! : 'ALTRO'
    };
    const long = ACCOUNT_FIELDS.tooLong(record);
    if (long) return { ok: false, key: code, reason: long, sourceId };
    return {
        ok: true,
        key: code,
        updatedAt: isoInstant(org.meta?.lastUpdated) ?? '',
        record,
        sourceId,
        fhirId: org.id
    };
}

/** Every Organization of the source, mapped; the codes by FHIR id for the join. */
export async function readOrganizations(source: RegistrySource): Promise<Organizations> {
    const results: MapResult[] = [];
    const codeById = new Map<string, string>();
    for await (const raw of source.read('Organization')) {
        if (raw instanceof UnparseableResource) {
            results.push(unparseableReject(raw));
            continue;
        }
        const mapped = mapOrganization(raw);
        results.push(mapped);
        if (mapped.ok && mapped.fhirId) codeById.set(mapped.fhirId, mapped.key);
    }
    return { results, codeById };
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
    maskKey: (key) => key, // organisation codes are not personal data
    prepare: noPreparation,
    async *produce(context) {
        yield* context.organizations.results;
    }
});
