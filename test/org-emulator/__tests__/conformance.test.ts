// Conformance: every endpoint and every error of issue 3 driven through the real clients
// (jsforce, and @salesforce/core for the JWT bearer flow), checking status codes and bodies
// against what a real org answers.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsforce from 'jsforce';
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

const execFileAsync = promisify(execFile);
const FIXTURE = 'test/org-emulator/__tests__/fixtures/force-app';
const USERNAME = 'integration@fse-engage.example.org';
const PASSWORD = 'Secret-123';
const CLIENT = { clientId: '3MVG9-emulator-client', clientSecret: 'emulator-secret' };
const VERSION = '62.0';
/** the upload limit for one Bulk API 2.0 job, lowered from 150 MB so the test stays fast */
const UPLOAD_LIMIT = 64 * 1024;

let emu: OrgEmulator;
let conn: jsforce.Connection;
let tmp: string;

beforeAll(async () => {
    emu = await startOrgEmulator({
        metadataDir: FIXTURE,
        bulkStepMs: 5,
        password: PASSWORD,
        bulkUploadLimitBytes: UPLOAD_LIMIT
    });
    conn = new jsforce.Connection({
        instanceUrl: emu.instanceUrl,
        accessToken: emu.accessToken,
        version: VERSION
    });
    tmp = mkdtempSync(join(tmpdir(), 'fse-conformance-'));
});
afterAll(async () => {
    await emu.stop();
    rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
    emu.reset();
    emu.setFaults({});
});

/** The OAuth token endpoint's answer. */
interface TokenResponse {
    access_token: string;
    instance_url: string;
    id: string;
    token_type: string;
    refresh_token?: string;
}

/** An OAuth error, as the token endpoint sends it. */
interface OAuthError {
    error: string;
    error_description: string;
}

/** An entry of a REST error response. */
interface ErrorItem {
    errorCode: string;
    message: string;
}

/** A save result as the REST API sends it. */
interface SaveResult {
    id?: string;
    success: boolean;
    errors: { statusCode: string; message: string; fields: string[] }[];
}

/** The parts of a Bulk API 2.0 job's info the tests read. */
interface JobInfo {
    id: string;
    state: string;
    numberRecordsProcessed?: number;
    numberRecordsFailed?: number;
}

/** A raw HTTP call (to see status codes, headers and bodies exactly as sent). */
async function raw<T = unknown>(
    method: string,
    path: string,
    init: { body?: string; type?: string; token?: string | null } = {}
) {
    const headers: Record<string, string> = {
        'Content-Type': init.type ?? 'application/json'
    };
    const token = init.token === undefined ? emu.accessToken : init.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(emu.instanceUrl + path, { method, headers, body: init.body });
    const text = await res.text();
    let body: unknown = text;
    try {
        body = JSON.parse(text);
    } catch {
        /* CSV or empty */
    }
    return { status: res.status, headers: res.headers, body: body as T };
}

const api = (path: string) => `/services/data/v${VERSION}${path}`;

function tokenForm(params: Record<string, string>) {
    return raw<TokenResponse & OAuthError>('POST', '/services/oauth2/token', {
        body: new URLSearchParams(params).toString(),
        type: 'application/x-www-form-urlencoded',
        token: null
    });
}

/** The error jsforce throws for a failed REST call (errorCode and the HTTP data). */
async function restError(p: Promise<unknown>): Promise<{ errorCode?: string; message: string }> {
    try {
        await p;
    } catch (e) {
        return e as { errorCode?: string; message: string };
    }
    throw new Error('the call succeeded');
}

