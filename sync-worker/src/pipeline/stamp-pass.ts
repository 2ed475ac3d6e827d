// The stamp pass (docs/privacy.md, "Subject key: worker side", step 4): every Contact with a
// fiscal code whose subject key is blank or was made with another key gets SubjectKey__c and
// SubjectKeyFingerprint__c — Contacts made in the org (portal-only professionals, created by an
// officer or an agent, or before the contract), which the registry load may never touch. Updated
// by Id, never upserted: the pass cannot create a Contact. Without a stamped key an erasure of
// that professional cannot leave a tombstone and is refused (FSE_Gdpr_KeyPending).
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { Subjects } from '../domain/subject-key.ts';
import { bulkQuery, queryFirstPage, soqlString } from '../salesforce/query.ts';
import { upsertRecords, type UpsertTarget } from '../salesforce/upsert.ts';
import type { SfRecord } from '../salesforce/record.ts';
import { NdjsonWriter, readNdjson } from '../util/ndjson-file.ts';
import type { RunContext } from './context.ts';
import type { SubjectKeyCounts } from './report.ts';

/** The report entity name of the pass's failures. */
export const SUBJECT_KEYS = 'subjectKeys';

const TARGET: UpsertTarget = {
    object: 'Contact',
    externalId: 'Id',
    columns: ['Id', 'SubjectKey__c', 'SubjectKeyFingerprint__c'],
    operation: 'update'
};

/** The contract's query: Contacts with a fiscal code and a blank or mismatched key. */
export function unstampedSoql(fingerprint: string): string {
    return `SELECT Id, FiscalCode__c FROM Contact WHERE FiscalCode__c != null AND (SubjectKey__c = null OR SubjectKeyFingerprint__c != ${soqlString(fingerprint)})`;
}

interface Row {
    Id?: string;
    FiscalCode__c?: string | null;
}

/**
 * One REST query (the usual answer: nothing to stamp); when the first page is not all, one Bulk
 * query reads the rest. The keys are computed as the rows arrive and kept on disk (fiscal codes
 * are never written anywhere, nor logged), then written by Id: sObject Collections, or Bulk API
 * 2.0 from the bulk threshold on. Failures are reported by Contact Id (no personal data).
 */
export async function stampSubjectKeys(
    run: RunContext,
    subjects: Subjects
): Promise<SubjectKeyCounts> {
    const fingerprint = subjects.fingerprint!;
    const counts: SubjectKeyCounts = {
        fingerprint,
        tombstones: subjects.tombstones,
        unstamped: 0,
        stamped: 0,
        failed: 0
    };
    // the keys, not the fiscal codes, are kept until the read ends (only the first run after
    // the contract, or after a new key, finds many: ~100,000 Contacts take some 25 MB)
    const stamps: SfRecord[] = [];
    const take = (row: Row) => {
        if (!row.Id || !row.FiscalCode__c?.trim()) return;
        stamps.push({ Id: row.Id, ...subjects.stamp(row.FiscalCode__c) });
    };
    const soql = unstampedSoql(fingerprint);
    const first = await queryFirstPage<Row>(run.client, soql);
    if (first.done) first.records.forEach(take);
    else await bulkQuery(run.client, soql, take, run.bulk);
    counts.unstamped = stamps.length;
    const file = join(run.tmpDir, 'subject-stamps.ndjson');
    const out = new NdjsonWriter<SfRecord>(file);
    for (const record of stamps) await out.write(record);
    stamps.length = 0;
    await out.close();
    try {
        if (counts.unstamped === 0) return counts;
        run.logger.info(
            { event: 'stamp-pass', contacts: counts.unstamped, fingerprint, dryRun: run.dryRun },
            'stamping subject keys on Contacts'
        );
        if (run.dryRun) {
            counts.stamped = counts.unstamped;
            return counts;
        }
        const result = await upsertRecords(
            run.client,
            TARGET,
            readNdjson<SfRecord>(file),
            counts.unstamped,
            { ...run.upsert, tmpDir: join(run.tmpDir, 'stamp') }
        );
        for await (const f of result.failed)
            run.report.failure(SUBJECT_KEYS, f.key, f.errorCode, f.message, f.cause);
        counts.failed = result.failed.count;
        counts.stamped = result.sent - result.failed.count;
        await result.failed.dispose();
        return counts;
    } finally {
        await rm(file, { force: true });
    }
}
