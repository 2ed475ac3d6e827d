import jsforce, { type Record as SfRecord } from 'jsforce';
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

const FIXTURE = 'test/org-emulator/__tests__/fixtures/force-app';
let emu: OrgEmulator;
let conn: jsforce.Connection;

beforeAll(async () => {
    emu = await startOrgEmulator({ metadataDir: FIXTURE, bulkStepMs: 5 });
    conn = new jsforce.Connection({
        instanceUrl: emu.instanceUrl,
        accessToken: emu.accessToken,
        version: '62.0'
    });
});
afterAll(() => emu.stop());
beforeEach(() => {
    emu.reset();
    emu.setFaults({});
});

/** The parts of a job's info (Bulk API 2.0) that the tests read. */
interface JobInfo {
    id: string;
    state: string;
    errorMessage?: string;
}

/** A save result as the REST API sends it (jsforce's SaveError calls the code `errorCode`). */
interface RestSaveResult {
    id?: string;
    success: boolean;
    errors: { statusCode: string; message: string; fields: string[] }[];
}

/** The OAuth token endpoint's answer. */
interface TokenResponse {
    access_token: string;
}

/** An entry of a REST error response. */
interface ErrorItem {
    errorCode: string;
    message: string;
}

const api = (path: string) => `/services/data/v62.0${path}`;
/** Calls the API; `T` is the answer expected: parsed JSON, or the text (CSV) when not JSON. */
async function call<T = unknown>(
    method: string,
    path: string,
    body?: string,
    type = 'application/json'
) {
    const res = await fetch(emu.instanceUrl + api(path), {
        method,
        headers: { Authorization: `Bearer ${emu.accessToken}`, 'Content-Type': type },
        body
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        /* CSV */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
}

async function waitFor(id: string, kind = 'ingest') {
    for (let i = 0; i < 200; i++) {
        const info = await call<JobInfo>('GET', `/jobs/${kind}/${id}`);
        if (['JobComplete', 'Failed', 'Aborted'].includes(info.body.state)) return info.body;
        await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('job did not finish');
}

describe('Bulk API 2.0 ingest', () => {
    test('upsert with CRLF, quotes, embedded commas and newlines, #N/A and relationship columns', async () => {
        await conn.sobject('Account').create({ Name: 'ASST Lecco', OrgCode__c: 'ASST-LC' });
        await conn.sobject('Contact').create({
            LastName: 'Old',
            FiscalCode__c: 'RSSMRA80A01F205X',
            Email: 'old@example.org'
        });
        const csv =
            'FiscalCode__c,LastName,Description,Email,Account.OrgCode__c\r\n' +
            'RSSMRA80A01F205X,"Rossi, Mario","line one\r\nline two",#N/A,ASST-LC\r\n' +
            'VRDLGU70B02F205Y,"He said ""hi""",,v@example.org,\r\n' +
            'BNCNNA90C43F205Z,' +
            'x'.repeat(81) +
            ',,,\r\n' +
            'NRIPLA60D04F205W,Neri,,,NOPE\r\n';
        const job = await call<JobInfo>(
            'POST',
            '/jobs/ingest',
            JSON.stringify({
                object: 'Contact',
                operation: 'upsert',
                externalIdFieldName: 'FiscalCode__c',
                lineEnding: 'CRLF'
            })
        );
        expect(job.body).toMatchObject({
            state: 'Open',
            operation: 'upsert',
            object: 'Contact',
            contentType: 'CSV',
            lineEnding: 'CRLF'
        });
        expect(
            (await call('PUT', `/jobs/ingest/${job.body.id}/batches`, csv, 'text/csv')).status
        ).toBe(201);
        const again = await call('PUT', `/jobs/ingest/${job.body.id}/batches`, csv, 'text/csv');
        expect(again.status).toBe(400);
        const closed = await call<JobInfo>(
            'PATCH',
            `/jobs/ingest/${job.body.id}`,
            JSON.stringify({ state: 'UploadComplete' })
        );
        expect(closed.body.state).toBe('UploadComplete');
        const done = await waitFor(job.body.id);
        expect(done).toMatchObject({
            state: 'JobComplete',
            numberRecordsProcessed: 4,
            numberRecordsFailed: 2,
            jobType: 'V2Ingest'
        });
        const ok = await call<string>('GET', `/jobs/ingest/${job.body.id}/successfulResults`);
        expect(ok.body.split('\r\n')[0]).toBe(
            'sf__Id,sf__Created,FiscalCode__c,LastName,Description,Email,Account.OrgCode__c'
        );
        expect(ok.body).toContain(',false,RSSMRA80A01F205X');
        expect(ok.body).toContain(',true,VRDLGU70B02F205Y');
        const failed = await call('GET', `/jobs/ingest/${job.body.id}/failedResults`);
        expect(failed.body).toContain(
            'STRING_TOO_LONG:Last Name: data value too large: ' +
                'x'.repeat(81) +
                ' (max length=80):LastName --'
        );
        expect(failed.body).toContain(
            'INVALID_FIELD:Foreign key external ID: NOPE not found for field OrgCode__c in entity Account:AccountId --'
        );
        const rossi = emu.records('Contact').find((c) => c.FiscalCode__c === 'RSSMRA80A01F205X')!;
        expect(rossi).toMatchObject({
            LastName: 'Rossi, Mario',
            Description: 'line one\r\nline two',
            Email: null
        });
        expect(rossi.AccountId).toMatch(/^001/);
        const verdi = emu.records('Contact').find((c) => c.FiscalCode__c === 'VRDLGU70B02F205Y')!;
        expect(verdi.LastName).toBe('He said "hi"');
    });

    test('jsforce loadAndWaitForResults: insert then delete and hardDelete', async () => {
        const res = await conn.bulk2.loadAndWaitForResults({
            object: 'Contact',
            operation: 'insert',
            input: 'LastName\nA\nB\nC\n',
            pollInterval: 20
        });
        expect(res.successfulResults).toHaveLength(3);
        const ids = res.successfulResults.map((r) => r.sf__Id);
        const del = await conn.bulk2.loadAndWaitForResults({
            object: 'Contact',
            operation: 'delete',
            input: `Id\n${ids[0]}\n${ids[1]}\n`,
            pollInterval: 20
        });
        expect(del.successfulResults).toHaveLength(2);
        const hard = await conn.bulk2.loadAndWaitForResults({
            object: 'Contact',
            operation: 'hardDelete',
            input: `Id\n${ids[2]}\n`,
            pollInterval: 20
        });
        expect(hard.successfulResults).toHaveLength(1);
        expect(emu.stats().records.Contact).toBe(0);
        expect(emu.stats().deleted.Contact).toBe(2);
    });

    test('state machine: abort, delete rules, unknown column fails the job, bad external id field', async () => {
        const job = await call<JobInfo>(
            'POST',
            '/jobs/ingest',
            JSON.stringify({ object: 'Contact', operation: 'insert' })
        );
        expect((await call('DELETE', `/jobs/ingest/${job.body.id}`)).status).toBe(400);
        const aborted = await call<JobInfo>(
            'PATCH',
            `/jobs/ingest/${job.body.id}`,
            JSON.stringify({ state: 'Aborted' })
        );
        expect(aborted.body.state).toBe('Aborted');
        expect((await call('DELETE', `/jobs/ingest/${job.body.id}`)).status).toBe(204);
        expect((await call('GET', `/jobs/ingest/${job.body.id}`)).status).toBe(404);

        const bad = await call<JobInfo>(
            'POST',
            '/jobs/ingest',
            JSON.stringify({ object: 'Contact', operation: 'insert' })
        );
        await call(
            'PUT',
            `/jobs/ingest/${bad.body.id}/batches`,
            'LastName,Nope__c\nA,1\n',
            'text/csv'
        );
        await call(
            'PATCH',
            `/jobs/ingest/${bad.body.id}`,
            JSON.stringify({ state: 'UploadComplete' })
        );
        const failed = await waitFor(bad.body.id);
        expect(failed.state).toBe('Failed');
        expect(failed.errorMessage).toContain('Field name not found : Nope__c');

        const noExt = await call(
            'POST',
            '/jobs/ingest',
            JSON.stringify({
                object: 'Contact',
                operation: 'upsert',
                externalIdFieldName: 'LastName'
            })
        );
        expect(noExt.status).toBe(400);
    });

    test('a 20,000-row upsert is processed in internal batches and duplicate keys fail', async () => {
        const lines = ['FiscalCode__c,LastName'];
        for (let i = 0; i < 20000; i++) lines.push(`CF${String(i).padStart(8, '0')},L${i}`);
        // a real org only sees duplicates inside one internal batch of 10,000 rows
        lines.splice(5, 0, 'CF00000001,Dup');
        const res = await conn.bulk2.loadAndWaitForResults({
            object: 'Contact',
            operation: 'upsert',
            externalIdFieldName: 'FiscalCode__c',
            input: lines.join('\n') + '\n',
            pollInterval: 20
        });
        expect(res.successfulResults).toHaveLength(20000 - 1);
        expect(res.failedResults.map((r) => r.sf__Error)).toEqual([
            'DUPLICATE_VALUE:Duplicate external id specified: CF00000001:FiscalCode__c --',
            'DUPLICATE_VALUE:Duplicate external id specified: CF00000001:FiscalCode__c --'
        ]);
        // not a speed test: 20,000 rows take seconds on a loaded machine (default limit 5 s)
    }, 60_000);
});

describe('Bulk API 2.0 query', () => {
    test('results paged with Sforce-Locator', async () => {
        const lines = ['LastName,Email'];
        for (let i = 0; i < 25; i++) lines.push(`L${i},u${i}@example.org`);
        await conn.bulk2.loadAndWaitForResults({
            object: 'Contact',
            operation: 'insert',
            input: lines.join('\n'),
            pollInterval: 20
        });
        const job = await call<JobInfo>(
            'POST',
            '/jobs/query',
            JSON.stringify({
                operation: 'query',
                query: 'SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName'
            })
        );
        expect(job.status).toBe(200);
        await waitFor(job.body.id, 'query');
        const p1 = await call<string>('GET', `/jobs/query/${job.body.id}/results?maxRecords=10`);
        expect(p1.headers.get('sforce-numberofrecords')).toBe('10');
        const locator = p1.headers.get('sforce-locator')!;
        expect(locator).not.toBe('null');
        expect(p1.body.split('\n')[0]).toBe('Id,LastName,Account.Name');
        const p2 = await call(
            'GET',
            `/jobs/query/${job.body.id}/results?maxRecords=10&locator=${locator}`
        );
        const p3 = await call(
            'GET',
            `/jobs/query/${job.body.id}/results?maxRecords=10&locator=${p2.headers.get('sforce-locator')}`
        );
        expect(p3.headers.get('sforce-locator')).toBe('null');
        expect(p3.headers.get('sforce-numberofrecords')).toBe('5');
        const badSoql = await call(
            'POST',
            '/jobs/query',
            JSON.stringify({ operation: 'query', query: 'SELECT Nope FROM Contact' })
        );
        expect(badSoql.status).toBe(400);
        const rows: SfRecord[] = [];
        for await (const r of await conn.bulk2.query('SELECT Id FROM Contact', {
            pollInterval: 20
        }))
            rows.push(r);
        expect(rows).toHaveLength(25);
    });
});

describe('faults', () => {
    test('INVALID_SESSION_ID after N calls; the token endpoint issues a working token', async () => {
        emu.setFaults({ sessionExpiresAfterCalls: 2 });
        const token = emu.newToken();
        const c = new jsforce.Connection({
            instanceUrl: emu.instanceUrl,
            accessToken: token,
            version: '62.0'
        });
        await c.query('SELECT Id FROM Contact');
        await c.query('SELECT Id FROM Contact');
        await expect(c.query('SELECT Id FROM Contact')).rejects.toMatchObject({
            errorCode: 'INVALID_SESSION_ID'
        });
        const res = await fetch(`${emu.instanceUrl}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials&client_id=x&client_secret=y'
        });
        const body = (await res.json()) as TokenResponse;
        expect(body.access_token).toMatch(/^00D[a-zA-Z0-9]{12}!/);
        const c2 = new jsforce.Connection({
            instanceUrl: emu.instanceUrl,
            accessToken: body.access_token,
            version: '62.0'
        });
        expect((await c2.query('SELECT Id FROM Contact')).totalSize).toBe(0);
    });

    test('UNABLE_TO_LOCK_ROW on a deterministic fraction of existing records', async () => {
        const created = await conn
            .sobject('Contact')
            .create(Array.from({ length: 100 }, (_, i) => ({ LastName: `L${i}` })));
        emu.setFaults({ lockRowFraction: 0.3 });
        const run = async () => {
            emu.setFaults({ lockRowFraction: 0.3 });
            const res = (await conn
                .sobject('Contact')
                .update(
                    created.map((c) => ({ Id: c.id as string, FirstName: 'X' }))
                )) as RestSaveResult[];
            return res.map((r) => (r.success ? '.' : r.errors[0].statusCode)).join(',');
        };
        const first = await run();
        expect(first).toContain('UNABLE_TO_LOCK_ROW');
        const locked = first.split(',').filter((s) => s !== '.').length;
        expect(locked).toBeGreaterThan(10);
        expect(locked).toBeLessThan(50);
        expect(await run()).toBe(first);
    });

    test('bursts of 503, request limit, and a bulk job that ends Failed', async () => {
        emu.setFaults({ errorBurst: { every: 2, length: 1, status: 503 } });
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await call('GET', '/limits')).status);
        expect(statuses).toEqual([200, 200, 503, 200, 200, 503]);
        emu.setFaults({ requestLimitExceeded: true });
        expect((await call<ErrorItem[]>('GET', '/limits')).body[0].errorCode).toBe(
            'REQUEST_LIMIT_EXCEEDED'
        );
        emu.setFaults({ bulkFailJobs: 1 });
        await expect(
            conn.bulk2.loadAndWaitForResults({
                object: 'Contact',
                operation: 'insert',
                input: 'LastName\nA\n',
                pollInterval: 20
            })
        ).rejects.toThrow();
        expect(emu.stats().bulkJobs.Failed).toBe(1);
    });

    test('connection resets and latency, settable at run time over HTTP', async () => {
        await fetch(`${emu.instanceUrl}/__emulator/faults`, {
            method: 'POST',
            body: JSON.stringify({ connectionResetRate: 1 })
        });
        await expect(
            fetch(emu.instanceUrl + api('/limits'), {
                headers: { Authorization: `Bearer ${emu.accessToken}` }
            })
        ).rejects.toThrow();
        await fetch(`${emu.instanceUrl}/__emulator/faults`, {
            method: 'POST',
            body: JSON.stringify({ latencyMs: 150 })
        });
        const t = Date.now();
        await call('GET', '/limits');
        expect(Date.now() - t).toBeGreaterThanOrEqual(140);
        const stats = (await (
            await fetch(`${emu.instanceUrl}/__emulator/stats`)
        ).json()) as ReturnType<OrgEmulator['stats']>;
        expect(stats.calls['fault-reset']).toBe(1);
    });
});
