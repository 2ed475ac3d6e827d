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
