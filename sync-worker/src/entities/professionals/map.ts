// The mapping contract (docs/anagrafe-contract.md): registry FHIR resources -> Salesforce records.
// Pure functions: no I/O, no clock (the caller passes `now`).
import { normalizeFiscalCode, validateFiscalCode } from '../../domain/fiscal-code.ts';
import { maskFiscalCode } from '../../domain/mask.ts';
import {
    OrganizationSchema,
    PractitionerRoleSchema,
    PractitionerSchema,
    parseWith
} from '../fhir-schemas.ts';

export const SYSTEM_ORG_CODE = 'urn:fse2:codice-ente';
export const SYSTEM_FLS = 'http://hl7.it/sid/fls';
export const SYSTEM_FISCAL_CODE = 'http://hl7.it/sid/codiceFiscale';
export const SYSTEM_ROLE = 'urn:fse2:ruolo';
export const SYSTEM_TARGET_CATEGORY = 'urn:fse2:categoria-target';
export const ORG_TYPES = ['ATS', 'ASST', 'IRCCS', 'AREU'] as const;
/** FSE 2.0 gateway role codes for professionals (docs/domain.md). */
export const FSE_ROLES = [
    'APR',
    'AAS',
    'DRS',
    'INF',
    'FAR',
    'PSS',
    'DSA',
    'DAM',
    'OAM',
    'RSA',
    'MRP'
];

/** Values of the restricted picklist Contact.TargetCategory__c (global value set FseTargetCategory). */
export const TARGET_CATEGORIES = [
    'MMG',
    'PLS',
    'MedicoOspedaliero',
    'SpecialistaAmbulatoriale',
    'Infermiere',
    'Ostetrica',
    'TecnicoSanitario',
    'Farmacista',
    'OperatoreAccoglienza',
    'Amministrativo',
    'Dirigente',
    'Formatore'
];

/** Target text field lengths: longer values are rejected, never truncated. */
export const FIELD_LENGTHS: Record<string, number> = {
    'Account.Name': 255,
    'Account.OrgCode__c': 20,
    'Contact.LastName': 80,
    'Contact.FirstName': 40,
    'Contact.Email': 80,
    'Contact.MobilePhone': 40
};

/** A mapped record: flat field map; relationship columns use `Rel.ExtId__c` keys. */
export type SfRecord = Record<string, string | null>;

export type MapResult =
    | { ok: true; key: string; updatedAt: string; record: SfRecord; sourceId: string }
    | {
          ok: false;
          key: string;
          reason: string;
          sourceId: string;
          /** unmasked external id when known: a rejected record is still in the registry,
           *  so it must not be deactivated (kept in memory only, never reported) */
          matchKey?: string;
      };

// per object: field -> max length, built once (this runs for every record)
const LENGTHS_BY_OBJECT = new Map<string, Map<string, number>>();
function tooLong(object: string, record: SfRecord): string | undefined {
    let limits = LENGTHS_BY_OBJECT.get(object);
    if (!limits) {
        limits = new Map(
            Object.entries(FIELD_LENGTHS)
                .filter(([k]) => k.startsWith(`${object}.`))
                .map(([k, max]) => [k.slice(object.length + 1), max])
        );
        LENGTHS_BY_OBJECT.set(object, limits);
    }
    for (const field in record) {
        const max = limits.get(field);
        const value = record[field];
        if (max !== undefined && value !== null && value.length > max) {
            return `${field}: longer than ${max} characters (got ${value.length})`;
        }
    }
    return undefined;
}

