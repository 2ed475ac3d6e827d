// Consents as an entity: the org's Contacts and the registry's practitioners are read first
// (who exists, who is linked, performer id -> fiscal code), then each Consent becomes its
// ContactPointTypeConsents; prerequisites (purposes, channels, Individuals, links) before load.
import { validateFiscalCode } from '../../domain/fiscal-code.ts';
import { bulkQuery, queryByKeys } from '../../salesforce/query.ts';
import { relationshipColumn } from '../../salesforce/record.ts';
import { lastUpdatedOf, resourceId, resourcePosition } from '../../sources/raw-resource.ts';
import { UnparseableResource } from '../../sources/types.ts';
import { fiscalCodeOfRaw, mapPractitioner } from '../professionals/map.ts';
import { namesNoneOf, unchangedSince } from '../professionals/prefilter.ts';
import { defineEntity, unparseableReject, type EntityContext, type Produced } from '../types.ts';
import {
    consentCodes,
    consentRecords,
    consentUpdatedAt,
    CONSENT_FIELDS,
    maskConsentKey,
    orgConsentWins,
    parseConsent
} from './map.ts';
import { writePrerequisites, type ConsentState } from './prerequisites.ts';

const INDIVIDUAL_KEY = relationshipColumn('Individual', 'SubjectKey__c');

/**
 * The org's Contacts: who exists, whether linked to the subject's Individual. Every Contact (one
 * Bulk query), or only those with the fiscal codes `codes` (REST IN queries by key, up to
 * targetedReadMax). Fiscal codes are matched as the org matches FiscalCode__c: without case.
 */
async function readContacts(
    context: EntityContext,
    state: ConsentState,
    codes?: ReadonlySet<string>
): Promise<void> {
    const { subjects } = context;
    const org = context.org!;
    const contactLinked = new Map<string, boolean>();
    state.contactLinked = contactLinked;
    const onRow = (row: Record<string, string>) => {
        const fiscalCode = row.FiscalCode__c?.toUpperCase();
        if (!fiscalCode || subjects.isErased(fiscalCode)) return;
        const linkedTo = row[INDIVIDUAL_KEY]?.toLowerCase();
        contactLinked.set(
            fiscalCode,
            !!linkedTo && linkedTo === subjects.hash(fiscalCode).toLowerCase()
        );
    };
    const select = `SELECT FiscalCode__c, ${INDIVIDUAL_KEY} FROM Contact`;
    if (codes && codes.size <= org.targetedReadMax) {
        if (codes.size)
            await queryByKeys(org.client, select, 'FiscalCode__c', codes, onRow, {
                concurrency: org.concurrency
            });
        return;
    }
    await bulkQuery(org.client, `${select} WHERE FiscalCode__c != null`, onRow, org.bulk);
}

/**
 * performer ids -> fiscal codes, from the registry (one short string a professional); only the
 * `performers` named when given (incremental runs: other lines are not even parsed). Without an
 * org, the professionals a run would load count as known (`loaded`).
 */
async function readFiscalCodes(
    context: EntityContext,
    state: ConsentState,
    performers: ReadonlySet<string> | undefined,
    loaded: Map<string, boolean> | undefined
): Promise<void> {
    const options = performers
        ? { ids: [...performers], skipRaw: namesNoneOf(performers) }
        : undefined;
    for await (const raw of context.source.read('Practitioner', options)) {
        if (raw instanceof UnparseableResource) continue;
        const id = resourceId(raw);
        if (id === undefined || (performers && !performers.has(id))) continue;
        const fiscalCode = fiscalCodeOfRaw(raw);
        if (fiscalCode && validateFiscalCode(fiscalCode).ok)
            state.fiscalCodeById.set(id, fiscalCode);
        if (loaded && fiscalCode && mapPractitioner(raw, undefined).ok)
            loaded.set(fiscalCode, true);
    }
}

/** Incremental runs: the performers of the consents changed since the watermark (lines older
 *  than it are not parsed). */
async function changedPerformers(context: EntityContext, since: string): Promise<Set<string>> {
    const performers = new Set<string>();
    const options = { since, skipRaw: unchangedSince(since, new Set()) };
    for await (const raw of context.source.read('Consent', options)) {
        if (raw instanceof UnparseableResource) continue;
        const updated = consentUpdatedAt(raw);
        if (updated !== '' && updated <= since) continue;
        const performer = performerOf(raw);
        if (performer !== undefined) performers.add(performer);
    }
    return performers;
}

