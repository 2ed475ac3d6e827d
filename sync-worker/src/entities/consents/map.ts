// Consents: registry FHIR Consent -> the standard Salesforce consent model (docs/domain.md,
// docs/anagrafe-contract.md "Consent"): one ContactPointTypeConsent per professional x purpose
// x channel (external id ConsentKey__c = {SubjectKey}-{purpose}-{channel}, the same key
// FseConsentService writes from the portal). Pure: no I/O.
import { z } from 'zod';
import { isoInstant } from '../../util/instant.ts';
import { parseWith } from '../../util/validation.ts';
import { parseSalesforceDateTime } from '../../salesforce/datetime.ts';
import type { SfRecord } from '../../salesforce/record.ts';
import { field, FieldSet } from '../fields.ts';

export const SYSTEM_PURPOSE = 'urn:fse2:finalita';
export const EXT_CHANNEL = 'urn:fse2:canale';
/** CaptureSource of every consent the sync writes; the portal writes 'Portale FSE'. */
export const REGISTRY_CAPTURE_SOURCE = 'Anagrafe regionale FSE';

/** Purpose codes (= Campaign.Purpose__c values) and the DataUsePurpose created for each. */
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

/** Channel codes (= Campaign.Channel__c values) and their EngagementChannelType. */
export const CHANNELS: Record<string, { name: string; contactPointType: string | null }> = {
    email: { name: 'E-mail', contactPointType: 'Email' },
    sms: { name: 'SMS', contactPointType: 'Phone' },
    phone: { name: 'Telefono', contactPointType: 'Phone' },
    push: { name: 'Notifica push', contactPointType: null }
};

/** The DataUsePurpose the sync creates for a purpose code. */
export function purposeRecord(code: string): SfRecord {
    const purpose = PURPOSES[code];
    return { Name: purpose.name, Description: purpose.description, CanDataSubjectOptOut: 'true' };
}

/** The EngagementChannelType the sync creates for a channel code. */
export function channelRecord(code: string): SfRecord {
    const channel = CHANNELS[code];
    return { Name: channel.name, ContactPointType: channel.contactPointType, IsActive: 'true' };
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

export const ConsentSchema = z.object({
    resourceType: z.literal('Consent'),
    id: z.string().min(1),
    meta: z.object({ lastUpdated: Instant }),
    status: z.enum(['active', 'inactive'], 'must be active or inactive'),
    dateTime: Instant,
    performer: z
        .array(
            z.object({
                reference: z
                    .string()
                    .regex(
                        /^Practitioner\/[A-Za-z0-9\-.]{1,64}$/,
                        'must be a Practitioner/<id> reference'
                    )
            })
        )
        .min(1),
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
    | { ok: true; consent: Consent; practitionerId: string; channel: string; purposes: string[] }
    | { ok: false; reason: string };

/** Structure and codes of one Consent (no subject lookup). */
export function parseConsent(raw: unknown): ConsentParse {
    const parsed = parseWith(ConsentSchema, raw);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    const consent = parsed.value;
    const channelIndex = (consent.extension ?? []).findIndex((e) => e.url === EXT_CHANNEL);
    const channel =
        channelIndex >= 0 ? consent.extension![channelIndex].valueCode?.trim() : undefined;
    if (!channel) return { ok: false, reason: `extension[${EXT_CHANNEL}]: required` };
    if (!CHANNELS[channel]) {
        return {
            ok: false,
            reason: `extension[${channelIndex}].valueCode: unknown channel (email, sms, phone, push)`
        };
    }
    const purposes: string[] = [];
    for (const [i, coding] of consent.provision.purpose.entries()) {
        if (coding.system !== SYSTEM_PURPOSE) continue;
        const code = coding.code?.trim() ?? '';
        if (!PURPOSES[code]) {
            return {
                ok: false,
                reason: `provision.purpose[${i}].code: unknown purpose (formazione, comunicazione, sondaggi)`
            };
        }
        if (!purposes.includes(code)) purposes.push(code);
    }
    if (!purposes.length) {
        return { ok: false, reason: `provision.purpose: no coding with system ${SYSTEM_PURPOSE}` };
    }
    return {
        ok: true,
        consent: consent,
        practitionerId: consent.performer[0].reference.slice('Practitioner/'.length),
        channel,
        purposes
    };
}

/** The ContactPointTypeConsent records of one parsed Consent for the subject `subjectKey`. */
export function consentRecords(
    parsed: Extract<ConsentParse, { ok: true }>,
    subjectKey: string
): SfRecord[] {
    const consent = parsed.consent;
    // inactive (revoked) or deny -> OptOut; never a deletion
    const status =
        consent.status === 'active' && consent.provision.type === 'permit' ? 'OptIn' : 'OptOut';
    const captured = isoInstant(consent.dateTime)!;
    return parsed.purposes.map((purpose) => ({
        ConsentKey__c: `${subjectKey}-${purpose}-${parsed.channel}`,
        Name: `${PURPOSES[purpose].name} - ${CHANNELS[parsed.channel].name}`,
        [PARTY.name]: subjectKey,
        [PURPOSE.name]: purpose,
        [CHANNEL.name]: parsed.channel,
        ContactPointType: CHANNELS[parsed.channel].contactPointType,
        PrivacyConsentStatus: status,
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
