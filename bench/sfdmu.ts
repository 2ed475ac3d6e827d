// SFDMU (the Salesforce Data Move Utility, the registry's `sfdmu` 3.7) as a peer in the sync
// benchmark: an export.json that upserts Account then Contact from CSV files by their external
// ids, the CSVs normalised the way an SFDMU user has to, and the command run through its oclif
// command class (bench/sfdmu-run.cjs).
//
// What SFDMU 3.7 does (read from node_modules/sfdmu/lib): it counts the target rows with
// `SELECT COUNT(Id) CNT FROM X`, reads the whole target (REST query up to 30,000 rows, Bulk API
// 1.0 query above: QUERY_BULK_API_THRESHOLD), matches source and target by the external id,
// compares the values field by field as strings and writes only the records that differ
// (Insert for the new ones, Update for the changed ones, through Bulk API 2.0 above 200 rows).
//
// The normalisation users need: SFDMU compares datetimes as text, and the org answers them as
// `2025-08-05T10:13:08.000+0000` through REST but `2025-08-05T10:13:08.000Z` in Bulk API CSV
// results. A CSV in the other format makes every record look changed, so every run rewrites
// every record. The CSVs here carry the format of the path SFDMU will read the target with.
import { createReadStream, createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { ACCOUNT_COLUMNS, CONTACT_COLUMNS } from './baseline-csv.ts';

/** SFDMU 3.7 reads a target through Bulk API 1.0 when it holds more rows than this. */
export const SFDMU_BULK_QUERY_THRESHOLD = 30000;
/** The Contact fields whose values are datetimes (the rest of the mapping has none). */
const DATETIME_COLUMNS = ['RegistryLastUpdated__c'];

export type DateTimeStyle = 'rest' | 'bulk';

/** Which format SFDMU will read a target of `targetRows` Contacts in. */
export function dateTimeStyle(targetRows: number): DateTimeStyle {
    return targetRows > SFDMU_BULK_QUERY_THRESHOLD ? 'bulk' : 'rest';
}

/** Copies a CSV, rewriting the datetime columns as the org will answer them. */
async function normaliseCsv(from: string, to: string, style: DateTimeStyle): Promise<number> {
    const parser = createReadStream(from).pipe(parse({ columns: true }));
    const out = createWriteStream(to, { encoding: 'utf8' });
    const writer = stringify({ header: true });
    writer.pipe(out);
    let rows = 0;
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
        for (const c of DATETIME_COLUMNS) {
            const v = row[c];
            if (!v) continue;
            const iso = new Date(v).toISOString();
            row[c] = style === 'rest' ? iso.replace('Z', '+0000') : iso;
        }
        if (!writer.write(row)) await once(writer, 'drain');
        rows++;
    }
    writer.end();
    await once(out, 'finish');
    return rows;
}

/**
 * The folder SFDMU runs in (`--path`): Account.csv and Contact.csv from the exported CSVs with
 * datetimes in `style`. export.json is written separately (it holds the org's token).
 */
export async function prepareSfdmuDir(
    csvDir: string,
    dir: string,
    style: DateTimeStyle
): Promise<void> {
    const marker = join(dir, `prepared-${style}`);
    if (existsSync(marker)) return;
    mkdirSync(dir, { recursive: true });
    await normaliseCsv(join(csvDir, 'Account.csv'), join(dir, 'Account.csv'), style);
    await normaliseCsv(join(csvDir, 'Contact.csv'), join(dir, 'Contact.csv'), style);
    writeFileSync(marker, '');
}

/** export.json: one target org, Account then Contact upserted by their external ids. */
export function writeExportJson(dir: string, org: { url: string; token: string }): void {
    const contactFields = CONTACT_COLUMNS.filter((c) => c !== 'Account.OrgCode__c');
    const script = {
        orgs: [{ name: 'target', instanceUrl: org.url, accessToken: org.token }],
        objects: [
            {
                query: `SELECT ${ACCOUNT_COLUMNS.join(', ')} FROM Account`,
                operation: 'Upsert',
                externalId: 'OrgCode__c'
            },
            {
                // AccountId is the lookup; SFDMU resolves it from the CSV's Account.OrgCode__c
                query: `SELECT ${[...contactFields, 'AccountId'].join(', ')} FROM Contact`,
                operation: 'Upsert',
                externalId: 'FiscalCode__c'
            }
        ]
    };
    writeFileSync(join(dir, 'export.json'), JSON.stringify(script, null, 2) + '\n');
}

/** Records SFDMU wrote: the "Total processed within all steps (Insert + Update): N records"
 *  line of each object. */
export function sfdmuRecordsWritten(stdout: string): number {
    const re = /Total processed within all steps \(Insert \+ Update\): (\d+) records/g;
    let n = 0;
    let seen = 0;
    for (const m of stdout.matchAll(re)) {
        n += Number(m[1]);
        seen++;
    }
    if (!seen) throw new Error('no "Total processed" line in the SFDMU output');
    return n;
}
