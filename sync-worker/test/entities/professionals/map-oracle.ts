// The Practitioner mapping as it was before issue 22, stop 26 (main 4a13e51), kept as the oracle
// of map-equivalence.test.ts: mapPractitioner, fiscalCodeOfRaw, validateFiscalCode (its RegExp
// form), FieldSet.tooLong (its walk of every field), isPlainPractitioner and the instants
// (isCanonicalInstant by character codes, isoOfTime by concatenation, isoInstant), copied
// unchanged but for their names and imports. The helpers the change did not touch
// (maskFiscalCode, checkCharacter, normalizeFiscalCode, parseWith, the zod schema) are imported.
import { checkCharacter, normalizeFiscalCode } from '../../../src/domain/fiscal-code.ts';
import { maskFiscalCode } from '../../../src/domain/mask.ts';
import { SYSTEM_FISCAL_CODE } from '../../../src/entities/codes.ts';
import type { Field } from '../../../src/entities/fields.ts';
import { PractitionerSchema, type Practitioner } from '../../../src/entities/fhir-schemas.ts';
import { CONTACT_FIELDS, ORGANIZATION_COLUMN } from '../../../src/entities/professionals/fields.ts';
import type { CompactRole } from '../../../src/entities/professionals/role-table.ts';
import type { MapResult } from '../../../src/entities/types.ts';
import type { SfRecord } from '../../../src/salesforce/record.ts';
import { resourcePosition } from '../../../src/sources/raw-resource.ts';
import { parseWith } from '../../../src/util/validation.ts';
import { z } from 'zod';

// --- util/instant.ts ---

const DIGIT = (text: string, at: number): number => text.charCodeAt(at) - 48;

/** Two digits at `at` as a number, or -1 when they are not digits. */
function twoDigits(text: string, at: number): number {
    const a = DIGIT(text, at);
    const b = DIGIT(text, at + 1);
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysIn(year: number, month: number): number {
    if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether `value` is an instant exactly as `toISOString()` writes it (`2025-08-05T10:13:08.000Z`,
 * a real calendar date and time): parsing it and writing it back gives it unchanged, so the
 * common case skips Date.parse and toISOString.
 */
export function oldIsCanonicalInstant(value: string): boolean {
    if (value.length !== 24) return false;
    const c = (i: number) => value.charCodeAt(i);
    // - - T : : . Z
    if (c(4) !== 45 || c(7) !== 45 || c(10) !== 84 || c(13) !== 58 || c(16) !== 58) return false;
    if (c(19) !== 46 || c(23) !== 90) return false;
    const century = twoDigits(value, 0);
    const yy = twoDigits(value, 2);
    const month = twoDigits(value, 5);
    const day = twoDigits(value, 8);
    const hour = twoDigits(value, 11);
    const minute = twoDigits(value, 14);
    const second = twoDigits(value, 17);
    const ms = twoDigits(value, 20);
    const lastMs = DIGIT(value, 22);
    if (century < 0 || yy < 0 || ms < 0 || lastMs < 0 || lastMs > 9) return false;
    if (month < 1 || month > 12 || day < 1 || day > daysIn(century * 100 + yy, month)) return false;
    return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(time).toISOString()` for a time in ms, built by hand for the years 0-9999 (twice as
 * fast; the same text, proven against toISOString in the tests).
 */
export function oldIsoOfTime(time: number): string {
    if (!(time >= -62167219200000 && time < 253402300800000) || !Number.isInteger(time))
        return new Date(time).toISOString();
    const days = Math.floor(time / 86400000);
    let rest = time - days * 86400000;
    // civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor(
        (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
    );
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const hour = Math.floor(rest / 3600000);
    rest -= hour * 3600000;
    const minute = Math.floor(rest / 60000);
    rest -= minute * 60000;
    const second = Math.floor(rest / 1000);
    const ms = rest - second * 1000;
    const yyyy =
        year < 10 ? `000${year}` : year < 100 ? `00${year}` : year < 1000 ? `0${year}` : `${year}`;
    const sss = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
    return `${yyyy}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${sss}Z`;
}

export function oldIsoInstant(value: string | null | undefined): string | null {
    if (!value) return null;
    if (oldIsCanonicalInstant(value)) return value;
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : new Date(time).toISOString();
}

// --- entities/fhir-schemas.ts (isPlainPractitioner) ---

/** The patterns zod tests for the two formats, taken from the schemas themselves. */
const INSTANT = (z.iso.datetime({ offset: true })._zod.def as { pattern: RegExp }).pattern;
const DATE = (z.iso.date()._zod.def as { pattern: RegExp }).pattern;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** Whether `v` is an array of at least `min` objects each passing `each`. */
function arrayOf(v: unknown, min: number, each: (item: Raw) => boolean): boolean {
    if (!Array.isArray(v) || v.length < min) return false;
    for (const item of v) if (!isObject(item) || !each(item)) return false;
    return true;
}

const identifierOk = (i: Raw) => optionalString(i.system) && optionalString(i.value);
const telecomOk = (t: Raw) =>
    optionalString(t.system) && optionalString(t.value) && optionalString(t.use);
function nameOk(n: Raw): boolean {
    const { family, given } = n;
    if (typeof family !== 'string' || family.trim().length < 1) return false;
    return (
        given === undefined || (Array.isArray(given) && given.every((g) => typeof g === 'string'))
    );
}
function metaOk(meta: unknown): boolean {
    if (meta === undefined) return true;
    if (!isObject(meta)) return false;
    const at = meta.lastUpdated;
    return (
        at === undefined ||
        (typeof at === 'string' && (oldIsCanonicalInstant(at) || INSTANT.test(at)))
    );
}

/**
 * Whether `raw` certainly passes PractitionerSchema, checked by hand (a fraction of zod's cost).
 * False says nothing: the caller asks zod, which decides and gives the precise reasons. True
 * means zod would accept it, and the raw resource reads as zod's output would for every element
 * the schema declares (zod's output drops the others, and trims `name[].family`, which the mapper
 * trims too). Proven against zod on generated and mutated resources
 * (sync-worker/test/entities/professionals/fast-validation.test.ts).
 */
export function oldIsPlainPractitioner(raw: unknown): raw is Practitioner {
    if (!isObject(raw) || raw.resourceType !== 'Practitioner') return false;
    if (typeof raw.id !== 'string' || raw.id.length < 1 || !metaOk(raw.meta)) return false;
    if (raw.active !== undefined && typeof raw.active !== 'boolean') return false;
    if (!arrayOf(raw.identifier, 1, identifierOk) || !arrayOf(raw.name, 1, nameOk)) return false;
    if (raw.telecom !== undefined && !arrayOf(raw.telecom, 0, telecomOk)) return false;
    const birthDate = raw.birthDate;
    return birthDate === undefined || (typeof birthDate === 'string' && DATE.test(birthDate));
}

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
    const parsed = oldIsPlainPractitioner(raw)
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
        RegistryLastUpdated__c: oldIsoInstant(practitioner.meta?.lastUpdated),
        ...roleFields(role)
    };
    const long = oldTooLong(CONTACT_FIELDS.fields, record);
    if (long) return { ok: false, key, reason: long, sourceId, matchKey: fiscalCode };
    const own = record.RegistryLastUpdated__c ?? '';
    const roleUpdated = role?.updated ?? '';
    const updatedAt = roleUpdated > own ? roleUpdated : own;
    return { ok: true, key: fiscalCode, updatedAt, record, sourceId };
}