async function waitForJob(id: string): Promise<JobInfo> {
    for (let i = 0; i < 300; i++) {
        const info = await raw<JobInfo>('GET', api(`/jobs/ingest/${id}`));
        if (['JobComplete', 'Failed', 'Aborted'].includes(info.body.state)) return info.body;
        await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('job did not finish');
}

async function createIngestJob(object: string, operation: string, extra = {}): Promise<string> {
    const job = await raw<JobInfo>('POST', api('/jobs/ingest'), {
        body: JSON.stringify({ object, operation, ...extra })
    });
    expect(job.status).toBe(200);
    return job.body.id;
}

describe('OAuth 2.0 token endpoint', () => {
    test('password grant through jsforce conn.login (OAuth2 client configured)', async () => {
        const c = new jsforce.Connection({
            oauth2: { loginUrl: emu.instanceUrl, ...CLIENT },
            version: VERSION
        });
        const user = await c.login(USERNAME, PASSWORD);
        expect(user.organizationId).toBe(emu.org.store.orgId);
        expect(user.id).toBe(emu.org.store.userId);
        expect(c.accessToken).toMatch(/^00D[a-zA-Z0-9]{12}!AQ/);
        expect(c.instanceUrl).toBe(emu.instanceUrl);
        // the new session works against the API
        const res = await c.query<{ Username: string }>('SELECT Username FROM User');
        expect(res.records[0].Username).toBe(USERNAME);
    });

    test('a bad password or an unknown user is the real OAuth error (400 invalid_grant)', async () => {
        const c = new jsforce.Connection({
            oauth2: { loginUrl: emu.instanceUrl, ...CLIENT },
            version: VERSION
        });
        const err = (await restError(c.login(USERNAME, 'wrong'))) as Error;
        expect(err.name).toBe('invalid_grant');
        expect(err.message).toBe('authentication failure');
        for (const [username, password] of [
            [USERNAME, 'wrong'],
            ['nobody@example.org', PASSWORD],
            [USERNAME, '']
        ]) {
            const res = await tokenForm({
                grant_type: 'password',
                username,
                password,
                client_id: CLIENT.clientId,
                client_secret: CLIENT.clientSecret
            });
            expect(res.status).toBe(400);
            expect(res.body).toEqual({
                error: 'invalid_grant',
                error_description: 'authentication failure'
            });
        }
    });

    test('an unknown grant type is 400 unsupported_grant_type', async () => {
        const res = await tokenForm({ grant_type: 'magic', client_id: CLIENT.clientId });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
            error: 'unsupported_grant_type',
            error_description: 'grant type not supported'
        });
        const none = await tokenForm({});
        expect(none.status).toBe(400);
        expect(none.body.error).toBe('unsupported_grant_type');
    });

    test('client_credentials grant through jsforce OAuth2.requestToken', async () => {
        const oauth2 = new jsforce.OAuth2({ loginUrl: emu.instanceUrl, ...CLIENT });
        const res = (await oauth2.requestToken({
            grant_type: 'client_credentials'
        })) as TokenResponse;
        expect(res.token_type).toBe('Bearer');
        expect(res.instance_url).toBe(emu.instanceUrl);
        expect(res.refresh_token).toBeUndefined(); // the flow never issues one
        const c = new jsforce.Connection({
            instanceUrl: res.instance_url,
            accessToken: res.access_token,
            version: VERSION
        });
        expect((await c.query('SELECT Id FROM Organization')).totalSize).toBe(1);
        // without any client credentials: invalid_client
        const bad = await tokenForm({ grant_type: 'client_credentials' });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toBe('invalid_client');
    });

    test('refresh_token grant: jsforce refreshes by itself on INVALID_SESSION_ID', async () => {
        // the authorization code flow is what issues a refresh token
        const c = new jsforce.Connection({
            oauth2: { loginUrl: emu.instanceUrl, redirectUri: 'http://localhost/cb', ...CLIENT },
            version: VERSION
        });
        await c.authorize('code-from-the-browser');
        expect(c.refreshToken).toMatch(/^5Aep861/);
        const first = c.accessToken;
        const refreshed: string[] = [];
        c.on('refresh', (token: string) => refreshed.push(token));
        emu.setFaults({ sessionExpiresAfterCalls: 2 });
        for (let i = 0; i < 5; i++) {
            const res = await c.query('SELECT Id FROM Organization');
            expect(res.totalSize).toBe(1);
        }
        // calls 1-2 on the first token, 3 fails and is retried on token 2, 4 on it, 5 refreshes
        expect(refreshed).toHaveLength(2);
        expect(refreshed[0]).not.toBe(first);
        expect(c.accessToken).toBe(refreshed[1]);
        expect(emu.stats().calls.unauthorized).toBe(2);
        // the expired token stays dead
        const dead = await raw<ErrorItem[]>('GET', api('/limits'), { token: first });
        expect(dead.status).toBe(401);
        expect(dead.body).toEqual([
            { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
        ]);
        // a refresh token the org never issued
        const bad = await tokenForm({
            grant_type: 'refresh_token',
            refresh_token: 'not-issued',
            ...{ client_id: CLIENT.clientId }
        });
        expect(bad.status).toBe(400);
        expect(bad.body).toEqual({
            error: 'invalid_grant',
            error_description: 'expired access/refresh token'
        });
    });

    test('JWT bearer grant through @salesforce/core AuthInfo', async () => {
        // @salesforce/core 9 signs {iss: clientId, sub: username, aud, exp} with RS256 and posts
        // it through jsforce's OAuth2 to loginUrl; the first login/audience pair it tries is
        // [loginUrl, loginUrl], so a plain http loopback URL works as both.
        const { privateKey } = generateKeyPairSync('rsa', {
            modulusLength: 2048,
            privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
            publicKeyEncoding: { type: 'spki', format: 'pem' }
        });
        const keyFile = join(tmp, 'server.key');
        writeFileSync(keyFile, privateKey);
        // in a child process with HOME in the temp dir: @salesforce/core keeps state in
        // ~/.sfdx, and inside Jest's sandbox its ENOENT handling fails (errors from node:fs
        // are not `instanceof Error` there), so it cannot create that folder in-process
        const script = `
            import { AuthInfo } from '@salesforce/core';
            const auth = await AuthInfo.create({
                username: process.env.JWT_USERNAME,
                oauth2Options: {
                    clientId: process.env.JWT_CLIENT_ID,
                    loginUrl: process.env.JWT_LOGIN_URL,
                    privateKey: process.env.JWT_KEY_FILE
                }
            });
            const { orgId, instanceUrl, accessToken } = auth.getFields(true);
            process.stdout.write(JSON.stringify({ orgId, instanceUrl, accessToken }));
        `;
        const { stdout } = await execFileAsync(
            process.execPath,
            ['--input-type=module', '-e', script],
            {
                cwd: process.cwd(),
                env: {
                    ...process.env,
                    HOME: tmp,
                    SF_DISABLE_TELEMETRY: 'true',
                    SFDX_DISABLE_TELEMETRY: 'true',
                    JWT_USERNAME: USERNAME,
                    JWT_CLIENT_ID: CLIENT.clientId,
                    JWT_LOGIN_URL: emu.instanceUrl,
                    JWT_KEY_FILE: keyFile
                }
            }
        );
        const fields = JSON.parse(stdout) as {
            orgId: string;
            instanceUrl: string;
            accessToken: string;
        };
        expect(fields.orgId).toBe(emu.org.store.orgId);
        expect(fields.instanceUrl).toBe(emu.instanceUrl);
        expect(fields.accessToken).toMatch(/^00D[a-zA-Z0-9]{12}!AQ/);
        const c = new jsforce.Connection({
            instanceUrl: emu.instanceUrl,
            accessToken: fields.accessToken,
            version: VERSION
        });
        expect((await c.query('SELECT Id FROM Organization')).totalSize).toBe(1);
        expect(emu.stats().calls.oauth).toBeGreaterThanOrEqual(1);
    });

    test('JWT bearer errors: not a JWT, missing claims, expired', async () => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const header = part({ alg: 'RS256' });
        const cases: [string, string][] = [
            ['not-a-jwt', 'invalid assertion'],
            [`${header}.${part({ iss: CLIENT.clientId })}.sig`, 'invalid assertion'],
            [
                `${header}.${part({ iss: CLIENT.clientId, sub: USERNAME, exp: 1000 })}.sig`,
                'expired authorization code'
            ]
        ];
        for (const [assertion, description] of cases) {
            const res = await tokenForm({
                grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
                assertion
            });
            expect(res.status).toBe(400);
            expect(res.body).toEqual({ error: 'invalid_grant', error_description: description });
        }
    });
});

