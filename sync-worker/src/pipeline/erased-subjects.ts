// The erasure tombstones of the org (ErasureTombstone__c), read once per run before anything is
// written, so records of erased subjects are never recreated, and so the worker never runs with
// a key the tombstones were not made with (docs/privacy.md, "Subject key: worker side").
import { ConfigError } from '../config/errors.ts';
import { checkKey, keyFingerprint, Subjects } from '../domain/subject-key.ts';
import type { SfClient } from '../salesforce/http.ts';
import { bulkQuery, queryFirstPage, type BulkQueryOptions } from '../salesforce/query.ts';

/** Every tombstone: the contract's query (no filter, so none is left out). */
export const TOMBSTONE_SOQL = 'SELECT SubjectHash__c, KeyFingerprint__c FROM ErasureTombstone__c';

interface TombstoneRow {
    SubjectHash__c?: string | null;
    KeyFingerprint__c?: string | null;
}

/**
 * Read every tombstone once per run. Tombstones are usually few: one REST query call reads up to
 * 2,000; when the first page says there are more, the whole set is read with one Bulk API 2.0
 * query instead (3 calls plus pages, whatever the count). The integration user sees every
 * tombstone through View All (FSE_Sync_Integration), whoever made it.
 *
 * Refused before anything is written (ConfigError, exit 2):
 * - a key shorter than 16 characters;
 * - tombstones without a key (the run could not tell whom to skip);
 * - a tombstone whose KeyFingerprint__c is not this key's fingerprint: the org's erasures were
 *   made with another key, and with this one the sync would recreate those people. Tombstones
 *   with a blank fingerprint (made before the contract) cannot be checked.
 */
export async function loadSubjects(
    client: SfClient,
    key: string | undefined,
    bulk: BulkQueryOptions
): Promise<Subjects> {
    checkKey(key || undefined);
    const erased = new Set<string>();
    /** fingerprint -> tombstones made with it */
    const fingerprints = new Map<string, number>();
    const add = (row: TombstoneRow) => {
        const hash = row.SubjectHash__c?.trim().toLowerCase();
        if (hash) erased.add(hash);
        const fp = row.KeyFingerprint__c?.trim().toLowerCase();
        if (fp) fingerprints.set(fp, (fingerprints.get(fp) ?? 0) + 1);
    };
    const first = await queryFirstPage<TombstoneRow>(client, TOMBSTONE_SOQL);
    if (!first.done) await bulkQuery(client, TOMBSTONE_SOQL, add, bulk);
    else for (const record of first.records) add(record);
    if (!key && erased.size > 0) {
        throw new ConfigError(
            `the org has ${erased.size} erasure tombstone(s) but no subject hash key is configured: set FSE_SUBJECT_HASH_KEY (or subjectHashKey in the config) so erased professionals are not recreated; nothing was written`
        );
    }
    if (key) {
        const mine = keyFingerprint(key);
        const others = [...fingerprints].filter(([fp]) => fp !== mine);
        if (others.length) {
            const list = others.map(([fp, n]) => `${fp} (${n} tombstone${n === 1 ? '' : 's'})`);
            throw new ConfigError(
                `the org's erasure tombstones were made with another subject key: key fingerprint ${list.join(', ')} in the org, ${mine} for this worker's key (FSE_SUBJECT_HASH_KEY). With this key erased professionals would be recreated: configure the key the tombstones were made with (a key cannot be rotated in place, docs/privacy.md); nothing was written`
            );
        }
    }
    return new Subjects(key || undefined, erased);
}
