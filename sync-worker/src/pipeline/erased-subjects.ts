// The erasure tombstones of the org (ErasureTombstone__c), read once per run before anything is
// read or written, so records of erased subjects are never recreated (docs/privacy.md).
import { ConfigError } from '../config/errors.ts';
import { Subjects } from '../domain/subject-key.ts';
import type { SfClient } from '../salesforce/http.ts';
import { bulkQuery, queryFirstPage, type BulkQueryOptions } from '../salesforce/query.ts';

const TOMBSTONE_SOQL =
    'SELECT SubjectHash__c FROM ErasureTombstone__c WHERE SubjectHash__c != null';

/**
 * Read every tombstone once per run. Tombstones are usually few: one REST query call reads up to
 * 2,000; when the first page says there are more, the whole set is read with one Bulk API 2.0
 * query instead (3 calls plus pages, whatever the count). Without a key the run may go on only
 * when the org has no tombstone at all (it could not tell whom to skip): otherwise a ConfigError
 * (exit 2) before anything is written.
 */
export async function loadSubjects(
    client: SfClient,
    key: string | undefined,
    bulk: BulkQueryOptions
): Promise<Subjects> {
    const erased = new Set<string>();
    const add = (hash: string | undefined) => {
        const value = hash?.trim().toLowerCase();
        if (value) erased.add(value);
    };
    const first = await queryFirstPage<{ SubjectHash__c?: string }>(client, TOMBSTONE_SOQL);
    if (!first.done) {
        await bulkQuery(client, TOMBSTONE_SOQL, (row) => add(row.SubjectHash__c), bulk);
    } else {
        for (const record of first.records) add(record.SubjectHash__c);
    }
    if (!key && erased.size > 0) {
        throw new ConfigError(
            `the org has ${erased.size} erasure tombstone(s) but no subject hash key is configured: set FSE_SUBJECT_HASH_KEY (or subjectHashKey in the config) so erased professionals are not recreated; nothing was written`
        );
    }
    return new Subjects(key || undefined, erased);
}
