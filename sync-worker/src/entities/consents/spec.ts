// Consents: registry FHIR Consent -> the standard Salesforce consent model (docs/domain.md,
// docs/anagrafe-contract.md "Consent"). One Individual per professional (SubjectKey__c = the keyed
// subject hash, LastName = a prefix of it: no fiscal code and no name on consent objects),
// Contact.IndividualId linked through the relationship column Individual.SubjectKey__c,
// DataUsePurpose / EngagementChannelType created when missing, and one ContactPointTypeConsent per
// professional x purpose x channel (external id ConsentKey__c = {SubjectKey}-{purpose}-{channel},
// the same key FseConsentService writes from the portal).
import { z } from 'zod';
import { validateFiscalCode } from '../../domain/fiscal-code.ts';
import { loadRecords, type LoadOptions } from '../../salesforce/upsert.ts';
import { fiscalCodeOfRaw, type MapResult, type SfRecord } from '../professionals/map.ts';
import { maskFiscalCode } from '../../domain/mask.ts';
import { parseWith } from '../fhir-schemas.ts';
import { bulkQuery } from '../../salesforce/bulk2/ingest.ts';
import { individualName } from '../../domain/subject-key.ts';
import { UnparseableResource } from '../../sources/types.ts';
import type { EntitySpec, ProduceContext, Produced } from '../registry.ts';

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

function iso(s: string | undefined): string | null {
    return s ? new Date(s).toISOString() : null;
}

export type ConsentParse =
    | { ok: true; consent: Consent; practitionerId: string; channel: string; purposes: string[] }
    | { ok: false; reason: string };

/** Structure and codes of one Consent (no subject lookup). */
export function parseConsent(raw: unknown): ConsentParse {
    const p = parseWith(ConsentSchema, raw);
    if (!p.ok) return { ok: false, reason: p.reason };
    const c = p.value;
    const ext = (c.extension ?? []).findIndex((e) => e.url === EXT_CHANNEL);
    const channel = ext >= 0 ? c.extension![ext].valueCode?.trim() : undefined;
    if (!channel) return { ok: false, reason: `extension[${EXT_CHANNEL}]: required` };
    if (!CHANNELS[channel]) {
        return {
            ok: false,
            reason: `extension[${ext}].valueCode: unknown channel (email, sms, phone, push)`
        };
    }
    const purposes: string[] = [];
    for (const [i, coding] of c.provision.purpose.entries()) {
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
        consent: c,
        practitionerId: c.performer[0].reference.slice('Practitioner/'.length),
        channel,
        purposes
    };
}