function toInstant(s: string | undefined): string | null {
    if (!s) return null;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function rawId(raw: unknown, type: string): string {
    const id = (raw as { id?: unknown } | null)?.id;
    return `${type}/${typeof id === 'string' ? id : '?'}`;
}

export function mapOrganization(raw: unknown): MapResult & { fhirId?: string } {
    const sourceId = rawId(raw, 'Organization');
    const p = parseWith(OrganizationSchema, raw);
    if (!p.ok) return { ok: false, key: sourceId, reason: p.reason, sourceId };
    const org = p.value;
    const ident =
        org.identifier.find((i) => i.system === SYSTEM_ORG_CODE && i.value?.trim()) ??
        org.identifier.find((i) => i.system === SYSTEM_FLS && i.value?.trim());
    if (!ident?.value) {
        return {
            ok: false,
            key: sourceId,
            reason: `identifier: no value with system ${SYSTEM_ORG_CODE} or ${SYSTEM_FLS}`,
            sourceId
        };
    }
    const code = ident.value.trim();
    const typeCode = org.type?.[0]?.coding?.[0]?.code?.trim().toUpperCase();
    const record: SfRecord = {
        OrgCode__c: code,
        Name: org.name.trim(),
        OrgType__c: (ORG_TYPES as readonly string[]).includes(typeCode ?? '') ? typeCode! : 'ALTRO'
    };
    const long = tooLong('Account', record);
    if (long) return { ok: false, key: code, reason: long, sourceId };
    return {
        ok: true,
        key: code,
        updatedAt: toInstant(org.meta?.lastUpdated) ?? '',
        record,
        sourceId,
        fhirId: org.id
    };
}

/** What the join keeps of a practitioner's best role (bounded memory: a few short strings). */
export interface CompactRole {
    active: boolean;
    start: string; // period.start or ''
    orgId: string; // Organization FHIR id
    role: string | null;
    category: string | null;
    updated: string; // meta.lastUpdated or ''
}

export type RoleResult =
    | { ok: true; practitionerId: string; role: CompactRole }
    | { ok: false; key: string; reason: string };

export function parseRole(raw: unknown, now: string): RoleResult {
    const p = parseWith(PractitionerRoleSchema, raw);
    if (!p.ok) return { ok: false, key: rawId(raw, 'PractitionerRole'), reason: p.reason };
    const r = p.value;
    const codings = (r.code ?? []).flatMap((c) => c.coding ?? []);
    const role = codings.find((c) => c.system === SYSTEM_ROLE)?.code?.trim() ?? null;
    if (role !== null && !FSE_ROLES.includes(role)) {
        return {
            ok: false,
            key: `PractitionerRole/${r.id}`,
            reason: `code[${SYSTEM_ROLE}]: unknown FSE role code`
        };
    }
    const category = codings.find((c) => c.system === SYSTEM_TARGET_CATEGORY)?.code?.trim() ?? null;
    if (category !== null && !TARGET_CATEGORIES.includes(category)) {
        return {
            ok: false,
            key: `PractitionerRole/${r.id}`,
            reason: `code[${SYSTEM_TARGET_CATEGORY}]: unknown target category`
        };
    }
    const ended = r.period?.end ? r.period.end < now : false;
    return {
        ok: true,
        practitionerId: r.practitioner.reference.slice('Practitioner/'.length),
        role: {
            active: r.active !== false && !ended,
            start: r.period?.start ?? '',
            orgId: r.organization.reference.slice('Organization/'.length),
            role,
            category,
            updated: toInstant(r.meta?.lastUpdated) ?? ''
        }
    };
}

/** Several roles for one practitioner: active ones first, then the latest period.start. */
export function betterRole(a: CompactRole | undefined, b: CompactRole): CompactRole {
    if (!a) return b;
    if (a.active !== b.active) return a.active ? a : b;
    return b.start > a.start ? b : a;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * Map one Practitioner (raw FHIR) with its best role to a Contact.
 * `orgCodeById` maps Organization FHIR ids to their OrgCode__c.
 */
export function mapPractitioner(
    raw: unknown,
    role: CompactRole | undefined,
    orgCodeById: ReadonlyMap<string, string>
): MapResult {
    const sourceId = rawId(raw, 'Practitioner');
    const p = parseWith(PractitionerSchema, raw);
    if (!p.ok) {
        const fc = fiscalCodeOfRaw(raw);
        return {
            ok: false,
            key: fc ? maskFiscalCode(fc) : sourceId,
            reason: p.reason,
            sourceId,
            matchKey: fc && validateFiscalCode(fc).ok ? fc : undefined
        };
    }
    const pr = p.value;
    const idx = pr.identifier.findIndex((i) => i.system === SYSTEM_FISCAL_CODE);
    const rawCode = idx >= 0 ? pr.identifier[idx].value : undefined;
    if (!rawCode || !rawCode.trim()) {
        return {
            ok: false,
            key: sourceId,
            reason: `identifier: no value with system ${SYSTEM_FISCAL_CODE}`,
            sourceId
        };
    }
    const fc = normalizeFiscalCode(rawCode);
    const key = maskFiscalCode(fc);
    const check = validateFiscalCode(fc);
    if (!check.ok) {
        return {
            ok: false,
            key,
            reason: `identifier[${idx}].value: fiscal code ${check.rule}`,
            sourceId
        };
    }
    const name = pr.name[0];
    const telecom = pr.telecom ?? [];
    const emailIdx = telecom.findIndex((t) => t.system === 'email' && t.value?.trim());
    const email = emailIdx >= 0 ? telecom[emailIdx].value!.trim() : null;
    if (email !== null && !EMAIL.test(email)) {
        return {
            ok: false,
            key,
            reason: `telecom[${emailIdx}].value: invalid e-mail address`,
            sourceId,
            matchKey: fc
        };
    }
    const mobile = telecom.find(
        (t) => (t.system === 'phone' || t.system === 'sms') && t.use === 'mobile' && t.value?.trim()
    );
    let orgCode: string | null = null;
    if (role) {
        orgCode = orgCodeById.get(role.orgId) ?? null;
        if (orgCode === null) {
            return {
                ok: false,
                key,
                reason: `PractitionerRole.organization: unknown Organization/${role.orgId}`,
                sourceId,
                matchKey: fc
            };
        }
    }
    const given = (name.given ?? [])
        .map((g) => g.trim())
        .filter(Boolean)
        .join(' ');
    const active = pr.active !== false && role?.active === true;
    const record: SfRecord = {
        FiscalCode__c: fc,
        LastName: name.family.trim(),
        FirstName: given || null,
        Email: email,
        MobilePhone: mobile?.value?.trim() ?? null,
        Birthdate: pr.birthDate ?? null,
        RegistryStatus__c: active ? 'Active' : 'Ceased',
        RegistryLastUpdated__c: toInstant(pr.meta.lastUpdated),
        FseRole__c: role?.role ?? null,
        TargetCategory__c: role?.category ?? null,
        'Account.OrgCode__c': orgCode
    };
    const long = tooLong('Contact', record);
    if (long) return { ok: false, key, reason: long, sourceId, matchKey: fc };
    const updatedAt = [record.RegistryLastUpdated__c ?? '', role?.updated ?? ''].sort().pop()!;
    return { ok: true, key: fc, updatedAt, record, sourceId };
}

/** Normalised fiscal code of a raw (possibly invalid) Practitioner, if any. */
export function fiscalCodeOfRaw(raw: unknown): string | undefined {
    const ids = (raw as { identifier?: unknown })?.identifier;
    if (!Array.isArray(ids)) return undefined;
    const v = ids.find((i) => i?.system === SYSTEM_FISCAL_CODE)?.value;
    return typeof v === 'string' && v.trim() ? normalizeFiscalCode(v) : undefined;
}