describe('userinfo and the versions list', () => {
    test('GET /services/oauth2/userinfo answers the user and the org', async () => {
        const info = await conn.request<{
            user_id: string;
            organization_id: string;
            preferred_username: string;
        }>('/services/oauth2/userinfo');
        // the token's user (the emulator's default token is the administrator's)
        expect(info).toMatchObject({
            user_id: emu.userId,
            organization_id: emu.org.store.orgId,
            preferred_username: 'admin@fse-engage.example.org'
        });
        const sync = await raw<{ user_id: string; preferred_username: string }>(
            'GET',
            '/services/oauth2/userinfo',
            { token: emu.integrationUser.token }
        );
        expect(sync.body).toMatchObject({
            user_id: emu.integrationUser.id,
            preferred_username: USERNAME
        });
        const bad = await raw('GET', '/services/oauth2/userinfo', { token: 'nope' });
        expect(bad.status).toBe(403);
        expect(bad.body).toBe('Bad_OAuth_Token');
    });

    test('GET /services/data lists the versions without Sforce-Limit-Info', async () => {
        const versions =
            await conn.request<{ label: string; url: string; version: string }[]>('/services/data');
        expect(versions).toContainEqual({
            label: `v${VERSION}`,
            url: `/services/data/v${VERSION}`,
            version: VERSION
        });
        const res = await raw('GET', '/services/data', { token: null });
        expect(res.status).toBe(200);
        expect(res.headers.get('sforce-limit-info')).toBeNull();
        // every other API answer carries it
        const limits = await raw('GET', api('/limits'));
        expect(limits.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/105000$/);
    });
});

