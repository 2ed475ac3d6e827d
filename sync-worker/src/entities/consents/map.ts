// Consents: registry FHIR Consent -> the standard Salesforce consent model (docs/domain.md,
// docs/anagrafe-contract.md "Consent"): one ContactPointTypeConsent per professional x purpose
// x channel (external id ConsentKey__c = {SubjectKey}-{purpose}-{channel}, the same key
// FseConsentService writes from the portal). Pure: no I/O.
import { z } from 'zod';
import { isoInstant } from '../../util/instant.ts';
import { parseWith } from '../../util/validation.ts';
import { parseSalesforceDateTime } from '../../salesforce/datetime.ts';
import type { SfRecord } from '../../salesforce/record.ts';
import { referencedId } from '../fhir-schemas.ts';
import { field, FieldSet } from '../fields.ts';
import type { RejectInfo } from '../types.ts';
import type { Vocabularies } from '../vocabularies/load.ts';
import type { Vocabulary } from '../vocabularies/vocabulary.ts';

/** CaptureSource of every consent the sync writes; the portal writes 'Portale FSE'. */
export const REGISTRY_CAPTURE_SOURCE = 'Anagrafe regionale FSE';

/**
 * Names and descriptions of the DataUsePurpose records the sync creates for the purposes it
 * knows (the portal shows them); a purpose added to Campaign.Purpose__c later is named after its
 * picklist label.
 */
export const PURPOSES: Record<string, { name: string; description: string }> = {
    formazione: {
        name: 'Formazione',
        description: 'Iscrizioni, promemoria e comunicazioni sui corsi del programma FSE 2.0'
    },
    comunicazione: {
        name: 'Comunicazione',
        description: 'Comunicazioni informative sul Fascicolo Sanitario Elettronico 2.0'
    },
    sondaggi: {
        name: 'Sondaggi',
        description: 'Questionari di gradimento e rilevazioni sul programma formativo'
    }
};

/** Names of the EngagementChannelType records of the channels the sync knows. */
export const CHANNELS: Record<string, { name: string }> = {
    email: { name: 'E-mail' },
    sms: { name: 'SMS' },
    phone: { name: 'Telefono' },
    push: { name: 'Notifica push' }
};

/** Channel value -> ContactPointType; config `vocabularies.channel.contactPointTypes` adds to it
 *  (a channel that is not here has none). */
export const CONTACT_POINT_TYPES: Readonly<Record<string, string | null>> = {
    email: 'Email',
    sms: 'Phone',
    phone: 'Phone',
    push: null
};

/** The consent vocabularies of a run (config `vocabularies`). */
export interface ConsentCodes {
    purposes: Vocabulary;
    channels: Vocabulary;
    statuses: Vocabulary;
}

export function consentCodes(vocabularies: Vocabularies): ConsentCodes {
    return {
        purposes: vocabularies.get('consentPurpose'),
        channels: vocabularies.get('channel'),
        statuses: vocabularies.get('consentStatus')
    };
}

/** The name of a purpose (DataUsePurpose.Name and the consent's Name). */
export function purposeName(codes: ConsentCodes, purpose: string): string {
    return PURPOSES[purpose]?.name ?? codes.purposes.labelOf(purpose) ?? purpose;
}

/** The name of a channel (EngagementChannelType.Name and the consent's Name). */
export function channelName(codes: ConsentCodes, channel: string): string {
    return CHANNELS[channel]?.name ?? codes.channels.labelOf(channel) ?? channel;
}

export function contactPointType(codes: ConsentCodes, channel: string): string | null {
    const configured = codes.channels.config.contactPointTypes ?? {};
    if (channel in configured) return configured[channel];
    return CONTACT_POINT_TYPES[channel] ?? null;
}

/** The DataUsePurpose the sync creates for a purpose code. */
export function purposeRecord(codes: ConsentCodes, code: string): SfRecord {
    return {
        Name: purposeName(codes, code),
        Description: PURPOSES[code]?.description ?? null,
        CanDataSubjectOptOut: 'true'
    };
}