/**
 * Which professionals the org knows, whether they are linked; performer ids -> fiscal codes.
 * A full run reads every Practitioner and every Contact (one Bulk query). An incremental run
 * costs what changed (issue 14): the changed consents name their performers, only those
 * Practitioners are parsed and only their Contacts read, by key. Without an org (`fse-sync
 * validate`) the professionals a run would load count as known (a practitioner's validity does
 * not depend on its roles: their parts are rejected on their own).
 */
async function prepareConsents(context: EntityContext): Promise<ConsentState> {
    const state: ConsentState = {
        fiscalCodeById: new Map(),
        contactLinked: undefined,
        unlinked: new Map(),
        codes: consentCodes(context.vocabularies)
    };
    const performers = context.since ? await changedPerformers(context, context.since) : undefined;
    const loaded = context.org ? undefined : (state.contactLinked = new Map<string, boolean>());
    await readFiscalCodes(context, state, performers, loaded);
    if (context.org) {
        const codes = performers
            ? new Set(
                  [...state.fiscalCodeById.values()].filter((c) => !context.subjects.isErased(c))
              )
            : undefined;
        await readContacts(context, state, codes);
    }
    return state;
}

/** The Practitioner id of a raw Consent's first performer, if it is one. */
function performerOf(raw: unknown): string | undefined {
    const reference = (raw as { performer?: Array<{ reference?: unknown }> })?.performer?.[0]
        ?.reference;
    return typeof reference === 'string' && reference.startsWith('Practitioner/')
        ? reference.slice('Practitioner/'.length)
        : undefined;
}

/** One raw Consent: its records, or why it is rejected (erased subjects are suppressed). */
function* consentOf(context: EntityContext, state: ConsentState, raw: unknown): Iterable<Produced> {
    const sourceId = resourcePosition(raw, 'Consent');
    // the subject first: an erased subject is skipped before anything is said about it
    const performer = performerOf(raw);
    const fiscalCode = performer !== undefined ? state.fiscalCodeById.get(performer) : undefined;
    if (fiscalCode && context.subjects.isErased(fiscalCode)) {
        yield { ok: false, suppressed: true };
        return;
    }
    const parsed = parseConsent(raw, state.codes);
    if (!parsed.ok) {
        const { ok, reason, ...info } = parsed;
        yield { ok, key: sourceId, reason, sourceId, ...info };
        return;
    }
    const unknown = `performer[0].reference: unknown professional Practitioner/${parsed.practitionerId}`;
    if (!fiscalCode) {
        const reason = `${unknown} (not a valid professional in the registry)`;
        yield { ok: false, key: sourceId, reason, sourceId };
        return;
    }
    const linked = state.contactLinked?.get(fiscalCode);
    if (linked === undefined) {
        const reason = `${unknown} (no Contact with this fiscal code in the org)`;
        yield { ok: false, key: sourceId, reason, sourceId };
        return;
    }
    const subjectKey = context.subjects.hash(fiscalCode);
    if (!linked) state.unlinked.set(subjectKey, fiscalCode);
    // the watermark follows the registry's meta.lastUpdated, never the CaptureDate
    const watermarkAt = lastUpdatedOf(raw);
    for (const record of consentRecords(parsed, subjectKey, state.codes)) {
        const key = record.ConsentKey__c!;
        yield { ok: true, key, updatedAt: record.CaptureDate!, watermarkAt, record, sourceId };
    }
}

export const CONSENTS = defineEntity<ConsentState>({
    name: 'consents',
    object: 'ContactPointTypeConsent',
    externalId: 'ConsentKey__c',
    fields: CONSENT_FIELDS,
    // no SyncHash__c on ContactPointTypeConsent: the real values are compared
    orgFields: ['CaptureDate', 'CaptureSource'],
    orgWins: orgConsentWins,
    supersededIsHistory: true,
    // incremental runs read the org's copies of the changed consents by key, not the object
    targetedRead: true,
    loadOrder: 30,
    requires: 'Consent',
    vocabularies: ['consentPurpose', 'channel', 'consentStatus'],
    subjectAware: true,
    requiresKey: true,
    maskKey: maskConsentKey,
    prepare: prepareConsents,
    async *produce(context, state) {
        const since = context.since;
        const skipRaw = since ? unchangedSince(since, new Set()) : undefined;
        for await (const raw of context.source.read('Consent', { since, skipRaw })) {
            if (raw instanceof UnparseableResource) {
                yield unparseableReject(raw);
                continue;
            }
            // meta is optional (FHIR R4): the consent's own dateTime, else treated as changed
            const updated = consentUpdatedAt(raw);
            if (context.since && updated !== '' && updated <= context.since) continue;
            yield* consentOf(context, state, raw);
        }
    },
    prerequisites: writePrerequisites
});