describe('queryAll semantics', () => {
    test('a deleted row is invisible to /query and IsDeleted = true in /queryAll', async () => {
        const kept = (await conn.sobject('Contact').create({ LastName: 'Kept' })) as SaveResult;
        const gone = (await conn.sobject('Contact').create({ LastName: 'Gone' })) as SaveResult;
        await conn.sobject('Contact').destroy(gone.id!);
        const soql = 'SELECT Id, LastName, IsDeleted FROM Contact ORDER BY LastName';
        const live = await conn.query<{ Id: string; IsDeleted: boolean }>(soql);
        expect(live.records.map((r) => r.Id)).toEqual([kept.id]);
        const all = await conn.query<{ Id: string; LastName: string; IsDeleted: boolean }>(soql, {
            scanAll: true
        });
        expect(all.records.map((r) => [r.LastName, r.IsDeleted])).toEqual([
            ['Gone', true],
            ['Kept', false]
        ]);
        const onlyDeleted = await conn.query<{ Id: string }>(
            'SELECT Id FROM Contact WHERE IsDeleted = true',
            { scanAll: true }
        );
        expect(onlyDeleted.records.map((r) => r.Id)).toEqual([gone.id]);
        expect(emu.stats().calls.queryAll).toBe(2);
        // and the deleted row is gone for a retrieve
        const err = await restError(conn.sobject('Contact').retrieve(gone.id!));
        expect(err.errorCode).toBe('NOT_FOUND');
    });
});