/** The EngagementChannelType the sync creates for a channel code. */
export function channelRecord(codes: ConsentCodes, code: string): SfRecord {
    return {
        Name: channelName(codes, code),
        ContactPointType: contactPointType(codes, code),
        IsActive: 'true'
    };
}

const PARTY = field.reference('Party', 'SubjectKey__c');
const PURPOSE = field.reference('DataUsePurpose', 'PurposeCode__c');
const CHANNEL = field.reference('EngagementChannelType', 'ChannelCode__c');
/** The relationship columns of a consent record. */
export const PURPOSE_COLUMN = PURPOSE.name;
export const CHANNEL_COLUMN = CHANNEL.name;

export const CONSENT_FIELDS = new FieldSet([
    field.text('ConsentKey__c'),
    field.text('Name'),
    PARTY,
    PURPOSE,
    CHANNEL,
    field.picklist('ContactPointType'),
    field.picklist('PrivacyConsentStatus'),
    field.datetime('EffectiveFrom'),
    field.datetime('EffectiveTo'),
    field.datetime('CaptureDate'),
    field.text('CaptureSource')
]);

const Instant = z.iso.datetime({ offset: true });

/**
 * What the contract requires of a Consent, and why (FHIR R4 makes most of it optional):
 * `status` (1..1 in FHIR); `dateTime`, the capture date that orders several decisions for one
 * key and decides whether the org's later choice wins; `performer`, the professional it is
 * about; `provision.type` and `provision.purpose`, because an OptIn is never inferred and the
 * purpose is part of the key. `meta` is optional: without it the consent is treated as changed.
 */
export const ConsentSchema = z.object({
    resourceType: z.literal('Consent'),
    id: z.string().min(1),
    meta: z.object({ lastUpdated: Instant.optional() }).optional(),
    status: z.string().trim().min(1),
    dateTime: Instant,
    performer: z.array(z.object({ reference: z.string() })).min(1),
    extension: z.array(z.object({ url: z.string(), valueCode: z.string().optional() })).optional(),
    provision: z.object({
        type: z.enum(['permit', 'deny'], 'must be permit or deny'),
        period: z.object({ start: Instant.optional(), end: Instant.optional() }).optional(),
        purpose: z
            .array(z.object({ system: z.string().optional(), code: z.string().optional() }))
            .min(1)
    })
});

export type Consent = z.infer<typeof ConsentSchema>;

export type ConsentParse =
    | {
          ok: true;
          consent: Consent;
          practitionerId: string;
          /** Salesforce values: the channel, the purposes, PrivacyConsentStatus */
          channel: string;
          purposes: string[];
          status: string;
      }
    | ({ ok: false; reason: string } & RejectInfo);

/** A vocabulary miss as a reject: the reason with its path, grouped by the code. */
function missed(path: string, resolved: { reason: string; hint: string }): ConsentParse {
    return {
        ok: false,
        reason: `${path}: ${resolved.reason}`,
        group: resolved.reason,
        hint: resolved.hint
    };
}

/** The channel (extension), or why it is missing or unknown. */
function channelOf(consent: Consent, codes: ConsentCodes): string | ConsentParse {
    const url = codes.channels.system;
    const index = (consent.extension ?? []).findIndex((e) => e.url === url);
    const code = index >= 0 ? consent.extension![index].valueCode?.trim() : undefined;
    if (!code) return { ok: false, reason: `extension[${url}]: required` };
    const resolved = codes.channels.resolve(code);
    return resolved.ok ? resolved.value : missed(`extension[${index}].valueCode`, resolved);
}

