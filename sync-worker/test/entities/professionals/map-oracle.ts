// The Practitioner mapping as it was before issue 22, stop 26 (main 4a13e51), kept as the oracle
// of map-equivalence.test.ts: mapPractitioner, fiscalCodeOfRaw, validateFiscalCode (its RegExp
// form) and FieldSet.tooLong (its walk of every field), copied unchanged but for the imports.
// The helpers the change did not touch (isPlainPractitioner, isoInstant, maskFiscalCode,
// checkCharacter, normalizeFiscalCode, parseWith) are imported.
import { checkCharacter, normalizeFiscalCode } from '../../../src/domain/fiscal-code.ts';
import { maskFiscalCode } from '../../../src/domain/mask.ts';
import { SYSTEM_FISCAL_CODE } from '../../../src/entities/codes.ts';
import type { Field } from '../../../src/entities/fields.ts';
import {
    isPlainPractitioner,
    PractitionerSchema,
    type Practitioner
} from '../../../src/entities/fhir-schemas.ts';
import { CONTACT_FIELDS, ORGANIZATION_COLUMN } from '../../../src/entities/professionals/fields.ts';
import type { CompactRole } from '../../../src/entities/professionals/role-table.ts';
import type { MapResult } from '../../../src/entities/types.ts';
import type { SfRecord } from '../../../src/salesforce/record.ts';
import { resourcePosition } from '../../../src/sources/raw-resource.ts';
import { isoInstant } from '../../../src/util/instant.ts';
import { parseWith } from '../../../src/util/validation.ts';

// --- domain/fiscal-code.ts ---

const SHAPE =
    /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const OMOCODIA_LETTERS = 'LMNPQRSTUV';

function decodeDigit(ch: string): string {
    const i = OMOCODIA_LETTERS.indexOf(ch);
    return i >= 0 ? String(i) : ch;
}

export type FiscalCodeCheck = { ok: true } | { ok: false; rule: string };

export function oldValidateFiscalCode(code: string): FiscalCodeCheck {
    if (code.length !== 16)
        return { ok: false, rule: `must be 16 characters (got ${code.length})` };
    if (!SHAPE.test(code)) return { ok: false, rule: 'malformed (letters/digits in wrong places)' };
    const day = Number(decodeDigit(code[9]) + decodeDigit(code[10]));
    if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) {
        return { ok: false, rule: 'invalid day of birth' };
    }
    if (checkCharacter(code.slice(0, 15)) !== code[15]) {
        return { ok: false, rule: 'invalid check character' };
    }
    return { ok: true };
}

// --- entities/fields.ts (FieldSet.tooLong) ---

export function oldTooLong(
    fields: readonly Field[],
    record: Readonly<Record<string, string | null>>
): string | undefined {
    for (const f of fields) {
        const value = record[f.name];
        if (f.maxLength !== undefined && typeof value === 'string' && value.length > f.maxLength)
            return `${f.name}: longer than ${f.maxLength} characters (got ${value.length})`;
    }
    return undefined;
}

// --- entities/professionals/map.ts ---

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function oldFiscalCodeOfRaw(raw: unknown): string | undefined {
    const ids = (raw as { identifier?: unknown })?.identifier;
    if (!Array.isArray(ids)) return undefined;
    const value = ids.find((i) => i?.system === SYSTEM_FISCAL_CODE)?.value;
    return typeof value === 'string' && value.trim() ? normalizeFiscalCode(value) : undefined;
}

type Rejection = Extract<MapResult, { ok: false }>;

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
    const check = oldValidateFiscalCode(fiscalCode);
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

function roleFields(role: CompactRole | undefined): SfRecord {
    if (!role) return { FseRole__c: null, TargetCategory__c: null };
    const fields: SfRecord = {};
    if (role.role !== null) fields.FseRole__c = role.role;
    if (role.category !== null) fields.TargetCategory__c = role.category;
    if (role.orgCode) fields[ORGANIZATION_COLUMN] = role.orgCode;
    return fields;
}

export function oldMapPractitioner(raw: unknown, role: CompactRole | undefined): MapResult {
    const sourceId = resourcePosition(raw, 'Practitioner');
    const parsed = isPlainPractitioner(raw)
        ? { ok: true as const, value: raw }
        : parseWith(PractitionerSchema, raw);
    if (!parsed.ok) {
        const code = oldFiscalCodeOfRaw(raw);
        return {
            ok: false,
            key: code ? maskFiscalCode(code) : sourceId,
            reason: parsed.reason,
            sourceId,
            matchKey: code && oldValidateFiscalCode(code).ok ? code : undefined
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
        RegistryLastUpdated__c: isoInstant(practitioner.meta?.lastUpdated),
        ...roleFields(role)
    };
    const long = oldTooLong(CONTACT_FIELDS.fields, record);
    if (long) return { ok: false, key, reason: long, sourceId, matchKey: fiscalCode };
    const own = record.RegistryLastUpdated__c ?? '';
    const roleUpdated = role?.updated ?? '';
    const updatedAt = roleUpdated > own ? roleUpdated : own;
    return { ok: true, key: fiscalCode, updatedAt, record, sourceId };
}