describe('Bulk API 2.0', () => {
    test('unprocessedrecords of an aborted job lists the rows never processed', async () => {
        const id = await createIngestJob('Contact', 'insert');
        const csv = 'LastName,Email\nRossi,r@example.org\n"Bianchi, Anna",b@example.org\n';
        const put = await raw('PUT', api(`/jobs/ingest/${id}/batches`), {
            body: csv,
            type: 'text/csv'
        });
        expect(put.status).toBe(201);
        const job = conn.bulk2.job('ingest', { id });
        await job.abort();
        const aborted = await raw<JobInfo>('GET', api(`/jobs/ingest/${id}`));
        expect(aborted.body.state).toBe('Aborted');
        expect(await job.getUnprocessedRecords()).toEqual([
            { LastName: 'Rossi', Email: 'r@example.org' },
            { LastName: 'Bianchi, Anna', Email: 'b@example.org' }
        ]);
        const file = await raw<string>('GET', api(`/jobs/ingest/${id}/unprocessedrecords`));
        expect(file.status).toBe(200);
        expect(file.body).toBe(csv);
        expect(await job.getSuccessfulResults()).toEqual([]);
        expect(await job.getFailedResults()).toEqual([]);
        expect(emu.records('Contact')).toHaveLength(0);
    });

    test('an upload over the limit is refused with 400 and the job stays Open', async () => {
        const id = await createIngestJob('Contact', 'insert');
        // measured after base64: 3/4 of the limit in raw bytes is just over it
        const row = 'Rossi,rossi@example.org\n';
        const rows = Math.ceil((UPLOAD_LIMIT * 3) / 4 / row.length) + 1;
        const csv = 'LastName,Email\n' + row.repeat(rows);
        expect(csv.length).toBeLessThan(UPLOAD_LIMIT);
        for (const body of [csv, csv.repeat(4)]) {
            const res = await raw<ErrorItem[]>('PUT', api(`/jobs/ingest/${id}/batches`), {
                body,
                type: 'text/csv'
            });
            expect(res.status).toBe(400);
            expect(res.body).toEqual([
                {
                    errorCode: 'INVALIDJOB',
                    message: expect.stringContaining('150 MB') as string
                }
            ]);
        }
        const info = await raw<JobInfo>('GET', api(`/jobs/ingest/${id}`));
        expect(info.body.state).toBe('Open');
        // a smaller upload still goes in afterwards
        const ok = await raw('PUT', api(`/jobs/ingest/${id}/batches`), {
            body: 'LastName\nRossi\n',
            type: 'text/csv'
        });
        expect(ok.status).toBe(201);
    });

    test('an upload over the limit through jsforce fails with the error, not a reset', async () => {
        const big = 'LastName\n' + 'Rossi\n'.repeat(UPLOAD_LIMIT / 3);
        const job = conn.bulk2.createJob({ object: 'Contact', operation: 'insert' });
        await job.open();
        const err = await restError(job.uploadData(big));
        expect(err.errorCode).toBe('INVALIDJOB');
        await job.abort();
    });

    test('lookups of the wrong type in a bulk job: failedResults sf__Error', async () => {
        const acc = (await conn.sobject('Account').create({ Name: 'ASST Lecco' })) as SaveResult;
        const other = (await conn.sobject('Contact').create({ LastName: 'X' })) as SaveResult;
        const csv = [
            'LastName,AccountId,Birthdate',
            `Ok,${acc.id},1980-01-01`,
            `WrongObject,${other.id},`,
            'Malformed,not-an-id,',
            'BadDate,,yesterday'
        ].join('\n');
        const res = await conn.bulk2.loadAndWaitForResults({
            object: 'Contact',
            operation: 'insert',
            input: csv,
            pollInterval: 10,
            pollTimeout: 5000
        });
        expect(res.successfulResults.map((r) => (r as Record<string, unknown>).LastName)).toEqual([
            'Ok'
        ]);
        const errors = Object.fromEntries(
            res.failedResults.map((r) => [(r as Record<string, unknown>).LastName, r.sf__Error])
        );
        expect(errors).toEqual({
            WrongObject: `FIELD_INTEGRITY_EXCEPTION:Account ID: id value of incorrect type: ${other.id}:AccountId --`,
            Malformed:
                'MALFORMED_ID:Account ID: id value of incorrect type: not-an-id:AccountId --',
            BadDate:
                'INVALID_TYPE_ON_FIELD_IN_RECORD:Birthdate: value not of required type: yesterday:Birthdate --'
        });
        for (const r of res.failedResults) expect(r.sf__Id).toBe('');
    });

    test('a relationship column whose parent is missing: failedResults sf__Error', async () => {
        await conn.sobject('Account').create({ Name: 'ASST Lecco', OrgCode__c: 'ASST-LC' });
        const id = await createIngestJob('Contact', 'insert');
        await raw('PUT', api(`/jobs/ingest/${id}/batches`), {
            body: 'LastName,Account.OrgCode__c\nOk,ASST-LC\nNope,NOPE\n',
            type: 'text/csv'
        });
        await raw('PATCH', api(`/jobs/ingest/${id}`), {
            body: JSON.stringify({ state: 'UploadComplete' })
        });
        expect(await waitForJob(id)).toMatchObject({
            state: 'JobComplete',
            numberRecordsProcessed: 2,
            numberRecordsFailed: 1
        });
        const failed = await conn.bulk2.job('ingest', { id }).getFailedResults();
        expect(failed).toEqual([
            {
                sf__Id: '',
                sf__Error:
                    'INVALID_FIELD:Foreign key external ID: NOPE not found for field OrgCode__c in entity Account:AccountId --',
                LastName: 'Nope',
                'Account.OrgCode__c': 'NOPE'
            }
        ]);
    });
});

