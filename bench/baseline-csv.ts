// The baseline's input: the CSV files a user would hand to `sf data upsert bulk` for the same
// registry snapshot. They are exported from the org right after our worker loaded that snapshot
// (an unmeasured preparation run), so they hold exactly the same mapped fields and values
// (docs/anagrafe-contract.md), with the relationship column Account.OrgCode__c, minus
// SyncHash__c, which only the worker uses. Exported with a Bulk API 2.0 query job, page by page.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The registry-owned Contact fields of the mapping contract (what the worker writes). */
export const CONTACT_COLUMNS = [
    'FiscalCode__c',
    'LastName',
    'FirstName',
    'Email',
    'MobilePhone',
    'Birthdate',
    'RegistryStatus__c',
    'RegistryLastUpdated__c',
    'FseRole__c',
    'TargetCategory__c',
    'Account.OrgCode__c'
];
export const ACCOUNT_COLUMNS = ['OrgCode__c', 'Name', 'OrgType__c'];

export interface OrgConnection {
    url: string;
    token: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(
    c: OrgConnection,
    method: string,
    path: string,
    body?: unknown
): Promise<Response> {
    const res = await fetch(`${c.url}/services/data/v62.0${path}`, {
        method,
        headers: {
            Authorization: `Bearer ${c.token}`,
            ...(body ? { 'Content-Type': 'application/json' } : {})
        },
        body: body ? JSON.stringify(body) : undefined
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
}

/** Writes the result of `soql` as CSV (one header line); returns the number of rows. */
export async function exportCsv(c: OrgConnection, soql: string, file: string): Promise<number> {
    const job = (await (
        await api(c, 'POST', '/jobs/query', { operation: 'query', query: soql })
    ).json()) as { id: string };
    for (;;) {
        const info = (await (await api(c, 'GET', `/jobs/query/${job.id}`)).json()) as {
            state: string;
            errorMessage?: string;
        };
        if (info.state === 'JobComplete') break;
        if (info.state === 'Failed' || info.state === 'Aborted')
            throw new Error(`query job ${info.state}: ${info.errorMessage}`);
        await sleep(100);
    }
    const out = createWriteStream(file, { encoding: 'utf8' });
    let locator = '';
    let rows = 0;
    let first = true;
    do {
        const res = await api(
            c,
            'GET',
            `/jobs/query/${job.id}/results?maxRecords=100000${locator ? `&locator=${locator}` : ''}`
        );
        rows += Number(res.headers.get('sforce-numberofrecords') ?? 0);
        locator = res.headers.get('sforce-locator') ?? 'null';
        let text = await res.text();
        if (!first) text = text.slice(text.indexOf('\n') + 1); // every page repeats the header
        first = false;
        if (!out.write(text)) await once(out, 'drain');
    } while (locator && locator !== 'null');
    out.end();
    await once(out, 'finish');
    return rows;
}

export async function exportSnapshot(
    c: OrgConnection,
    dir: string
): Promise<{ accountsCsv: string; contactsCsv: string; accounts: number; contacts: number }> {
    const accountsCsv = `${dir}/Account.csv`;
    const contactsCsv = `${dir}/Contact.csv`;
    const accounts = await exportCsv(
        c,
        `SELECT ${ACCOUNT_COLUMNS.join(', ')} FROM Account WHERE OrgCode__c != null`,
        accountsCsv
    );
    const contacts = await exportCsv(
        c,
        `SELECT ${CONTACT_COLUMNS.join(', ')} FROM Contact WHERE FiscalCode__c != null`,
        contactsCsv
    );
    return { accountsCsv, contactsCsv, accounts, contacts };
}

/**
 * Splits a CSV into files of at most `maxBytes` (each with the header), at record boundaries
 * (a line break outside quotes). The sf CLI uploads one file per job and Bulk API 2.0 refuses
 * uploads above 150 MB after base64 (about 112 MB raw), so a user has to split a large file.
 */
export async function splitCsv(file: string, maxBytes: number): Promise<string[]> {
    const { createReadStream } = await import('node:fs');
    const { createInterface } = await import('node:readline');
    const rl = createInterface({
        input: createReadStream(file, { encoding: 'utf8' }),
        crlfDelay: Infinity
    });
    const parts: string[] = [];
    let header: string | undefined;
    let out: ReturnType<typeof createWriteStream> | undefined;
    let size = 0;
    let pending = ''; // a record spanning several lines (quoted line breaks)
    const close = async () => {
        if (!out) return;
        out.end();
        await once(out, 'finish');
        out = undefined;
    };
    for await (const line of rl) {
        pending = pending ? `${pending}\n${line}` : line;
        if ((pending.match(/"/g)?.length ?? 0) % 2 === 1) continue; // inside quotes
        const record = pending + '\n';
        pending = '';
        if (header === undefined) {
            header = record;
            continue;
        }
        const bytes = Buffer.byteLength(record);
        if (out && size + bytes > maxBytes) await close();
        if (!out) {
            const path = file.replace(/\.csv$/, `-${parts.length + 1}.csv`);
            parts.push(path);
            out = createWriteStream(path, { encoding: 'utf8' });
            out.write(header);
            size = Buffer.byteLength(header);
        }
        if (!out.write(record)) await once(out, 'drain');
        size += bytes;
    }
    await close();
    return parts;
}
