// A targeted read of the org: the records whose external id is in a given set, through REST
// queries `SELECT ... WHERE <externalId> IN (...)`, the key list split so each request URL stays
// short. Incremental runs use it instead of a Bulk query of the whole object when few records
// changed: a few small calls instead of reading (and downloading) every record of the object.
import type { SfClient } from './http.ts';

export interface KeyedQueryOptions {
    /** concurrent queries */
    concurrency: number;
    /** budget for the URL-encoded key list of one query (the whole URL stays well below 16 KB) */
    maxKeyChars?: number;
}

/** A SOQL string literal: `'` and `\` escaped with a backslash. */
export function soqlString(s: string): string {
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Splits keys into IN lists whose URL-encoded length stays within `maxChars`. */
export function keyChunks(keys: Iterable<string>, maxChars: number): string[][] {
    const chunks: string[][] = [];
    let cur: string[] = [];
    let len = 0;
    for (const k of keys) {
        const n = encodeURIComponent(soqlString(k) + ',').length;
        if (cur.length && len + n > maxChars) {
            chunks.push(cur);
            cur = [];
            len = 0;
        }
        cur.push(k);
        len += n;
    }
    if (cur.length) chunks.push(cur);
    return chunks;
}

/**
 * REST query JSON as the Bulk CSV gives it: relationship fields as `Account.OrgCode__c`,
 * null as '', other values as strings; `attributes` dropped.
 */
export function flattenRecord(
    rec: Record<string, unknown>,
    prefix = '',
    out: Record<string, string> = {}
): Record<string, string> {
    for (const [k, v] of Object.entries(rec)) {
        if (k === 'attributes') continue;
        const name = prefix + k;
        if (v === null || v === undefined) out[name] = '';
        else if (typeof v === 'object')
            flattenRecord(v as Record<string, unknown>, `${name}.`, out);
        else out[name] = String(v);
    }
    return out;
}

interface QueryPage {
    records?: Array<Record<string, unknown>>;
    done?: boolean;
    nextRecordsUrl?: string;
}

/**
 * Runs `SELECT <fields> FROM <object> WHERE <keyField> IN (...)` over `keys` in chunks and hands
 * every row (flattened as in a Bulk CSV) to `onRow`. Returns the number of rows read.
 */
export async function queryByKeys(
    client: SfClient,
    select: string,
    keyField: string,
    keys: Iterable<string>,
    onRow: (row: Record<string, string>) => void,
    o: KeyedQueryOptions
): Promise<number> {
    const chunks = keyChunks(keys, o.maxKeyChars ?? 10_000);
    let rows = 0;
    let next = 0;
    const worker = async () => {
        while (next < chunks.length) {
            const chunk = chunks[next++];
            const soql = `${select} WHERE ${keyField} IN (${chunk.map(soqlString).join(',')})`;
            let page = await client.json<QueryPage>(
                'GET',
                `${client.dataPath}/query?q=${encodeURIComponent(soql)}`
            );
            for (;;) {
                for (const r of page?.records ?? []) {
                    onRow(flattenRecord(r));
                    rows++;
                }
                if (page?.done !== false || !page.nextRecordsUrl) break;
                page = await client.json<QueryPage>('GET', page.nextRecordsUrl);
            }
        }
    };
    await Promise.all(
        Array.from({ length: Math.max(1, Math.min(o.concurrency, chunks.length)) }, worker)
    );
    return rows;
}
