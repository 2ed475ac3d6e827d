// What other tools need from an org (issue 22): the identity URL, SOQL aggregate functions,
// Bulk API 1.0 query jobs and EntityDefinition/FieldDefinition, driven through jsforce 3, through
// jsforce 1.x (the client inside SFDMU 3.7) and raw HTTP, and SFDMU itself end to end. Expected
// behaviour comes from Salesforce's documentation (cited in identity() in oauth.ts, soql.ts,
// bulk1.ts and metadata.ts, and in docs/org-emulator.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsforce from 'jsforce';
import { NO_RECORDS } from '../bulk1.ts';
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

const execFileAsync = promisify(execFile);
const FIXTURE = 'test/org-emulator/__tests__/fixtures/force-app';
const VERSION = '62.0';
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

let emu: OrgEmulator;
let conn: jsforce.Connection;

beforeAll(async () => {
    emu = await startOrgEmulator({ metadataDir: FIXTURE, bulkStepMs: 5 });
    conn = new jsforce.Connection({
        instanceUrl: emu.instanceUrl,
        accessToken: emu.accessToken,
        version: VERSION
    });
});
afterAll(async () => {
    await emu.stop();
});
beforeEach(() => {
    emu.reset();
    emu.setFaults({});
});

interface SaveResult {
    id?: string;
    success: boolean;
}

/** A raw HTTP call; `session` goes in X-SFDC-Session, `token` in Authorization. */
async function raw(
    method: string,
    path: string,
    init: { body?: string; type?: string; token?: string; session?: string; accept?: string } = {}
) {
    const headers: Record<string, string> = {};
    if (init.type) headers['Content-Type'] = init.type;
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.session) headers['X-SFDC-Session'] = init.session;
    if (init.accept) headers.Accept = init.accept;
    const res = await fetch(emu.instanceUrl + path, { method, headers, body: init.body });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The text of one element of an XML answer. */
const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/** Polls a Bulk API 1.0 batch until it leaves Queued/InProgress; returns its batchInfo XML. */
async function waitForBatch(job: string, batch: string): Promise<string> {
    const deadline = Date.now() + 15000;
    for (;;) {
        const info = (
            await raw('GET', `/services/async/${VERSION}/job/${job}/batch/${batch}`, {
                session: emu.accessToken
            })
        ).text;
        if (!['Queued', 'InProgress'].includes(tag(info, 'state') ?? '')) return info;
        if (Date.now() > deadline) throw new Error(`batch ${batch} still ${tag(info, 'state')}`);
        await new Promise((r) => setTimeout(r, 5));
    }
}

/** The error a promise rejects with. */
async function rejection(
    p: PromiseLike<unknown>
): Promise<{ errorCode?: string; message: string }> {
    try {
        await p;
    } catch (e) {
        return e as { errorCode?: string; message: string };
    }
    throw new Error('the call succeeded');
}

async function contacts(n: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
    const records = Array.from({ length: n }, (_, i) => ({
        LastName: `Rossi ${String(i).padStart(3, '0')}`,
        Email: `p${i}@example.org`,
        ...extra(i)
    }));
    const out: SaveResult[] = [];
    for (let i = 0; i < records.length; i += 200)
        out.push(
            ...((await conn.sobject('Contact').create(records.slice(i, i + 200))) as SaveResult[])
        );
    expect(out.every((r) => r.success)).toBe(true);
    return out.map((r) => r.id!);
}

/** jsforce 3's Bulk API 1.0 query (conn.bulk), collected; it returns (or throws) once jsforce
 *  has also closed the job, which it does in the background, so that no request outlives the
 *  test. */
async function bulkQuery(c: jsforce.Connection, soql: string): Promise<Record<string, string>[]> {
    const open = () => emu.stats().bulkV1Jobs.Open ?? 0;
    const openBefore = open();
    try {
        const stream = await c.bulk.query(soql);
        return await new Promise((resolve, reject) => {
            const out: Record<string, string>[] = [];
            stream
                .on('record', (r: Record<string, string>) => out.push(r))
                .on('end', () => resolve(out))
                .on('error', reject);
        });
    } finally {
        const deadline = Date.now() + 15000;
        while (open() > openBefore && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 5));
    }
}

