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
    for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as { system?: unknown; value?: unknown } | null | undefined;
        if (id?.system !== SYSTEM_FISCAL_CODE) continue;
        const value = id.value;
        if (typeof value !== 'string') return undefined;
        // blank once normalised (trimmed, upper case) exactly when blank
        return normalizeFiscalCode(value) || undefined;
    }
    return undefined;
}

type Rejection = Extract<MapResult, { ok: false }>;

/**
 * The reject of a valid Practitioner whose fiscal code (`fiscalCodeOfRaw`: the first identifier
 * with its system) is missing or unusable, undefined when the code is valid.
 */
function fiscalCodeReject(
    practitioner: Practitioner,
    fiscalCode: string | undefined,
    sourceId: string
): Rejection | undefined {
    if (fiscalCode === undefined) {
        return {
            ok: false,
            key: sourceId,
            reason: `identifier: no value with system ${SYSTEM_FISCAL_CODE}`,
            sourceId
        };
    }
    const check = validateFiscalCode(fiscalCode);
    if (check.ok) return undefined;
    const index = practitioner.identifier.findIndex((i) => i.system === SYSTEM_FISCAL_CODE);
    return {
        ok: false,
        key: maskFiscalCode(fiscalCode),
        reason: `identifier[${index}].value: fiscal code ${check.rule}`,
        sourceId
    };
}

/** The role's fields, added to `record` (in this order: the role, the category, the organisation). */
function addRoleFields(record: SfRecord, role: CompactRole | undefined): void {
    if (!role) {
        // without any role the role and category are cleared and the Account is kept
        record.FseRole__c = null;
        record.TargetCategory__c = null;
        return;
    }
    // a part the role does not give or could not map is not written (the org keeps its value;
    // none on create)
    if (role.role !== null) record.FseRole__c = role.role;
    if (role.category !== null) record.TargetCategory__c = role.category;
    if (role.orgCode) record[ORGANIZATION_COLUMN] = role.orgCode;
}

/** The given names trimmed, the blank ones left out, separated by a space ('' without any). */
function givenNames(given: readonly string[] | undefined): string {
    let out = '';
    if (!given) return out;
    for (let i = 0; i < given.length; i++) {
        const g = given[i].trim();
        if (g) out = out ? `${out} ${g}` : g;
    }
    return out;
}

/**
 * Map one Practitioner (raw FHIR) with its best role (already mapped) to a Contact. The caller
 * that has already read the raw resource's fiscal code passes it (`fiscalCodeOfRaw(raw)`).
 */
export function mapPractitioner(
    raw: unknown,
    role: CompactRole | undefined,
    fiscalCode: string | undefined = fiscalCodeOfRaw(raw)
): MapResult {
    const sourceId = resourcePosition(raw, 'Practitioner');
    let practitioner: Practitioner;
    if (isPlainPractitioner(raw)) practitioner = raw;
    else {
        const parsed = parseWith(PractitionerSchema, raw);
        if (!parsed.ok) {
            return {
                ok: false,
                key: fiscalCode ? maskFiscalCode(fiscalCode) : sourceId,
                reason: parsed.reason,
                sourceId,
                matchKey: fiscalCode && validateFiscalCode(fiscalCode).ok ? fiscalCode : undefined
            };
        }
        // zod's output holds the same identifiers (the elements the schema declares)
        practitioner = parsed.value;
        fiscalCode = fiscalCodeOfRaw(practitioner);
    }
    const unusable = fiscalCodeReject(practitioner, fiscalCode, sourceId);
    if (unusable) return unusable;
    const code = fiscalCode!;
    // e-mail (the first non-blank) and mobile phone (the first non-blank phone or sms for mobile
    // use), read in one walk of telecom
    const telecom = practitioner.telecom;
    let email: string | null = null;
    let emailIndex = -1;
    let mobile: string | null = null;
    if (telecom) {
        for (let i = 0; i < telecom.length && (email === null || mobile === null); i++) {
            const t = telecom[i];
            const system = t.system;
            if (email === null && system === 'email') {
                const value = t.value?.trim();
                if (value) {
                    email = value;
                    emailIndex = i;
                }
            } else if (
                mobile === null &&
                (system === 'phone' || system === 'sms') &&
                t.use === 'mobile'
            ) {
                const value = t.value?.trim();
                if (value) mobile = value;
            }
        }
    }
    if (email !== null && !EMAIL.test(email)) {
        return {
            ok: false,
            key: maskFiscalCode(code),
            reason: `telecom[${emailIndex}].value: invalid e-mail address`,
            sourceId,
            matchKey: code
        };
    }
    const name = practitioner.name[0];
    const given = givenNames(name.given);
    const active = practitioner.active !== false && role?.active === true;
    const record: SfRecord = {
        FiscalCode__c: code,
        LastName: name.family.trim(),
        FirstName: given || null,
        Email: email,
        MobilePhone: mobile,
        Birthdate: practitioner.birthDate ?? null,
        RegistryStatus__c: active ? 'Active' : 'Ceased',
        // FHIR R4 makes meta optional: without it the record is treated as changed
        RegistryLastUpdated__c: isoInstant(practitioner.meta?.lastUpdated)
    };
    addRoleFields(record, role);
    const long = CONTACT_FIELDS.tooLong(record);
    if (long)
        return { ok: false, key: maskFiscalCode(code), reason: long, sourceId, matchKey: code };
    // the later of the two (as text: both are ISO instants or '')
    const own = record.RegistryLastUpdated__c ?? '';
    const roleUpdated = role?.updated ?? '';
    const updatedAt = roleUpdated > own ? roleUpdated : own;
    return { ok: true, key: code, updatedAt, record, sourceId };
}
