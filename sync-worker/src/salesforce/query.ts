// Every read of the org goes through here: a REST query (one page, or every page), a targeted
// read of the records whose external id is in a set (REST `IN` queries, the key list split so
// each URL stays short), and a Bulk API 2.0 query for whole objects.
import type { SyncConfig } from '../config/schema.ts';
import type { SfClient } from './http.ts';
import { flattenRecord } from './record.ts';
import { runQueryJob, type BulkQueryOptions } from './bulk2/query.ts';

export type { BulkQueryOptions } from './bulk2/query.ts';

/** One page of a REST query's answer. */
export interface QueryPage<T> {
    records: T[];
    done: boolean;
    nextRecordsUrl?: string;
}

interface QueryAnswer<T> {
    records?: T[];
    done?: boolean;
    nextRecordsUrl?: string;
}

function queryPath(client: SfClient, soql: string): string {
    return `${client.dataPath}/query?q=${encodeURIComponent(soql)}`;
}

function pageOf<T>(answer: QueryAnswer<T> | undefined): QueryPage<T> {
    return {
        records: answer?.records ?? [],
        done: answer?.done !== false,
        nextRecordsUrl: answer?.nextRecordsUrl
    };
}

/**
 * One REST query call: the first page of the answer (up to 2,000 rows). For reads that are one
 * page by construction (LIMIT, a handful of codes); `done` says whether there is more.
 * `essential` calls may use the budget reserve (the lease, closing the run).
 */
export async function queryFirstPage<T>(
    client: SfClient,
    soql: string,
    options: { essential?: boolean } = {}
): Promise<QueryPage<T>> {
    const answer = await client.json<QueryAnswer<T>>(
        'GET',
        queryPath(client, soql),
        undefined,
        options.essential ? { essential: true } : {}
    );
    return pageOf(answer);
}

/** A REST query read to its end (nextRecordsUrl): every row to `onRecord`. Returns the count. */
export async function queryAllPages(
    client: SfClient,
    soql: string,
    onRecord: (record: Record<string, unknown>) => void
): Promise<number> {
    let page = await queryFirstPage<Record<string, unknown>>(client, soql);
    let rows = 0;
    for (;;) {
        for (const record of page.records) {
            onRecord(record);
            rows++;
        }
        if (page.done || !page.nextRecordsUrl) return rows;
        page = pageOf(
            await client.json<QueryAnswer<Record<string, unknown>>>('GET', page.nextRecordsUrl)
        );
    }
}

/** A SOQL string literal: `'` and `\` escaped with a backslash. */
export function soqlString(s: string): string {
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Splits keys into IN lists whose URL-encoded length stays within `maxChars`. */
export function keyChunks(keys: Iterable<string>, maxChars: number): string[][] {
    const chunks: string[][] = [];
    let chunk: string[] = [];
    let length = 0;
    for (const key of keys) {
        const n = encodeURIComponent(soqlString(key) + ',').length;
        if (chunk.length && length + n > maxChars) {
            chunks.push(chunk);
            chunk = [];
            length = 0;
        }
        chunk.push(key);
        length += n;
    }
    if (chunk.length) chunks.push(chunk);
    return chunks;
}

export interface KeyedQueryOptions {
    /** concurrent queries */
    concurrency: number;
    /** budget for the URL-encoded key list of one query (the whole URL stays well below 16 KB) */
    maxKeyChars?: number;
}

/**
 * Runs `<select> WHERE <keyField> IN (...)` over `keys` in chunks and hands every row
 * (flattened as in a Bulk CSV) to `onRow`. Returns the number of rows read.
 */
export async function queryByKeys(
    client: SfClient,
    select: string,
    keyField: string,
    keys: Iterable<string>,
    onRow: (row: Record<string, string>) => void,
    options: KeyedQueryOptions
): Promise<number> {
    const chunks = keyChunks(keys, options.maxKeyChars ?? 10_000);
    let rows = 0;
    let next = 0;
    const worker = async () => {
        while (next < chunks.length) {
            const chunk = chunks[next++];
            const soql = `${select} WHERE ${keyField} IN (${chunk.map(soqlString).join(',')})`;
            rows += await queryAllPages(client, soql, (record) => onRow(flattenRecord(record)));
        }
    };
    const workers = Math.max(1, Math.min(options.concurrency, chunks.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return rows;
}

/** Bulk API 2.0 query of `soql`: every row (CSV strings) to `onRow`. Returns the row count. */
export function bulkQuery(
    client: SfClient,
    soql: string,
    onRow: (row: Record<string, string>) => void,
    options: BulkQueryOptions
): Promise<number> {
    return runQueryJob(client, soql, onRow, options);
}

/** The Bulk query options of a run, from its configuration (built once per run). */
export function bulkQueryOptions(config: SyncConfig): BulkQueryOptions {
    return {
        pageSize: config.queryPageSize,
        initialMs: config.pollInitialMs,
        maxMs: config.pollMaxMs,
        timeoutMs: config.jobTimeoutMs
    };
}

/**
 * Every row of `soql` (flattened as in a Bulk CSV) to `onRow`: one REST query call when the
 * answer fits one page (up to 2,000 rows), otherwise one Bulk API 2.0 query job for the whole
 * set (a few calls plus pages, whatever the size) instead of a REST page per 2,000 rows.
 */
export async function queryRows(
    client: SfClient,
    soql: string,
    onRow: (row: Record<string, string>) => void,
    options: BulkQueryOptions
): Promise<number> {
    const first = await queryFirstPage<Record<string, unknown>>(client, soql);
    if (!first.done) return bulkQuery(client, soql, onRow, options);
    for (const record of first.records) onRow(flattenRecord(record));
    return first.records.length;
}