/** The ContactPointTypeConsent records of one parsed Consent for the subject `subjectKey`. */
export function consentRecords(
    p: Extract<ConsentParse, { ok: true }>,
    subjectKey: string
): SfRecord[] {
    const c = p.consent;
    // inactive (revoked) or deny -> OptOut; never a deletion
    const status = c.status === 'active' && c.provision.type === 'permit' ? 'OptIn' : 'OptOut';
    const captured = iso(c.dateTime)!;
    return p.purposes.map((purpose) => ({
        ConsentKey__c: `${subjectKey}-${purpose}-${p.channel}`,
        Name: `${PURPOSES[purpose].name} - ${CHANNELS[p.channel].name}`,
        'Party.SubjectKey__c': subjectKey,
        'DataUsePurpose.PurposeCode__c': purpose,
        'EngagementChannelType.ChannelCode__c': p.channel,
        ContactPointType: CHANNELS[p.channel].contactPointType,
        PrivacyConsentStatus: status,
        EffectiveFrom: iso(c.provision.period?.start) ?? captured,
        EffectiveTo: iso(c.provision.period?.end),
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
    const o = Date.parse(orgDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    const r = Date.parse(record.CaptureDate ?? '');
    return Number.isFinite(o) && Number.isFinite(r) && o > r;
}

/** `<first 8 of the subject key>…-formazione-email`: pseudonymous and short. */
export function maskConsentKey(k: string): string {
    const i = k.indexOf('-');
    return i > 8 ? `${k.slice(0, 8)}…${k.slice(i)}` : k;
}

interface ConsentState {
    /** practitioner FHIR id -> normalised fiscal code (registry) */
    fcById: Map<string, string>;
    /** fiscal code -> whether the org's Contact is linked to the subject's Individual */
    contacts: Map<string, boolean>;
    /** subjects with consents whose Contact is not linked yet: subject key -> fiscal code */
    unlinked: Map<string, string>;
}

function lastUpdatedOf(raw: unknown): string {
    const s = (raw as { meta?: { lastUpdated?: unknown } })?.meta?.lastUpdated;
    if (typeof s !== 'string') return '';
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function loadOptions(ctx: ProduceContext, dir: string): LoadOptions {
    const cfg = ctx.config;
    return {
        bulkThreshold: cfg.bulkThreshold,
        collectionSize: cfg.collectionSize,
        maxUploadBytes: cfg.maxUploadBytes,
        concurrency: cfg.concurrency,
        maxConcurrentJobs: cfg.maxConcurrentJobs,
        lockRetries: cfg.lockRetries,
        retryBaseMs: cfg.retryBaseMs,
        poll: { initialMs: cfg.pollInitialMs, maxMs: cfg.pollMaxMs, timeoutMs: cfg.jobTimeoutMs },
        tmpDir: dir,
        logger: ctx.logger
    };
}

/** Codes of `object` already in the org (one REST query: a handful of rows). */
async function existingCodes(
    ctx: ProduceContext,
    object: string,
    field: string
): Promise<Set<string>> {
    const soql = `SELECT ${field} FROM ${object} WHERE ${field} != null`;
    const res = await ctx.client.json<{ records?: Array<Record<string, string>> }>(
        'GET',
        `${ctx.client.dataPath}/query?q=${encodeURIComponent(soql)}`
    );
    return new Set((res?.records ?? []).map((r) => r[field]));
}

export const CONSENTS: EntitySpec = {
    name: 'consents',
    object: 'ContactPointTypeConsent',
    externalId: 'ConsentKey__c',
    fields: [
        'ConsentKey__c',
        'Name',
        'Party.SubjectKey__c',
        'DataUsePurpose.PurposeCode__c',
        'EngagementChannelType.ChannelCode__c',
        'ContactPointType',
        'PrivacyConsentStatus',
        'EffectiveFrom',
        'EffectiveTo',
        'CaptureDate',
        'CaptureSource'
    ],
    // no SyncHash__c on ContactPointTypeConsent: the real values are compared
    orgFields: ['CaptureDate', 'CaptureSource'],
    orgWins: orgConsentWins,
    supersededIsHistory: true,
    loadOrder: 30,
    requires: 'Consent',
    subjectAware: true,
    requiresKey: true,
    maskKey: maskConsentKey,

    async prepare(ctx) {
        const st: ConsentState = { fcById: new Map(), contacts: new Map(), unlinked: new Map() };
        ctx.state.consents = st;
        // which professionals the org knows, and whether they are linked to their Individual
        await bulkQuery(
            ctx.client,
            'SELECT FiscalCode__c, Individual.SubjectKey__c FROM Contact WHERE FiscalCode__c != null',
            (row) => {
                const fc = row.FiscalCode__c;
                if (!fc || ctx.subjects.isErased(fc)) return;
                const linkedTo = row['Individual.SubjectKey__c'];
                st.contacts.set(fc, !!linkedTo && linkedTo === ctx.subjects.hash(fc));
            },
            {
                pageSize: ctx.config.queryPageSize,
                initialMs: ctx.config.pollInitialMs,
                maxMs: ctx.config.pollMaxMs,
                timeoutMs: ctx.config.jobTimeoutMs
            }
        );
        // performer ids -> fiscal codes, from the registry (one short string a professional)
        for await (const raw of ctx.source.read('Practitioner')) {
            if (raw instanceof UnparseableResource) continue;
            const id = (raw as { id?: unknown })?.id;
            const fc = fiscalCodeOfRaw(raw);
            if (typeof id === 'string' && fc && validateFiscalCode(fc).ok) st.fcById.set(id, fc);
        }
    },

    async *produce(ctx): AsyncIterable<Produced> {
        const st = ctx.state.consents as ConsentState;
        for await (const raw of ctx.source.read('Consent', { since: ctx.since })) {
            if (raw instanceof UnparseableResource) {
                yield { ok: false, key: raw.position, reason: raw.reason, sourceId: raw.position };
                continue;
            }
            if (ctx.since && lastUpdatedOf(raw) <= ctx.since) continue;
            const rid = (raw as { id?: unknown })?.id;
            const sourceId = `Consent/${typeof rid === 'string' ? rid : '?'}`;
            // the subject first: an erased subject is skipped before anything is said about it
            const ref = (raw as { performer?: Array<{ reference?: unknown }> })?.performer?.[0]
                ?.reference;
            const pid =
                typeof ref === 'string' && ref.startsWith('Practitioner/')
                    ? ref.slice('Practitioner/'.length)
                    : undefined;
            const fc = pid !== undefined ? st.fcById.get(pid) : undefined;
            if (fc && ctx.subjects.isErased(fc)) {
                yield { ok: false, suppressed: true };
                continue;
            }
            const p = parseConsent(raw);
            if (!p.ok) {
                yield { ok: false, key: sourceId, reason: p.reason, sourceId };
                continue;
            }
            if (!fc) {
                yield {
                    ok: false,
                    key: sourceId,
                    reason: `performer[0].reference: unknown professional Practitioner/${p.practitionerId} (not a valid professional in the registry)`,
                    sourceId
                };
                continue;
            }
            const linked = st.contacts.get(fc);
            if (linked === undefined) {
                yield {
                    ok: false,
                    key: sourceId,
                    reason: `performer[0].reference: unknown professional Practitioner/${p.practitionerId} (no Contact with this fiscal code in the org)`,
                    sourceId
                };
                continue;
            }
            const subjectKey = ctx.subjects.hash(fc);
            if (!linked) st.unlinked.set(subjectKey, fc);
            for (const record of consentRecords(p, subjectKey)) {
                yield {
                    ok: true,
                    key: record.ConsentKey__c!,
                    updatedAt: record.CaptureDate!,
                    record,
                    sourceId
                } satisfies MapResult;
            }
        }
    },

    async beforeLoad(ctx, changed) {
        const st = ctx.state.consents as ConsentState;
        const counts = ctx.report.entity('consents');
        const lo = loadOptions(ctx, ctx.tmpDir);
        /** Creates the reference records (purposes, channels) the org does not have yet. */
        const createMissing = async (
            object: string,
            codeField: string,
            codes: Set<string>,
            fields: (code: string) => SfRecord
        ): Promise<void> => {
            const have = await existingCodes(ctx, object, codeField);
            const missing = [...codes].filter((c) => !have.has(c));
            if (missing.length === 0) return;
            const records: SfRecord[] = missing.map((c) => ({ [codeField]: c, ...fields(c) }));
            const s = await loadRecords(
                ctx.client,
                { object, externalId: codeField, columns: Object.keys(records[0]) },
                records,
                missing.length,
                { ...lo, bulkThreshold: Number.MAX_SAFE_INTEGER }
            );
            for (const f of s.failed)
                ctx.report.failure('consents', `${object} ${f.key}`, f.errorCode, f.message);
        };
        // 1. purposes and channels used by the records to write, created when missing
        const purposes = new Set<string>();
        const channels = new Set<string>();
        let changes = 0;
        for await (const r of changed()) {
            changes++;
            purposes.add(r['DataUsePurpose.PurposeCode__c']!);
            channels.add(r['EngagementChannelType.ChannelCode__c']!);
        }
        if (changes > 0) {
            await createMissing('DataUsePurpose', 'PurposeCode__c', purposes, (c) => ({
                Name: PURPOSES[c].name,
                Description: PURPOSES[c].description,
                CanDataSubjectOptOut: 'true'
            }));
            await createMissing('EngagementChannelType', 'ChannelCode__c', channels, (c) => ({
                Name: CHANNELS[c].name,
                ContactPointType: CHANNELS[c].contactPointType,
                IsActive: 'true'
            }));
        }
        // 2. one Individual per professional with consents, then Contact.IndividualId
        if (st.unlinked.size === 0) return;
        const n = st.unlinked.size;
        const ind = await loadRecords(
            ctx.client,
            {
                object: 'Individual',
                externalId: 'SubjectKey__c',
                columns: ['SubjectKey__c', 'LastName']
            },
            (function* () {
                for (const h of st.unlinked.keys())
                    yield { SubjectKey__c: h, LastName: individualName(h) };
            })(),
            n,
            lo
        );
        const failedSubjects = new Set<string>();
        for (const f of ind.failed) {
            failedSubjects.add(f.key);
            ctx.report.failure(
                'consents',
                `Individual ${maskConsentKey(f.key + '-')}`,
                f.errorCode,
                f.message
            );
        }
        counts.individualsWritten = n - failedSubjects.size;
        const links = [...st.unlinked].filter(([h]) => !failedSubjects.has(h));
        const link = await loadRecords(
            ctx.client,
            {
                object: 'Contact',
                externalId: 'FiscalCode__c',
                columns: ['FiscalCode__c', 'Individual.SubjectKey__c']
            },
            links.map(([h, fc]) => ({ FiscalCode__c: fc, 'Individual.SubjectKey__c': h })),
            links.length,
            lo
        );
        for (const f of link.failed) {
            counts.failed++;
            ctx.report.failure('consents', maskFiscalCode(f.key), f.errorCode, f.message);
        }
        counts.contactsLinked = links.length - link.failed.length;
    }
};
