// Behaviours of a real org that the first stand-ins missed (issue 14), each checked over raw HTTP
// against the documentation it follows (docs/org-emulator.md, "Where the behaviour comes from"):
// answers lost after the work was done, whole-job failures, line endings, lock contention by
// parent, unlisted API versions, Bulk query refusals, duplicate keys in one call, case-insensitive
// external ids, multi-select order and rich text as stored.
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

let emu: OrgEmulator;

beforeAll(async () => {
    emu = await startOrgEmulator({ bulkStepMs: 5 });
});
afterAll(() => emu.stop());
beforeEach(() => {
    emu.reset();
    emu.setFaults({});
});

interface JobInfo {
    id: string;
    state: string;
    errorMessage?: string;
    numberRecordsProcessed?: number;
    numberRecordsFailed?: number;
    retries?: number;
}

const api = (path: string, version = '62.0') => `/services/data/v${version}${path}`;

async function call<T = unknown>(
    method: string,
    path: string,
    body?: string,
    type = 'application/json',
    version?: string
): Promise<{ status: number; body: T }> {
    const res = await fetch(emu.instanceUrl + api(path, version), {
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
    return { status: res.status, body: parsed as T };
}

async function waitFor(id: string): Promise<JobInfo> {
    for (let i = 0; i < 400; i++) {
        const info = await call<JobInfo>('GET', `/jobs/ingest/${id}`);
        if (['JobComplete', 'Failed', 'Aborted'].includes(info.body.state)) return info.body;
        await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('job did not finish');
}

/** create, upload, close: the job id */
async function ingest(csv: string, job: Record<string, unknown>): Promise<string> {
    const created = await call<JobInfo>(
        'POST',
        '/jobs/ingest',
        JSON.stringify({ operation: 'upsert', ...job })
    );
    expect(created.status).toBe(200);
    const id = created.body.id;
    expect((await call('PUT', `/jobs/ingest/${id}/batches`, csv, 'text/csv')).status).toBe(201);
    const closed = await call('PATCH', `/jobs/ingest/${id}`, '{"state":"UploadComplete"}');
    expect(closed.status).toBe(200);
    return id;
}

const contactJob = { object: 'Contact', externalIdFieldName: 'FiscalCode__c' };

describe('answers lost after the org applied the request', () => {
    test('PATCH UploadComplete applied, the answer lost; closing again is 409 INVALIDJOBSTATE', async () => {
        const created = await call<JobInfo>(
            'POST',
            '/jobs/ingest',
            JSON.stringify({ operation: 'upsert', ...contactJob })
        );
        const id = created.body.id;
        await call(
            'PUT',
            `/jobs/ingest/${id}/batches`,
            'FiscalCode__c,LastName\nA1,Uno\n',
            'text/csv'
        );
        emu.setFaults({ lostReplies: [{ method: 'PATCH', path: '^/jobs/ingest/[^/]+$' }] });
        await expect(
            fetch(emu.instanceUrl + api(`/jobs/ingest/${id}`), {
                method: 'PATCH',
                headers: {
                    Authorization: `Bearer ${emu.accessToken}`,
                    'Content-Type': 'application/json'
                },
                body: '{"state":"UploadComplete"}'
            })
        ).rejects.toThrow();
        // the job was closed all the same: it runs to the end, and a second close is refused
        const again = await call<Array<{ errorCode: string }>>(
            'PATCH',
            `/jobs/ingest/${id}`,
            '{"state":"UploadComplete"}'
        );
        expect(again.status).toBe(409);
        expect(again.body[0].errorCode).toBe('INVALIDJOBSTATE');
        expect(await waitFor(id)).toMatchObject({
            state: 'JobComplete',
            numberRecordsProcessed: 1
        });
        expect(emu.records('Contact').map((c) => c.LastName)).toEqual(['Uno']);
        expect(emu.stats().calls['fault-lost-reply']).toBe(1);
    });

    test('a job create whose answer is lost leaves an Open job behind', async () => {
        emu.setFaults({ lostReplies: [{ method: 'POST', path: '^/jobs/ingest$' }] });
        await expect(
            fetch(emu.instanceUrl + api('/jobs/ingest'), {
                method: 'POST',
                headers: {
                    Authorization: `Bearer ${emu.accessToken}`,
                    'Content-Type': 'application/json'
                },
                body: JSON.stringify({ operation: 'upsert', ...contactJob })
            })
        ).rejects.toThrow();
        const list = await call<{ records: JobInfo[] }>('GET', '/jobs/ingest');
        expect(list.body.records.map((j) => j.state)).toEqual(['Open']);
    });

    test('a collections upsert applied and its answer lost; repeating it is harmless', async () => {
        const body = JSON.stringify({
            allOrNone: false,
            records: [{ attributes: { type: 'Contact' }, FiscalCode__c: 'B1', LastName: 'Due' }]
        });
        emu.setFaults({ lostReplyRate: 1 });
        await expect(
            fetch(emu.instanceUrl + api('/composite/sobjects/Contact/FiscalCode__c'), {
                method: 'PATCH',
                headers: {
                    Authorization: `Bearer ${emu.accessToken}`,
                    'Content-Type': 'application/json'
                },
                body
            })
        ).rejects.toThrow();
        emu.setFaults({});
        expect(emu.records('Contact')).toHaveLength(1);
        const again = await call<Array<{ success: boolean; created: boolean }>>(
            'PATCH',
            '/composite/sobjects/Contact/FiscalCode__c',
            body
        );
        expect(again.body[0]).toMatchObject({ success: true, created: false });
        expect(emu.records('Contact')).toHaveLength(1);
    });
});

describe('whole-job failures', () => {
    test('a field the integration user cannot see fails the job; no row processed, no results', async () => {
        emu.setFaults({ hiddenFields: ['Contact.RegistryLastUpdated__c'] });
        const id = await ingest(
            'FiscalCode__c,LastName,RegistryLastUpdated__c\nC1,Tre,2026-01-01T00:00:00Z\nC2,Quattro,2026-01-01T00:00:00Z\n',
            contactJob
        );
        const info = await waitFor(id);
        expect(info).toMatchObject({
            state: 'Failed',
            errorMessage: 'InvalidBatch : Field name not found : RegistryLastUpdated__c',
            numberRecordsProcessed: 0,
            numberRecordsFailed: 0
        });
        const ok = await call<string>('GET', `/jobs/ingest/${id}/successfulResults/`);
        const failed = await call<string>('GET', `/jobs/ingest/${id}/failedResults/`);
        expect(ok.body.trim().split('\n')).toHaveLength(1); // the header only
        expect(failed.body.trim().split('\n')).toHaveLength(1);
        const unprocessed = await call<string>('GET', `/jobs/ingest/${id}/unprocessedrecords/`);
        expect(unprocessed.body.trim().split('\n')).toHaveLength(3);
        expect(emu.records('Contact')).toHaveLength(0);
        // the same field in SOQL and REST is "No such column", as for a field that does not exist
        const q = await call<Array<{ errorCode: string }>>(
            'GET',
            `/query?q=${encodeURIComponent('SELECT RegistryLastUpdated__c FROM Contact')}`
        );
        expect(q.body[0].errorCode).toBe('INVALID_FIELD');
        const describe = await call<{ fields: Array<{ name: string }> }>(
            'GET',
            '/sobjects/Contact/describe'
        );
        expect(describe.body.fields.map((f) => f.name)).not.toContain('RegistryLastUpdated__c');
        emu.setFaults({});
        const restored = await call<{ fields: Array<{ name: string }> }>(
            'GET',
            '/sobjects/Contact/describe'
        );
        expect(restored.body.fields.map((f) => f.name)).toContain('RegistryLastUpdated__c');
    });

    test('what unprocessedrecords lists for such a job can also be nothing (undocumented)', async () => {
        emu.setFaults({ failedJobUnprocessed: 'none' });
        const id = await ingest('FiscalCode__c,Nope__c\nD1,x\n', contactJob);
        expect((await waitFor(id)).state).toBe('Failed');
        const unprocessed = await call<string>('GET', `/jobs/ingest/${id}/unprocessedrecords/`);
        expect(unprocessed.body.trim().split('\n')).toHaveLength(1);
    });

    test('CRLF data in an LF job fails with the ClientInputError text; CRLF in a CRLF job loads', async () => {
        const crlf = 'FiscalCode__c,LastName\r\nE1,Cinque\r\n';
        const bad = await waitFor(await ingest(crlf, { ...contactJob, lineEnding: 'LF' }));
        expect(bad).toMatchObject({
            state: 'Failed',
            errorMessage:
                'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF'
        });
        // a raw CR LF inside a quoted value trips the same check
        const inValue = 'FiscalCode__c,LastName,Description\nE2,Sei,"a\r\nb"\n';
        expect((await waitFor(await ingest(inValue, contactJob))).state).toBe('Failed');
        const good = await waitFor(await ingest(crlf, { ...contactJob, lineEnding: 'CRLF' }));
        expect(good.state).toBe('JobComplete');
        const lf = await waitFor(
            await ingest('FiscalCode__c,LastName\nE3,Sette\n', {
                ...contactJob,
                lineEnding: 'CRLF'
            })
        );
        expect(lf.errorMessage).toBe(
            'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF'
        );
    });

    test('rows processed without a recorded result (bulkResultsMissing): counts fall short', async () => {
        emu.setFaults({ bulkResultsMissing: { rows: 2 } });
        const rows = ['FiscalCode__c,LastName', 'F1,a', 'F2,b', 'F3,c', 'F4,d'];
        const id = await ingest(rows.join('\n') + '\n', contactJob);
        expect(await waitFor(id)).toMatchObject({
            state: 'JobComplete',
            numberRecordsProcessed: 2
        });
        const ok = await call<string>('GET', `/jobs/ingest/${id}/successfulResults/`);
        expect(ok.body.trim().split('\n')).toHaveLength(3);
        const unprocessed = await call<string>('GET', `/jobs/ingest/${id}/unprocessedrecords/`);
        expect(unprocessed.body.trim().split('\n')).toHaveLength(1);
        expect(emu.records('Contact')).toHaveLength(4);
    });
});

describe('lock contention clusters by parent', () => {
    test('children of a held Account fail, inserts too; the batch retry shows in `retries`', async () => {
        const accounts = Array.from({ length: 10 }, (_, i) => `ORG${i}`);
        await ingest('OrgCode__c,Name\n' + accounts.map((a) => `${a},${a}`).join('\n') + '\n', {
            object: 'Account',
            externalIdFieldName: 'OrgCode__c'
        });
        await new Promise((r) => setTimeout(r, 100));
        emu.setFaults({ parentLocks: { fraction: 0.3, holdAttempts: 2 } });
        const lines = ['FiscalCode__c,LastName,Account.OrgCode__c'];
        for (let i = 0; i < 200; i++) lines.push(`G${i},L${i},ORG${i % 10}`);
        const id = await ingest(lines.join('\n') + '\n', contactJob);
        const info = await waitFor(id);
        expect(info.state).toBe('JobComplete');
        expect(info.retries).toBe(1);
        const failed = await call<string>('GET', `/jobs/ingest/${id}/failedResults/`);
        const failedRows = failed.body.trim().split('\n').slice(1);
        expect(failedRows.length).toBeGreaterThan(0);
        expect(failedRows.every((r) => r.includes('UNABLE_TO_LOCK_ROW'))).toBe(true);
        // whole parents: every child of a held Account failed, none of the others
        const heldOrgs = new Set(failedRows.map((r) => r.split(',').pop()));
        expect(failedRows).toHaveLength(heldOrgs.size * 20);
        // these were inserts: no Contact existed before
        expect(emu.records('Contact')).toHaveLength(200 - failedRows.length);
        // held for two attempts (the job and its internal retry): the third attempt goes through
        const retry = await ingest(
            [
                'FiscalCode__c,LastName,Account.OrgCode__c',
                ...failedRows.map((r) => r.split(',').slice(2).join(','))
            ].join('\n') + '\n',
            contactJob
        );
        expect(await waitFor(retry)).toMatchObject({
            state: 'JobComplete',
            numberRecordsFailed: 0
        });
    });
});

describe('API versions and Bulk query refusals', () => {
    test('an API version the org does not list is 404 NOT_FOUND', async () => {
        const res = await call<Array<{ errorCode: string }>>(
            'GET',
            '/limits',
            undefined,
            undefined,
            '99.0'
        );
        expect(res.status).toBe(404);
        expect(res.body[0].errorCode).toBe('NOT_FOUND');
        expect((await call('GET', '/limits', undefined, undefined, '64.0')).status).toBe(200);
        expect((await call('GET', '/limits', undefined, undefined, '30.0')).status).toBe(404);
    });

    test.each([
        ['OFFSET', 'SELECT Id FROM Contact LIMIT 10 OFFSET 5'],
        ['GROUP BY', 'SELECT LastName FROM Contact GROUP BY LastName'],
        ['TYPEOF', 'SELECT TYPEOF What WHEN Account THEN Name END FROM Task']
    ])('a Bulk API 2.0 query job refuses %s', async (clause, soql) => {
        const res = await call<Array<{ errorCode: string; message: string }>>(
            'POST',
            '/jobs/query',
            JSON.stringify({ operation: 'query', query: soql })
        );
        expect(res.status).toBe(400);
        expect(res.body[0].message).toContain(clause);
        // a string literal holding the word is no clause
        const fine = await call(
            'POST',
            '/jobs/query',
            JSON.stringify({
                operation: 'query',
                query: "SELECT Id FROM Contact WHERE LastName = 'OFFSET'"
            })
        );
        expect(fine.status).toBe(200);
    });
});

describe('external ids and stored values', () => {
    test('the same key twice in one call is DUPLICATE_VALUE; case variants match (Unique, not case-sensitive)', async () => {
        const dup = await call<Array<{ success: boolean; errors: Array<{ statusCode: string }> }>>(
            'PATCH',
            '/composite/sobjects/Account/OrgCode__c',
            JSON.stringify({
                allOrNone: false,
                records: [
                    { attributes: { type: 'Account' }, OrgCode__c: 'Course-1', Name: 'A' },
                    { attributes: { type: 'Account' }, OrgCode__c: 'course-1', Name: 'B' }
                ]
            })
        );
        expect(dup.body.map((r) => r.errors[0]?.statusCode)).toEqual([
            'DUPLICATE_VALUE',
            'DUPLICATE_VALUE'
        ]);
        await call(
            'PATCH',
            '/composite/sobjects/Account/OrgCode__c',
            JSON.stringify({
                allOrNone: false,
                records: [{ attributes: { type: 'Account' }, OrgCode__c: 'Course-1', Name: 'A' }]
            })
        );
        const again = await call<Array<{ created: boolean }>>(
            'PATCH',
            '/composite/sobjects/Account/OrgCode__c',
            JSON.stringify({
                allOrNone: false,
                records: [{ attributes: { type: 'Account' }, OrgCode__c: 'COURSE-1', Name: 'B' }]
            })
        );
        expect(again.body[0].created).toBe(false);
        expect(emu.records('Account').map((a) => [a.OrgCode__c, a.Name])).toEqual([
            ['Course-1', 'B']
        ]);
    });

    test('multi-select values come back in value-set order; rich text as the org keeps it', async () => {
        const res = await call<Array<{ success: boolean }>>(
            'PATCH',
            '/composite/sobjects/LearningContent__c/ContentKey__c',
            JSON.stringify({
                allOrNone: false,
                records: [
                    {
                        attributes: { type: 'LearningContent__c' },
                        ContentKey__c: 'pill-1',
                        Name: 'Pillola',
                        Type__c: 'Pill',
                        MacroCategory__c: 'Fondamenti',
                        TargetCategories__c: 'Farmacista;MMG;Infermiere',
                        Body__c:
                            '<h2>Titolo</h2><pre><code>x = 1</code></pre><p onclick="x()">ok<script>bad()</script></p>'
                    }
                ]
            })
        );
        expect(res.body[0].success).toBe(true);
        const [row] = emu.records('LearningContent__c');
        expect(row.TargetCategories__c).toBe('MMG;Infermiere;Farmacista');
        expect(row.Body__c).toBe('<h2>Titolo</h2><code>x = 1</code><p>ok</p>');
        const describe = await call<{ fields: Array<{ name: string; htmlFormatted: boolean }> }>(
            'GET',
            '/sobjects/LearningContent__c/describe'
        );
        expect(describe.body.fields.find((f) => f.name === 'Body__c')!.htmlFormatted).toBe(true);
    });
});
