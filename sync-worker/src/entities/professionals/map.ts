// A registry Practitioner with its best role -> a Contact (docs/anagrafe-contract.md). Pure:
// no I/O, no clock.
import { normalizeFiscalCode, validateFiscalCode } from '../../domain/fiscal-code.ts';
import { maskFiscalCode } from '../../domain/mask.ts';
import { isoInstant } from '../../util/instant.ts';
import { parseWith } from '../../util/validation.ts';
import type { SfRecord } from '../../salesforce/record.ts';
import { resourcePosition } from '../../sources/raw-resource.ts';
import { SYSTEM_FISCAL_CODE } from '../codes.ts';
import { isPlainPractitioner, PractitionerSchema, type Practitioner } from '../fhir-schemas.ts';
import type { MapResult } from '../types.ts';
import { CONTACT_FIELDS, ORGANIZATION_COLUMN } from './fields.ts';
import type { CompactRole } from './role-table.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** Normalised fiscal code of a raw (possibly invalid) Practitioner, if any. */
export function fiscalCodeOfRaw(raw: unknown): string | undefined {
    const ids = (raw as { identifier?: unknown })?.identifier;
    if (!Array.isArray(ids)) return undefined;
    const value = ids.find((i) => i?.system === SYSTEM_FISCAL_CODE)?.value;
    return typeof value === 'string' && value.trim() ? normalizeFiscalCode(value) : undefined;
}

type Rejection = Extract<MapResult, { ok: false }>;

/** The fiscal code (or the reason it is unusable) of a valid Practitioner. */
function fiscalCodeOf(
    practitioner: Practitioner,
    sourceId: string
): { fiscalCode: string } | Rejection {
    const index = practitioner.identifier.findIndex((i) => i.system === SYSTEM_FISCAL_CODE);
    const rawCode = index >= 0 ? practitioner.identifier[index].value : undefined;
    if (!rawCode || !rawCode.trim()) {
        return {
            ok: false,
            key: sourceId,
            reason: `identifier: no value with system ${SYSTEM_FISCAL_CODE}`,
            sourceId
        };
    }
    const fiscalCode = normalizeFiscalCode(rawCode);
    const check = validateFiscalCode(fiscalCode);
    if (!check.ok) {
        return {
            ok: false,
            key: maskFiscalCode(fiscalCode),
            reason: `identifier[${index}].value: fiscal code ${check.rule}`,
            sourceId
        };
    }
    return { fiscalCode };
}

/** E-mail and mobile phone, or the reason one is wrong. */
function contactDetails(
    practitioner: Practitioner
): { email: string | null; mobile: string | null } | { reason: string } {
    const telecom = practitioner.telecom ?? [];
    const emailIndex = telecom.findIndex((t) => t.system === 'email' && t.value?.trim());
    const email = emailIndex >= 0 ? telecom[emailIndex].value!.trim() : null;
    if (email !== null && !EMAIL.test(email))
        return { reason: `telecom[${emailIndex}].value: invalid e-mail address` };
    const mobile = telecom.find(
        (t) => (t.system === 'phone' || t.system === 'sms') && t.use === 'mobile' && t.value?.trim()
    );
    return { email, mobile: mobile?.value?.trim() ?? null };
}

/**
 * The role's fields. A part the role does not give or could not map is not written (the org
 * keeps its value; none on create). Without any role the role and category are cleared and the
 * Account is kept: the professional is Ceased.
 */
function roleFields(role: CompactRole | undefined): SfRecord {
    if (!role) return { FseRole__c: null, TargetCategory__c: null };
    const fields: SfRecord = {};
    if (role.role !== null) fields.FseRole__c = role.role;
    if (role.category !== null) fields.TargetCategory__c = role.category;
    if (role.orgCode) fields[ORGANIZATION_COLUMN] = role.orgCode;
    return fields;
}

/** Map one Practitioner (raw FHIR) with its best role (already mapped) to a Contact. */
export function mapPractitioner(raw: unknown, role: CompactRole | undefined): MapResult {
    const sourceId = resourcePosition(raw, 'Practitioner');
    const parsed = isPlainPractitioner(raw)
        ? { ok: true as const, value: raw }
        : parseWith(PractitionerSchema, raw);
    if (!parsed.ok) {
        const code = fiscalCodeOfRaw(raw);
        return {
            ok: false,
            key: code ? maskFiscalCode(code) : sourceId,
            reason: parsed.reason,
            sourceId,
            matchKey: code && validateFiscalCode(code).ok ? code : undefined
        };
    }
    const practitioner = parsed.value;
    const identified = fiscalCodeOf(practitioner, sourceId);
    if ('ok' in identified) return identified;
    const { fiscalCode } = identified;
    const key = maskFiscalCode(fiscalCode);
    const details = contactDetails(practitioner);
    if ('reason' in details)
        return { ok: false, key, reason: details.reason, sourceId, matchKey: fiscalCode };
    const name = practitioner.name[0];
    const given = (name.given ?? [])
        .map((g) => g.trim())
        .filter(Boolean)
        .join(' ');
    const active = practitioner.active !== false && role?.active === true;
    const record: SfRecord = {
        FiscalCode__c: fiscalCode,
        LastName: name.family.trim(),
        FirstName: given || null,
        Email: details.email,
        MobilePhone: details.mobile,
        Birthdate: practitioner.birthDate ?? null,
        RegistryStatus__c: active ? 'Active' : 'Ceased',
        // FHIR R4 makes meta optional: without it the record is treated as changed
        RegistryLastUpdated__c: isoInstant(practitioner.meta?.lastUpdated),
        ...roleFields(role)
    };
    const long = CONTACT_FIELDS.tooLong(record);
    if (long) return { ok: false, key, reason: long, sourceId, matchKey: fiscalCode };
    // the later of the two (as text: both are ISO instants or '')
    const own = record.RegistryLastUpdated__c ?? '';
    const roleUpdated = role?.updated ?? '';
    const updatedAt = roleUpdated > own ? roleUpdated : own;
    return { ok: true, key: fiscalCode, updatedAt, record, sourceId };
}