/** The purposes (codings of the purpose system), or why one is unknown or none is there. */
function purposesOf(consent: Consent, codes: ConsentCodes): string[] | ConsentParse {
    const system = codes.purposes.system;
    const purposes: string[] = [];
    for (const [i, coding] of consent.provision.purpose.entries()) {
        if (coding.system !== system) continue;
        const code = coding.code?.trim();
        if (!code) return { ok: false, reason: `provision.purpose[${i}].code: required` };
        const resolved = codes.purposes.resolve(code);
        if (!resolved.ok) return missed(`provision.purpose[${i}].code`, resolved);
        if (!purposes.includes(resolved.value)) purposes.push(resolved.value);
    }
    if (!purposes.length)
        return { ok: false, reason: `provision.purpose: no coding with system ${system}` };
    return purposes;
}

/** Structure and codes of one Consent (no subject lookup). */
export function parseConsent(raw: unknown, codes: ConsentCodes): ConsentParse {
    const parsed = parseWith(ConsentSchema, raw);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    const consent = parsed.value;
    const practitionerId = referencedId(consent.performer[0].reference, 'Practitioner');
    if (practitionerId === undefined)
        return {
            ok: false,
            reason: 'performer[0].reference: must be a Practitioner/<id> reference'
        };
    const channel = channelOf(consent, codes);
    if (typeof channel !== 'string') return channel;
    const purposes = purposesOf(consent, codes);
    if (!Array.isArray(purposes)) return purposes;
    const status = codes.statuses.resolve(consent.status);
    if (!status.ok) return missed('status', status);
    // deny never gives an OptIn; inactive (revoked) maps to OptOut; never a deletion
    const value =
        status.value === 'OptIn' && consent.provision.type === 'deny' ? 'OptOut' : status.value;
    return { ok: true, consent, practitionerId, channel, purposes, status: value };
}

/** Incremental runs: the consent's own clock (meta.lastUpdated, else dateTime), '' if none. */
export function consentUpdatedAt(raw: unknown): string {
    const r = raw as { meta?: { lastUpdated?: unknown }; dateTime?: unknown } | null;
    for (const value of [r?.meta?.lastUpdated, r?.dateTime]) {
        const iso = typeof value === 'string' ? isoInstant(value) : null;
        if (iso) return iso;
    }
    return '';
}

/** The ContactPointTypeConsent records of one parsed Consent for the subject `subjectKey`. */
export function consentRecords(
    parsed: Extract<ConsentParse, { ok: true }>,
    subjectKey: string,
    codes: ConsentCodes
): SfRecord[] {
    const consent = parsed.consent;
    const captured = isoInstant(consent.dateTime)!;
    const channel = parsed.channel;
    return parsed.purposes.map((purpose) => ({
        ConsentKey__c: `${subjectKey}-${purpose}-${channel}`,
        Name: `${purposeName(codes, purpose)} - ${channelName(codes, channel)}`,
        [PARTY.name]: subjectKey,
        [PURPOSE.name]: purpose,
        [CHANNEL.name]: channel,
        ContactPointType: contactPointType(codes, channel),
        PrivacyConsentStatus: parsed.status,
        EffectiveFrom: isoInstant(consent.provision.period?.start) ?? captured,
        EffectiveTo: isoInstant(consent.provision.period?.end),
        CaptureDate: captured,
        CaptureSource: REGISTRY_CAPTURE_SOURCE
    }));
}

/**
 * A consent captured in the org (portal, agent) later than the registry's record wins: org values
 * [CaptureDate, CaptureSource].
 */
export function orgConsentWins(org: readonly string[], record: SfRecord): boolean {
    const [orgDate, orgSource] = org;
    if (!orgDate || orgSource === REGISTRY_CAPTURE_SOURCE) return false;
    const orgTime = parseSalesforceDateTime(orgDate);
    const registryTime = Date.parse(record.CaptureDate ?? '');
    return Number.isFinite(orgTime) && Number.isFinite(registryTime) && orgTime > registryTime;
}

/** `<first 8 of the subject key>…-formazione-email`: pseudonymous and short. */
export function maskConsentKey(key: string): string {
    const dash = key.indexOf('-');
    return dash > 8 ? `${key.slice(0, 8)}…${key.slice(dash)}` : key;
}