describe('identity URL (REST API "Resources by Version", Salesforce Help "Identity URLs")', () => {
    test('jsforce conn.identity() finds the URL in the versions resource and reads the user', async () => {
        const identity = await conn.identity();
        // the token's user: the emulator's default token is the administrator's
        expect(identity).toMatchObject({
            user_id: emu.userId,
            organization_id: emu.org.store.orgId,
            username: 'admin@fse-engage.example.org',
            display_name: 'Org Admin',
            email: expect.stringMatching(/@example\.org$/),
            active: true,
            user_type: 'STANDARD',
            language: 'it',
            locale: 'it_IT',
            utcOffset: expect.any(Number),
            last_modified_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
        });
        // without `version` the API URLs carry the literal {version}
        expect(identity.urls.rest).toBe(`${emu.instanceUrl}/services/data/v{version}/`);
        expect(emu.stats().calls.identity).toBe(1);
        // another user's token reads that user
        const sync = new jsforce.Connection({
            instanceUrl: emu.instanceUrl,
            accessToken: emu.integrationUser.token,
            version: VERSION
        });
        expect(await sync.identity()).toMatchObject({
            user_id: emu.integrationUser.id,
            username: 'integration@fse-engage.example.org',
            display_name: 'Sync Integration'
        });
    });

    test('the versions resource and the token response point at the same identity URL', async () => {
        const resources = await conn.request<Record<string, string>>(`/services/data/v${VERSION}`);
        const idUrl = `${emu.instanceUrl}/id/${emu.org.store.orgId}/${emu.userId}`;
        expect(resources.identity).toBe(idUrl);
        expect(resources.query).toBe(`/services/data/v${VERSION}/query`);
        const token = await fetch(`${emu.instanceUrl}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x' })
        });
        const body = (await token.json()) as { id: string; access_token: string };
        expect(body.id).toBe(idUrl);
        // the new token reads it; ?version=latest fills in the newest version
        const res = await raw('GET', `${idUrl.slice(emu.instanceUrl.length)}?version=latest`, {
            token: body.access_token
        });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text).urls.sobjects).toBe(
            `${emu.instanceUrl}/services/data/v64.0/sobjects/`
        );
    });

    test('oauth_token parameter, a bad token (403 Bad_OAuth_Token), another user (404)', async () => {
        const path = `/id/${emu.org.store.orgId}/${emu.userId}`;
        const byParam = await raw('GET', `${path}?oauth_token=${emu.accessToken}`);
        expect(byParam.status).toBe(200);
        const bad = await raw('GET', path, { token: 'nope' });
        expect([bad.status, bad.text]).toEqual([403, 'Bad_OAuth_Token']);
        const other = await raw('GET', `/id/${emu.org.store.orgId}/005Hp0000000099AAA`, {
            token: emu.accessToken
        });
        expect(other.status).toBe(404);
    });
});

describe('aggregate functions without GROUP BY (SOQL and SOSL Reference, "Aggregate Functions")', () => {
    test("SFDMU's SELECT COUNT(Id) CNT answers one AggregateResult row, with WHERE", async () => {
        await contacts(5, (i) => ({ Hours__c: i < 3 ? 2.5 : null }));
        const all = await conn.query('SELECT COUNT(Id) CNT FROM Contact');
        expect(all).toEqual({
            totalSize: 1,
            done: true,
            records: [{ attributes: { type: 'AggregateResult' }, CNT: 5 }]
        });
        const some = await conn.query('SELECT COUNT(Id) CNT FROM Contact WHERE Hours__c != null');
        expect(some.records).toEqual([{ attributes: { type: 'AggregateResult' }, CNT: 3 }]);
        // COUNT() is unchanged: the count in totalSize, no records
        const plain = await conn.query('SELECT COUNT() FROM Contact WHERE Hours__c = null');
        expect([plain.totalSize, plain.records]).toEqual([2, []]);
    });

    test('implied aliases expr0, expr1 count only the unaliased aggregates', async () => {
        await contacts(4, (i) => ({
            Hours__c: [1.5, 2, null, 4][i],
            Salutation: ['Dr.', 'Mr.', 'Dr.', null][i],
            Birthdate: ['1980-05-01', '1975-01-31', null, '1990-12-24'][i]
        }));
        const res = await conn.query(
            'SELECT COUNT(Hours__c), SUM(Hours__c) total, AVG(Hours__c), MIN(Birthdate), ' +
                'MAX(Birthdate) newest, COUNT_DISTINCT(Salutation), MAX(LastName) FROM Contact'
        );
        expect(res.records).toEqual([
            {
                attributes: { type: 'AggregateResult' },
                expr0: 3, // COUNT(field) ignores nulls
                total: 7.5,
                expr1: 2.5,
                expr2: '1975-01-31',
                newest: '1990-12-24',
                expr3: 2, // Dr. and Mr.
                expr4: 'Rossi 003'
            }
        ]);
    });

    test('MIN and MAX of a picklist follow the picklist order, not the alphabet', async () => {
        // Salutation values in order: Mr., Ms., Mrs., Dr., Prof.
        await contacts(2, (i) => ({ Salutation: ['Dr.', 'Mr.'][i] }));
        const res = await conn.query('SELECT MIN(Salutation), MAX(Salutation) FROM Contact');
        expect(res.records[0]).toMatchObject({ expr0: 'Mr.', expr1: 'Dr.' });
    });

    test('over no rows: COUNT is 0, the others are null; datetimes as REST shows them', async () => {
        const none = await conn.query(
            "SELECT COUNT(Id), MAX(CreatedDate), SUM(Hours__c) FROM Contact WHERE LastName = 'x'"
        );
        expect(none.records).toEqual([
            { attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null, expr2: null }
        ]);
        await contacts(1);
        const one = await conn.query<{ expr0: string }>('SELECT MAX(CreatedDate) FROM Contact');
        expect(one.records[0].expr0).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    });

    test('refused as an org refuses them: ungrouped fields, GROUP BY (not emulated), bad types', async () => {
        const mixed = await rejection(conn.query('SELECT LastName, COUNT(Id) FROM Contact'));
        expect(mixed.errorCode).toBe('MALFORMED_QUERY');
        expect(mixed.message).toContain('Field must be grouped or aggregated: LastName');
        const grouped = await rejection(
            conn.query('SELECT Salutation, COUNT(Id) FROM Contact GROUP BY Salutation')
        );
        expect(grouped.errorCode).toBe('MALFORMED_QUERY');
        const sum = await rejection(conn.query('SELECT SUM(LastName) FROM Contact'));
        expect(sum.errorCode).toBe('INVALID_FIELD');
        expect(sum.message).toContain('does not support aggregate operator SUM');
        const ordered = await rejection(
            conn.query('SELECT COUNT(Id) FROM Contact ORDER BY LastName')
        );
        expect(ordered.errorCode).toBe('MALFORMED_QUERY');
        // Bulk API 2.0 query jobs take no aggregate functions either
        const job = await rejection(
            conn.request({
                method: 'POST',
                url: `/services/data/v${VERSION}/jobs/query`,
                body: JSON.stringify({
                    operation: 'query',
                    query: 'SELECT COUNT(Id) FROM Contact'
                }),
                headers: { 'Content-Type': 'application/json' }
            })
        );
        expect(job.errorCode).toBe('API_ERROR');
    });
});

describe('EntityDefinition and FieldDefinition (Tooling API / Object Reference)', () => {
    test("SFDMU 3.7's object list: every emulated object, custom ones with an 01I DurableId", async () => {
        const res = await conn.query<{ QualifiedApiName: string; Label: string }>(
            'SELECT QualifiedApiName, Label FROM EntityDefinition ' +
                'WHERE IsDeprecatedAndHidden = false ORDER BY QualifiedApiName'
        );
        const names = res.records.map((r) => r.QualifiedApiName);
        expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Enrollment__c']));
        expect(names).toEqual(
            [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
        );
        expect(names).not.toContain('EntityDefinition');
        const custom = await conn.query<{
            DurableId: string;
            KeyPrefix: string;
            attributes: { type: string; url: string };
        }>(
            "SELECT DurableId, KeyPrefix FROM EntityDefinition WHERE QualifiedApiName = 'Enrollment__c'"
        );
        expect(custom.records[0].DurableId).toMatch(/^01I[0-9A-Za-z]{12}$/);
        expect(custom.records[0].KeyPrefix).toBe(emu.org.schema.get('Enrollment__c')!.keyPrefix);
        // a row is addressed by its DurableId, not by an Id
        expect(custom.records[0].attributes.url).toBe(
            `/services/data/v${VERSION}/sobjects/EntityDefinition/${custom.records[0].DurableId}`
        );
    });

    test("SFDMU 5's polymorphic lookups, and the EntityDefinition relationship", async () => {
        const poly = (o: string) =>
            conn.query<{ QualifiedApiName: string }>(
                `SELECT QualifiedApiName FROM FieldDefinition WHERE EntityDefinitionId = '${o}' AND IsPolymorphicForeignKey = true`
            );
        expect((await poly('Task')).records.map((r) => r.QualifiedApiName).sort()).toEqual([
            'WhatId',
            'WhoId'
        ]);
        expect((await poly('Contact')).totalSize).toBe(0);
        const fields = await conn.query<{
            QualifiedApiName: string;
            DataType: string;
            DurableId: string;
            EntityDefinition: { QualifiedApiName: string };
        }>(
            'SELECT QualifiedApiName, DataType, DurableId, EntityDefinition.QualifiedApiName FROM FieldDefinition ' +
                "WHERE EntityDefinition.QualifiedApiName = 'Contact' AND QualifiedApiName IN ('FiscalCode__c', 'AccountId', 'Hours__c')"
        );
        const byName = Object.fromEntries(fields.records.map((r) => [r.QualifiedApiName, r]));
        expect(byName.AccountId).toMatchObject({
            DataType: 'Lookup(Account)',
            DurableId: 'Contact.AccountId',
            EntityDefinition: { QualifiedApiName: 'Contact' }
        });
        expect(byName.FiscalCode__c.DataType).toBe('Text(16)');
        expect(byName.Hours__c.DataType).toBe('Number(4, 1)');
        // a custom field of a standard object: <entity>.<00N id>
        expect(byName.FiscalCode__c.DurableId).toMatch(/^Contact\.00N[0-9A-Za-z]{12}$/);
    });

    test('the Tooling API query answers them too; read-only; not in Bulk API', async () => {
        const tooling = await conn.tooling.query<{ QualifiedApiName: string }>(
            "SELECT QualifiedApiName FROM FieldDefinition WHERE EntityDefinitionId = 'Account' AND QualifiedApiName = 'OrgCode__c'"
        );
        expect(tooling.records.map((r) => r.QualifiedApiName)).toEqual(['OrgCode__c']);
        const apex = await rejection(conn.tooling.query('SELECT Id FROM ApexClass'));
        expect(apex.errorCode).toBe('INVALID_TYPE');
        const insert = (await conn
            .sobject('EntityDefinition')
            .create({ QualifiedApiName: 'X__c' })
            .catch((e: unknown) => e)) as { errorCode?: string; success?: boolean };
        expect(insert.success ?? false).toBe(false);
        const job = await raw('POST', `/services/async/${VERSION}/job`, {
            session: emu.accessToken,
            type: 'application/xml',
            body: `<jobInfo xmlns="${NS}"><operation>query</operation><object>FieldDefinition</object><contentType>CSV</contentType></jobInfo>`
        });
        expect(job.status).toBe(400);
        expect(tag(job.text, 'exceptionMessage')).toBe(
            "Entity 'FieldDefinition' is not supported by the Bulk API."
        );
        // the data objects' counts are untouched by the metadata rows
        expect(emu.stats().records.EntityDefinition).toBeUndefined();
    });
});

describe('Bulk API 1.0 query (Bulk API Developer Guide, "Walk Through a Bulk Query Sample")', () => {
    test('jsforce 3 conn.bulk.query reads every row as CSV, values as Bulk API CSV shows them', async () => {
        const [acc] = (await conn
            .sobject('Account')
            .create([{ Name: 'ASL Uno', OrgCode__c: 'A1' }])) as SaveResult[];
        const ids = await contacts(30, (i) => ({
            AccountId: i % 2 ? acc.id : null,
            Birthdate: '1980-02-29',
            HasOptedOutOfEmail: i === 0
        }));
        const rows = await bulkQuery(
            conn,
            'SELECT Id, LastName, Birthdate, CreatedDate, HasOptedOutOfEmail, Account.OrgCode__c FROM Contact ORDER BY LastName'
        );
        expect(rows.map((r) => r.Id)).toEqual(ids);
        expect(rows[1]).toMatchObject({
            LastName: 'Rossi 001',
            Birthdate: '1980-02-29',
            'Account.OrgCode__c': 'A1',
            HasOptedOutOfEmail: 'false'
        });
        expect(rows[0]['Account.OrgCode__c']).toBe(''); // an empty cell (jsforce 3 keeps '')
        expect(rows[0].HasOptedOutOfEmail).toBe('true');
        // Bulk CSV datetimes end in Z where REST answers +0000 (what SFDMU compares as text)
        const rest = await conn.query<{ CreatedDate: string }>(
            `SELECT CreatedDate FROM Contact WHERE Id = '${ids[0]}'`
        );
        expect(rows[0].CreatedDate).toBe(rest.records[0].CreatedDate.replace('+0000', 'Z'));
        expect(emu.stats().bulkV1Jobs).toEqual({ Closed: 1 });
    });

    test('results above the file size limit come in several files, each a CSV with its header', async () => {
        await contacts(30);
        // 1 GB in an org; lowered so that 30 rows need several files
        emu.org.bulkV1.maxResultBytes = 512;
        try {
            const base = `/services/async/${VERSION}/job`;
            const s = { session: emu.accessToken };
            const job = tag(
                (
                    await raw('POST', base, {
                        ...s,
                        type: 'application/xml',
                        body: `<jobInfo xmlns="${NS}"><operation>query</operation><object>Contact</object><contentType>CSV</contentType></jobInfo>`
                    })
                ).text,
                'id'
            )!;
            const soql = 'SELECT Id, LastName, Email FROM Contact';
            const batch = tag(
                (await raw('POST', `${base}/${job}/batch`, { ...s, type: 'text/csv', body: soql }))
                    .text,
                'id'
            )!;
            expect(tag(await waitForBatch(job, batch), 'state')).toBe('Completed');
            const list = await raw('GET', `${base}/${job}/batch/${batch}/result`, s);
            const ids = [...list.text.matchAll(/<result>([^<]+)<\/result>/g)].map((m) => m[1]);
            expect(ids.length).toBeGreaterThan(2);
            const rows: string[] = [];
            for (const id of ids) {
                const file = await raw('GET', `${base}/${job}/batch/${batch}/result/${id}`, s);
                expect(Buffer.byteLength(file.text)).toBeLessThanOrEqual(512);
                const lines = file.text.trimEnd().split('\n');
                expect(lines[0]).toBe('"Id","LastName","Email"');
                rows.push(...lines.slice(1));
            }
            // every row once, in order, across the files
            const rest = await conn.query<{ Id: string }>(soql);
            expect(rows.map((l) => l.slice(1, 19))).toEqual(rest.records.map((r) => r.Id));
            // jsforce (1.x and 3) joins the files into one CSV stream, so each further file's
            // header arrives as a record: a client bug real orgs trigger above 1 GB of results
            const viaJsforce = await bulkQuery(conn, soql);
            expect(viaJsforce.filter((r) => r.Id === 'Id')).toHaveLength(ids.length - 1);
        } finally {
            emu.org.bulkV1.maxResultBytes = 1024 * 1024 * 1024;
        }
    });

    test('the documented request sequence over raw HTTP, with X-SFDC-Session', async () => {
        await contacts(3);
        await conn.sobject('Contact').destroy((await contacts(1))[0]);
        const base = `/services/async/${VERSION}/job`;
        const s = { session: emu.accessToken };
        const created = await raw('POST', base, {
            ...s,
            type: 'application/xml; charset=UTF-8',
            body: `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><operation>queryAll</operation><object>Contact</object><concurrencyMode>Parallel</concurrencyMode><contentType>CSV</contentType></jobInfo>`
        });
        expect(created.status).toBe(201);
        expect(created.type).toBe('application/xml');
        expect(created.text).toContain(`<jobInfo xmlns="${NS}">`);
        expect([tag(created.text, 'state'), tag(created.text, 'operation')]).toEqual([
            'Open',
            'queryAll'
        ]);
        const jobId = tag(created.text, 'id')!;
        expect(jobId).toMatch(/^750/);
        const batch = await raw('POST', `${base}/${jobId}/batch`, {
            ...s,
            type: 'text/csv; charset=UTF-8',
            body: 'SELECT LastName, IsDeleted FROM Contact ORDER BY LastName'
        });
        expect(batch.status).toBe(201);
        expect(tag(batch.text, 'state')).toBe('Queued');
        const batchId = tag(batch.text, 'id')!;
        const info = await waitForBatch(jobId, batchId);
        expect(tag(info, 'state')).toBe('Completed');
        expect(tag(info, 'numberRecordsProcessed')).toBe('4'); // queryAll: with the deleted one
        const list = await raw('GET', `${base}/${jobId}/batch/${batchId}/result`, s);
        expect(list.text).toMatch(
            new RegExp(
                `<result-list xmlns="${NS}"><result>752[0-9A-Za-z]{15}</result></result-list>`
            )
        );
        const csv = await raw(
            'GET',
            `${base}/${jobId}/batch/${batchId}/result/${tag(list.text, 'result')}`,
            s
        );
        expect(csv.type).toBe('text/csv');
        expect(csv.text).toBe(
            '"LastName","IsDeleted"\n"Rossi 000","false"\n"Rossi 000","true"\n"Rossi 001","false"\n"Rossi 002","false"\n'
        );
        // Authorization: Bearer works as well; closing ends the job for new batches
        const closed = await raw('POST', `${base}/${jobId}`, {
            token: emu.accessToken,
            type: 'application/xml',
            body: `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`
        });
        expect([
            closed.status,
            tag(closed.text, 'state'),
            tag(closed.text, 'numberBatchesCompleted')
        ]).toEqual([200, 'Closed', '1']);
        const late = await raw('POST', `${base}/${jobId}/batch`, {
            ...s,
            type: 'text/csv',
            body: 'SELECT Id FROM Contact'
        });
        expect([late.status, tag(late.text, 'exceptionCode')]).toEqual([400, 'InvalidJobState']);
        // each request counted as an API request: create and close, the batch requests, one result
        const calls = emu.stats().calls;
        expect([calls['bulk1-job'], calls['bulk1-result']]).toEqual([2, 1]);
    });

    test('errors are XML: invalid session (400), bad job, ingest not emulated; JSON on request', async () => {
        const base = `/services/async/${VERSION}/job`;
        const job = (object: string, operation = 'query') =>
            `<jobInfo xmlns="${NS}"><operation>${operation}</operation><object>${object}</object><contentType>CSV</contentType></jobInfo>`;
        const noSession = await raw('POST', base, {
            session: 'not-a-token',
            type: 'application/xml',
            body: job('Contact')
        });
        expect(noSession.status).toBe(400);
        expect(noSession.text).toBe(
            `<?xml version="1.0" encoding="UTF-8"?><error xmlns="${NS}"><exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>`
        );
        const s = { session: emu.accessToken, type: 'application/xml' };
        const unknown = await raw('POST', base, { ...s, body: job('Nope__c') });
        expect([unknown.status, tag(unknown.text, 'exceptionCode')]).toEqual([400, 'InvalidJob']);
        const upper = await raw('POST', base, { ...s, body: job('Contact', 'QUERY') });
        expect(tag(upper.text, 'exceptionCode')).toBe('InvalidJob');
        const insert = await raw('POST', base, { ...s, body: job('Contact', 'insert') });
        expect(tag(insert.text, 'exceptionCode')).toBe('FeatureNotEnabled');
        const notXml = await raw('POST', base, { ...s, body: '<jobInfo><operation>' });
        expect(tag(notXml.text, 'exceptionCode')).toBe('InvalidXML');
        const missing = await raw('GET', `${base}/750Hp0000000999AAA`, s);
        expect([missing.status, tag(missing.text, 'exceptionCode')]).toEqual([400, 'InvalidJob']);
        const json = await raw('POST', base, {
            session: emu.accessToken,
            type: 'application/json',
            body: JSON.stringify({ operation: 'query', object: 'Nope__c', contentType: 'CSV' })
        });
        expect(JSON.parse(json.text)).toMatchObject({ exceptionCode: 'InvalidJob' });
        // jsforce reads the XML error
        const bad = new jsforce.Connection({
            instanceUrl: emu.instanceUrl,
            accessToken: 'expired',
            version: VERSION
        });
        const err = await rejection(bulkQuery(bad, 'SELECT Id FROM Contact'));
        expect(err.errorCode).toBe('InvalidSessionId');
    });

    test('a query the Bulk API cannot run fails the batch with stateMessage; jsforce rejects', async () => {
        const count = await rejection(bulkQuery(conn, 'SELECT COUNT(Id) FROM Contact'));
        expect(count.message).toMatch(/^InvalidBatch : Failed to process query: MALFORMED_QUERY/);
        const field = await rejection(bulkQuery(conn, 'SELECT Nope__c FROM Contact'));
        expect(field.message).toMatch(/^InvalidBatch : Failed to process query: INVALID_FIELD/);
    });

    test('no rows: one result reading "Records not found for this query"', async () => {
        expect(await bulkQuery(conn, 'SELECT Id FROM Contact')).toEqual([]);
        const base = `/services/async/${VERSION}/job`;
        const s = { session: emu.accessToken };
        const job = tag(
            (
                await raw('POST', base, {
                    ...s,
                    type: 'application/xml',
                    body: `<jobInfo xmlns="${NS}"><operation>query</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`
                })
            ).text,
            'id'
        )!;
        const batch = tag(
            (
                await raw('POST', `${base}/${job}/batch`, {
                    ...s,
                    type: 'text/csv',
                    body: 'SELECT Id FROM Account'
                })
            ).text,
            'id'
        )!;
        // not finished yet: no results
        const early = await raw('GET', `${base}/${job}/batch/${batch}/result`, s);
        expect([early.status, tag(early.text, 'exceptionMessage')]).toEqual([
            400,
            'Batch not completed'
        ]);
        expect(tag(await waitForBatch(job, batch), 'state')).toBe('Completed');
        const list = await raw('GET', `${base}/${job}/batch/${batch}/result`, s);
        const result = await raw(
            'GET',
            `${base}/${job}/batch/${batch}/result/${tag(list.text, 'result')}`,
            s
        );
        expect(result.text).toBe(NO_RECORDS);
    });

    test('aborting a job leaves its queued batch NotProcessed', async () => {
        emu.setFaults({ bulkSlowMs: 10000 }); // the batch stays Queued while the test runs
        const base = `/services/async/${VERSION}/job`;
        const s = { session: emu.accessToken };
        const job = tag(
            (
                await raw('POST', base, {
                    ...s,
                    type: 'application/xml',
                    body: `<jobInfo xmlns="${NS}"><operation>query</operation><object>Contact</object><contentType>CSV</contentType></jobInfo>`
                })
            ).text,
            'id'
        )!;
        const batch = tag(
            (
                await raw('POST', `${base}/${job}/batch`, {
                    ...s,
                    type: 'text/csv',
                    body: 'SELECT Id FROM Contact'
                })
            ).text,
            'id'
        )!;
        const aborted = await raw('POST', `${base}/${job}`, {
            ...s,
            type: 'application/xml',
            body: `<jobInfo xmlns="${NS}"><state>Aborted</state></jobInfo>`
        });
        expect(tag(aborted.text, 'state')).toBe('Aborted');
        const info = await raw('GET', `${base}/${job}/batch/${batch}`, s);
        expect(tag(info.text, 'state')).toBe('NotProcessed');
        const list = await raw('GET', `${base}/${job}/batch`, { ...s, accept: 'application/json' });
        expect(JSON.parse(list.text)).toMatchObject({
            batchInfo: [{ id: batch, state: 'NotProcessed' }]
        });
    });

    test('jsforce 1.x, the client inside SFDMU 3.7: identity() and bulk.query', async () => {
        await contacts(3);
        const sfdmuRequire = createRequire(join(process.cwd(), 'node_modules/sfdmu/package.json'));
        const jsforce1 = sfdmuRequire('jsforce') as {
            Connection: new (o: object) => {
                identity(cb: (err: Error | null, info: { user_id: string }) => void): void;
                bulk: {
                    pollTimeout: number;
                    query(soql: string): NodeJS.EventEmitter;
                };
            };
        };
        const c1 = new jsforce1.Connection({
            instanceUrl: emu.instanceUrl,
            accessToken: emu.accessToken,
            version: '47.0'
        });
        const info = await new Promise<{ user_id: string }>((resolve, reject) =>
            c1.identity((err, i) => (err ? reject(err) : resolve(i)))
        );
        expect(info.user_id).toBe(emu.userId);
        const rows = await new Promise<Record<string, string>[]>((resolve, reject) => {
            const out: Record<string, string>[] = [];
            c1.bulk
                .query('SELECT Id, LastName FROM Contact ORDER BY LastName')
                .on('record', (r: Record<string, string>) => out.push(r))
                .on('end', () => resolve(out))
                .on('error', reject);
        });
        expect(rows.map((r) => r.LastName)).toEqual(['Rossi 000', 'Rossi 001', 'Rossi 002']);
    });
});

describe('SFDMU 3.7 end to end (CSV to org upsert by external ids)', () => {
    test('loads, then writes nothing when nothing changed, then writes only the change', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'fse-sfdmu-'));
        try {
            writeFileSync(
                join(dir, 'export.json'),
                JSON.stringify({
                    orgs: [
                        {
                            name: 'target',
                            instanceUrl: emu.instanceUrl,
                            accessToken: emu.accessToken
                        }
                    ],
                    objects: [
                        {
                            query: 'SELECT OrgCode__c, Name FROM Account',
                            operation: 'Upsert',
                            externalId: 'OrgCode__c'
                        },
                        {
                            query: 'SELECT FiscalCode__c, LastName, Email, AccountId FROM Contact',
                            operation: 'Upsert',
                            externalId: 'FiscalCode__c'
                        }
                    ]
                })
            );
            writeFileSync(join(dir, 'Account.csv'), 'OrgCode__c,Name\nA1,ASL Uno\nA2,ASL Due\n');
            const contactsCsv = (email: string) =>
                'FiscalCode__c,LastName,Email,Account.OrgCode__c\n' +
                `RSSMRA80A01H501U,Rossi,${email},A1\nBNCLRA85B42F205X,Bianchi,l.bianchi@example.org,A2\n`;
            writeFileSync(join(dir, 'Contact.csv'), contactsCsv('m.rossi@example.org'));
            const run = async () => {
                const { stdout } = await execFileAsync(
                    process.execPath,
                    [
                        'bench/sfdmu-run.cjs',
                        '--sourceusername',
                        'csvfile',
                        '--targetusername',
                        'target',
                        '--path',
                        dir,
                        '--noprompt'
                    ],
                    { env: { PATH: process.env.PATH, HOME: dir } }
                );
                return [
                    ...stdout.matchAll(
                        /\{(\w+)\} Total processed within all steps \(Insert \+ Update\): (\d+) records/g
                    )
                ].map((m) => `${m[1]} ${m[2]}`);
            };
            expect(await run()).toEqual(['Account 2', 'Contact 2']);
            const loaded = await conn.query<{
                FiscalCode__c: string;
                Account: { OrgCode__c: string };
            }>('SELECT FiscalCode__c, Account.OrgCode__c FROM Contact ORDER BY FiscalCode__c');
            expect(loaded.records.map((r) => [r.FiscalCode__c, r.Account.OrgCode__c])).toEqual([
                ['BNCLRA85B42F205X', 'A2'],
                ['RSSMRA80A01H501U', 'A1']
            ]);
            expect(await run()).toEqual(['Account 0', 'Contact 0']);
            writeFileSync(join(dir, 'Contact.csv'), contactsCsv('mario.rossi@example.org'));
            expect(await run()).toEqual(['Account 0', 'Contact 1']);
            const stats = emu.stats();
            expect(stats.records).toMatchObject({ Account: 2, Contact: 2 });
            expect(stats.writes).toEqual({ Account: 2, Contact: 3 });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }, 60000);
});