describe('lookups of the wrong type in sObject Collections', () => {
    test('an id of the wrong object, a malformed id, a parent of the wrong kind', async () => {
        const acc = (await conn.sobject('Account').create({ Name: 'ASST Lecco' })) as SaveResult;
        const other = (await conn.sobject('Contact').create({ LastName: 'X' })) as SaveResult;
        const results = (await conn.sobject('Contact').create(
            [
                { LastName: 'Ok', AccountId: acc.id },
                { LastName: 'WrongObject', AccountId: other.id },
                { LastName: 'Malformed', AccountId: 'not-an-id' }
            ],
            { allOrNone: false }
        )) as SaveResult[];
        expect(results[0].success).toBe(true);
        expect(results[1]).toEqual({
            success: false,
            errors: [
                {
                    statusCode: 'FIELD_INTEGRITY_EXCEPTION',
                    message: `Account ID: id value of incorrect type: ${other.id}`,
                    fields: ['AccountId']
                }
            ]
        });
        expect(results[2].errors[0]).toMatchObject({
            statusCode: 'MALFORMED_ID',
            fields: ['AccountId']
        });
        // a value of the wrong JSON type fails the whole request, as the REST parser does
        const res = await raw<ErrorItem[]>('POST', api('/composite/sobjects'), {
            body: JSON.stringify({
                allOrNone: false,
                records: [{ attributes: { type: 'Contact' }, LastName: 'B', Birthdate: 12 }]
            })
        });
        expect(res.status).toBe(400);
        expect(res.body[0].errorCode).toBe('JSON_PARSER_ERROR');
    });
});

describe('MALFORMED_ID', () => {
    test('GET /sobjects/Contact/<bad id>', async () => {
        const acc = (await conn.sobject('Account').create({ Name: 'A' })) as SaveResult;
        // the id of another object
        const wrong = await restError(conn.sobject('Contact').retrieve(acc.id!));
        expect(wrong.errorCode).toBe('MALFORMED_ID');
        expect(wrong.message).toBe(`Contact ID: id value of incorrect type: ${acc.id}`);
        const res = await raw<ErrorItem[]>('GET', api(`/sobjects/Contact/${acc.id}`));
        expect(res.status).toBe(400);
        // an 18-character id whose case-safe suffix is not valid
        const bad = await raw<ErrorItem[]>('GET', api('/sobjects/Contact/003Hp000000000001!!'));
        expect(bad.status).toBe(404);
        const badSuffix = await raw<ErrorItem[]>(
            'GET',
            api('/sobjects/Contact/003Hp0000000000010')
        );
        expect(badSuffix.status).toBe(400);
        expect(badSuffix.body[0].errorCode).toBe('MALFORMED_ID');
        // a well-formed Contact id that does not exist is NOT_FOUND
        const missing = await raw<ErrorItem[]>(
            'GET',
            api(`/sobjects/Contact/003Hp0000000ZZZ${'AAA'}`)
        );
        expect(missing.status).toBe(404);
        expect(missing.body[0].errorCode).toBe('NOT_FOUND');
    });

    test('collection DELETE ?ids= with a bad id', async () => {
        const c = (await conn.sobject('Contact').create({ LastName: 'Del' })) as SaveResult;
        const results = (await conn.sobject('Contact').destroy([c.id!, 'bad-id'], {
            allOrNone: false
        })) as SaveResult[];
        expect(results[0]).toMatchObject({ id: c.id, success: true });
        expect(results[1].success).toBe(false);
        expect(results[1].errors[0].statusCode).toBe('MALFORMED_ID');
        const res = await raw<SaveResult[]>(
            'DELETE',
            api('/composite/sobjects?ids=001short&allOrNone=false')
        );
        expect(res.status).toBe(200);
        expect(res.body[0]).toMatchObject({ success: false });
        expect(res.body[0].errors[0].statusCode).toBe('MALFORMED_ID');
        expect(emu.records('Contact')).toHaveLength(0);
    });
});
