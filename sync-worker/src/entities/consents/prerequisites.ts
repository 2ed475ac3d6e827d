// What consents need in the org before they are loaded: the purposes and channels they use
// (created when missing), one Individual per professional (SubjectKey__c, no personal data) and
// the Contact's link to it. Every write goes through the pipeline's apply step.
import { individualName } from '../../domain/subject-key.ts';
import { maskFiscalCode } from '../../domain/mask.ts';
import { queryFirstPage } from '../../salesforce/query.ts';
import { relationshipColumn, type SfRecord } from '../../salesforce/record.ts';
import type { ApplyWrite, ChangedRecords, EntityContext } from '../types.ts';
import {
    CHANNEL_COLUMN,
    channelRecord,
    maskConsentKey,
    PURPOSE_COLUMN,
    purposeRecord,
    type ConsentCodes
} from './map.ts';

/** The Contact's relationship column to its Individual. */
const INDIVIDUAL_COLUMN = relationshipColumn('Individual', 'SubjectKey__c');

/** What the consents of a run found out while producing. */
export interface ConsentState {
    /** practitioner FHIR id -> normalised fiscal code (registry) */
    fiscalCodeById: Map<string, string>;
    /** fiscal code -> whether the org's Contact is linked to the subject's Individual (without
     *  an org, `fse-sync validate`: the professionals a run would load, as linked) */
    contactLinked: Map<string, boolean> | undefined;
    /** subjects with consents whose Contact is not linked yet: subject key -> fiscal code */
    unlinked: Map<string, string>;
    /** the run's purpose, channel and status vocabularies */
    codes: ConsentCodes;
}

/** Codes of `object` already in the org (one REST query: a handful of rows). */
async function existingCodes(
    context: EntityContext,
    object: string,
    field: string
): Promise<Set<string>> {
    const soql = `SELECT ${field} FROM ${object} WHERE ${field} != null`;
    const page = await queryFirstPage<Record<string, string>>(context.org!.client, soql);
    return new Set(page.records.map((record) => record[field]));
}

/** Creates the reference records (purposes, channels) the org does not have yet. */
async function createMissing(
    context: EntityContext,
    apply: ApplyWrite,
    reference: { object: string; codeField: string; fields: (code: string) => SfRecord },
    codes: ReadonlySet<string>
): Promise<void> {
    const { object, codeField } = reference;
    const have = await existingCodes(context, object, codeField);
    const missing = [...codes].filter((code) => !have.has(code));
    if (missing.length === 0) return;
    const records: SfRecord[] = missing.map((code) => ({
        [codeField]: code,
        ...reference.fields(code)
    }));
    const failed = await apply({
        target: { object, externalId: codeField, columns: Object.keys(records[0]) },
        records,
        count: missing.length,
        collectionsOnly: true
    });
    for await (const f of failed)
        context.tally.failure(`${object} ${f.key}`, f.errorCode, f.message, f.cause);
}

/** The reference data consents point to: which column of a consent names which record. */
const REFERENCE_DATA = [
    {
        column: PURPOSE_COLUMN,
        object: 'DataUsePurpose',
        codeField: 'PurposeCode__c',
        fields: purposeRecord
    },
    {
        column: CHANNEL_COLUMN,
        object: 'EngagementChannelType',
        codeField: 'ChannelCode__c',
        fields: channelRecord
    }
] as const;

/** 1. the purposes and channels used by the records to write, created when missing */
async function createReferenceData(
    context: EntityContext,
    codes: ConsentCodes,
    changed: ChangedRecords,
    apply: ApplyWrite
): Promise<void> {
    const used = REFERENCE_DATA.map(() => new Set<string>());
    let changes = 0;
    for await (const record of changed()) {
        changes++;
        REFERENCE_DATA.forEach((reference, i) => used[i].add(record[reference.column]!));
    }
    if (changes === 0) return;
    for (const [i, reference] of REFERENCE_DATA.entries()) {
        const fields = (code: string) => reference.fields(codes, code);
        await createMissing(context, apply, { ...reference, fields }, used[i]);
    }
}

/** 2. one Individual per unlinked professional with consents; the subjects that failed */
async function writeIndividuals(
    context: EntityContext,
    state: ConsentState,
    apply: ApplyWrite
): Promise<Set<string>> {
    const count = state.unlinked.size;
    const failed = await apply({
        target: {
            object: 'Individual',
            externalId: 'SubjectKey__c',
            columns: ['SubjectKey__c', 'LastName']
        },
        records: (function* () {
            for (const subjectKey of state.unlinked.keys())
                yield { SubjectKey__c: subjectKey, LastName: individualName(subjectKey) };
        })(),
        count
    });
    const failedSubjects = new Set<string>();
    for await (const f of failed) {
        failedSubjects.add(f.key);
        context.tally.failure(
            `Individual ${maskConsentKey(f.key + '-')}`,
            f.errorCode,
            f.message,
            f.cause
        );
    }
    context.tally.counts.individualsWritten = count - failedSubjects.size;
    return failedSubjects;
}

/** 3. Contact.IndividualId of those professionals (a failed link counts as failed) */
async function linkContacts(
    context: EntityContext,
    state: ConsentState,
    apply: ApplyWrite,
    failedSubjects: ReadonlySet<string>
): Promise<void> {
    const links = [...state.unlinked].filter(([subjectKey]) => !failedSubjects.has(subjectKey));
    const failed = await apply({
        target: {
            object: 'Contact',
            externalId: 'FiscalCode__c',
            columns: ['FiscalCode__c', INDIVIDUAL_COLUMN]
        },
        records: links.map(([subjectKey, fiscalCode]) => ({
            FiscalCode__c: fiscalCode,
            [INDIVIDUAL_COLUMN]: subjectKey
        })),
        count: links.length
    });
    const counts = context.tally.counts;
    for await (const f of failed) {
        counts.failed++;
        context.tally.failure(maskFiscalCode(f.key), f.errorCode, f.message, f.cause);
    }
    counts.contactsLinked = links.length - failed.count;
}

/** The consents' prerequisites, in this order: reference data, Individuals, links. */
export async function writePrerequisites(
    context: EntityContext,
    state: ConsentState,
    changed: ChangedRecords,
    apply: ApplyWrite
): Promise<void> {
    await createReferenceData(context, state.codes, changed, apply);
    if (state.unlinked.size === 0) return;
    const failedSubjects = await writeIndividuals(context, state, apply);
    await linkContacts(context, state, apply, failedSubjects);
}
