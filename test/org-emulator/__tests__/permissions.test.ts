// Users and what each may do (issue 21): object and field permissions from force-app's permission
// sets, record visibility from the organization-wide defaults, ownership, Controlled by Parent and
// View All, the validation rule SubjectKeySetBySyncOnly — for the user a token belongs to, on
// every API (REST, sObject Collections, Bulk API 2.0, Bulk API 1.0 queries).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrgEmulator, type EmulatedUser, type OrgEmulator } from '../index.ts';
import { loadPermissionSets } from '../permissions.ts';

let emu: OrgEmulator;
let sync: EmulatedUser;
let admin: EmulatedUser;
let officer: EmulatedUser;
let agent: EmulatedUser;
let fsAdmin: EmulatedUser;

beforeAll(async () => {
    emu = await startOrgEmulator({ bulkStepMs: 5 });
    sync = emu.integrationUser;
    admin = emu.adminUser;
    officer = emu.createUser({
        username: 'officer@fse-engage.example.org',
        lastName: 'Officer',
        permissionSets: ['FSE_Privacy_Officer']
    });
    agent = emu.createUser({
        username: 'agent@fse-engage.example.org',
        lastName: 'Agent',
        permissionSets: ['FSE_Support_Agent']
    });
    fsAdmin = emu.createUser({
        username: 'fse-admin@fse-engage.example.org',
        lastName: 'FSE Admin',
        permissionSets: ['FSE_Admin']
    });
});
afterAll(() => emu.stop());
beforeEach(() => {
    emu.reset();
    emu.setFaults({});
});

async function call<T = unknown>(
    user: EmulatedUser,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json'
): Promise<{ status: number; body: T }> {
    const res = await fetch(`${emu.instanceUrl}/services/data/v62.0${path}`, {
        method,
        headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': type },
        body:
            body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        /* CSV or empty */
    }
    return { status: res.status, body: parsed as T };
}

type ErrorBody = Array<{ errorCode: string; message: string; fields?: string[] }>;
type SaveResult = {
    id?: string;
    success: boolean;
    errors: Array<{ statusCode: string; message: string; fields: string[] }>;
};

const query = (user: EmulatedUser, soql: string) =>
    call<{ totalSize: number; records: Array<Record<string, unknown>> } & ErrorBody>(
        user,
        'GET',
        `/query?q=${encodeURIComponent(soql)}`
    );

async function ingest(user: EmulatedUser, job: object, csv: string) {
    const created = await call<{ id: string }>(user, 'POST', '/jobs/ingest', job);
    expect(created.status).toBe(200);
    const id = created.body.id;
    await call(user, 'PUT', `/jobs/ingest/${id}/batches`, csv, 'text/csv');
    await call(user, 'PATCH', `/jobs/ingest/${id}`, { state: 'UploadComplete' });
    for (let i = 0; i < 400; i++) {
        const info = await call<{ state: string; errorMessage?: string }>(
            user,
            'GET',
            `/jobs/ingest/${id}`
        );
        if (['JobComplete', 'Failed', 'Aborted'].includes(info.body.state))
            return { id, info: info.body };
        await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('job did not finish');
}

/** An Account owned by `owner` (created through the API as them). */
async function account(owner: EmulatedUser, code: string): Promise<string> {
    const r = await call<{ id: string }>(owner, 'POST', '/sobjects/Account', {
        Name: `Ente ${code}`,
        OrgCode__c: code
    });
    expect(r.status).toBe(201);
    return r.body.id;
}

describe('object permissions (Salesforce Help, "Object Permissions")', () => {
    test('an object without Read does not exist for the user: SOQL INVALID_TYPE, REST NOT_FOUND, not in describeGlobal, no Bulk job', async () => {
        const q = await query(sync, 'SELECT Id FROM Case');
        expect(q.status).toBe(400);
        expect(q.body[0].errorCode).toBe('INVALID_TYPE');
        const post = await call<ErrorBody>(sync, 'POST', '/sobjects/Case', { Subject: 'x' });
        expect([post.status, post.body[0].errorCode]).toEqual([404, 'NOT_FOUND']);
        const global = await call<{ sobjects: Array<{ name: string }> }>(sync, 'GET', '/sobjects');
        const names = global.body.sobjects.map((o) => o.name);
        expect(names).toContain('Contact');
        expect(names).not.toContain('Case');
        expect(names).not.toContain('ErasureRequest__c');
        const job = await call<ErrorBody>(sync, 'POST', '/jobs/ingest', {
            object: 'Case',
            operation: 'insert'
        });
        expect(job.body[0].errorCode).toBe('INVALIDJOB');
        // the administrator sees it
        expect((await query(admin, 'SELECT Id FROM Case')).status).toBe(200);
    });

    test('Read without Create: the insert is refused per record (INSUFFICIENT_ACCESS_OR_READONLY)', async () => {
        const r = await call<SaveResult[]>(sync, 'POST', '/composite/sobjects', {
            allOrNone: false,
            records: [
                {
                    attributes: { type: 'ErasureTombstone__c' },
                    SubjectHash__c: 'a'.repeat(64)
                }
            ]
        });
        expect(r.body[0]).toMatchObject({
            success: false,
            errors: [expect.objectContaining({ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY' })]
        });
        expect(emu.records('ErasureTombstone__c')).toHaveLength(0);
    });
});

describe('campaign members: no object permissions of their own (review F14)', () => {
    test('the integration user reads and updates members through Campaign Edit and Contact Read', async () => {
        const campaign = await call<{ id: string }>(admin, 'POST', '/sobjects/Campaign', {
            Name: 'Campagna permessi'
        });
        const contact = await call<{ id: string }>(admin, 'POST', '/sobjects/Contact', {
            LastName: 'Membro'
        });
        const member = await call<{ id: string }>(admin, 'POST', '/sobjects/CampaignMember', {
            CampaignId: campaign.body.id,
            ContactId: contact.body.id
        });
        expect(member.status).toBe(201);
        const q = await query(sync, 'SELECT Id, SendStatus__c FROM CampaignMember');
        expect([q.status, q.body.totalSize]).toEqual([200, 1]);
        const update = await call(sync, 'PATCH', `/sobjects/CampaignMember/${member.body.id}`, {
            SendStatus__c: 'Sent'
        });
        expect(update.status).toBe(204);
        expect(emu.records('CampaignMember')[0].SendStatus__c).toBe('Sent');
        // the privacy officer has no Campaign permission: members do not exist for them
        const refused = await query(officer, 'SELECT Id FROM CampaignMember');
        expect([refused.status, refused.body[0].errorCode]).toEqual([400, 'INVALID_TYPE']);
    });

    test('a permission set naming CampaignMember in objectPermissions is refused with its file', () => {
        const dir = mkdtempSync(join(tmpdir(), 'fse-ps-'));
        try {
            mkdirSync(join(dir, 'permissionsets'));
            writeFileSync(
                join(dir, 'permissionsets', 'Bad.permissionset-meta.xml'),
                '<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">' +
                    '<label>Bad</label><objectPermissions><allowRead>true</allowRead>' +
                    '<object>CampaignMember</object></objectPermissions></PermissionSet>'
            );
            expect(() => loadPermissionSets(dir)).toThrow(
                /Bad\.permissionset-meta\.xml: objectPermissions on CampaignMember/
            );
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('field-level security (Salesforce Help, "Field Permissions": it applies to the APIs)', () => {
    test('a field without read access: INVALID_FIELD "No such column" in SOQL and REST, absent from describe', async () => {
        const q = await query(sync, 'SELECT Id, LegalHold__c FROM Contact');
        expect(q.status).toBe(400);
        expect(q.body[0].errorCode).toBe('INVALID_FIELD');
        expect(q.body[0].message).toMatch(/No such column 'LegalHold__c'/);
        const d = await call<{ fields: Array<{ name: string; createable: boolean }> }>(
            sync,
            'GET',
            '/sobjects/Contact/describe'
        );
        const byName = new Map(d.body.fields.map((f) => [f.name, f]));
        expect(byName.has('LegalHold__c')).toBe(false);
        expect(byName.get('SubjectKey__c')?.createable).toBe(true);
        // the agent never reads the fiscal code
        const a = await call<{ fields: Array<{ name: string }> }>(
            agent,
            'GET',
            '/sobjects/Contact/describe'
        );
        expect(a.body.fields.map((f) => f.name)).not.toContain('FiscalCode__c');
        const post = await call<ErrorBody>(sync, 'POST', '/sobjects/Contact', {
            LastName: 'Rossi',
            LegalHold__c: true
        });
        expect([post.status, post.body[0].errorCode]).toEqual([400, 'INVALID_FIELD']);
    });

    test('a field the user reads but may not edit: INVALID_FIELD_FOR_INSERT_UPDATE per record, in collections and in Bulk', async () => {
        // FSE_Admin reads Contact.SubjectKey__c and may not write it
        const r = await call<SaveResult[]>(fsAdmin, 'POST', '/composite/sobjects', {
            allOrNone: false,
            records: [{ attributes: { type: 'Contact' }, LastName: 'Rossi', SubjectKey__c: 'k' }]
        });
        expect(r.body[0].errors[0]).toMatchObject({
            statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            fields: ['SubjectKey__c']
        });
        const { id, info } = await ingest(
            fsAdmin,
            { object: 'Contact', operation: 'insert' },
            'LastName,SubjectKey__c\nRossi,k\n'
        );
        expect(info.state).toBe('JobComplete');
        const failed = await call<string>(fsAdmin, 'GET', `/jobs/ingest/${id}/failedResults/`);
        expect(failed.body).toMatch(
            /INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create\/update fields: SubjectKey__c/
        );
        expect(emu.records('Contact')).toHaveLength(0);
    });

    test('a Bulk upload naming a field the user cannot read fails as a whole job', async () => {
        const { info } = await ingest(
            sync,
            { object: 'Contact', operation: 'insert' },
            'LastName,LegalHold__c\nRossi,true\n'
        );
        expect(info).toMatchObject({
            state: 'Failed',
            errorMessage: 'InvalidBatch : Field name not found : LegalHold__c'
        });
    });
});

describe('record visibility (OWD, ownership, Controlled by Parent, View All)', () => {
    test('Account Private: the records of another owner are not there (fewer rows, no error; GET 404)', async () => {
        const theirs = await account(admin, 'ATS-1');
        const mine = await account(sync, 'ASST-1');
        const q = await query(sync, 'SELECT Id FROM Account');
        expect(q.body.records.map((r) => r.Id)).toEqual([mine]);
        const get = await call<ErrorBody>(sync, 'GET', `/sobjects/Account/${theirs}`);
        expect([get.status, get.body[0].errorCode]).toEqual([404, 'NOT_FOUND']);
        expect((await query(admin, 'SELECT Id FROM Account')).body.totalSize).toBe(2);
        // Bulk API 2.0 and 1.0 queries see what the user sees
        const job = await call<{ id: string }>(sync, 'POST', '/jobs/query', {
            operation: 'query',
            query: 'SELECT Id FROM Account'
        });
        let state = '';
        for (let i = 0; i < 200 && state !== 'JobComplete'; i++) {
            state = (await call<{ state: string }>(sync, 'GET', `/jobs/query/${job.body.id}`)).body
                .state;
            await new Promise((r) => setTimeout(r, 10));
        }
        const csv = await call<string>(sync, 'GET', `/jobs/query/${job.body.id}/results`);
        expect(csv.body.trim().split('\n')).toEqual(['Id', mine]);
    });

    test("Contact Controlled by Parent: the Account owner sees its Contacts; a Contact of another owner's Account, or without Account, is not there", async () => {
        const mine = await account(sync, 'ASST-1');
        const theirs = await account(admin, 'ATS-1');
        const a = emu.insertAs(admin.id, 'Contact', { LastName: 'Sotto', AccountId: mine });
        emu.insertAs(admin.id, 'Contact', { LastName: 'Altrove', AccountId: theirs });
        emu.insertAs(admin.id, 'Contact', { LastName: 'Privato' });
        const q = await query(sync, 'SELECT Id, LastName, Account.Name FROM Contact');
        expect(q.body.records).toEqual([
            expect.objectContaining({ Id: a, LastName: 'Sotto', Account: expect.any(Object) })
        ]);
        // and edits it (full access to the parent)
        const patch = await call(sync, 'PATCH', `/sobjects/Contact/${a}`, {
            Email: 'x@example.org'
        });
        expect(patch.status).toBe(204);
    });

    test('View All shows every record of the object, and does not let the user edit them', async () => {
        emu.insertAs(officer.id, 'ErasureTombstone__c', { SubjectHash__c: 'a'.repeat(64) });
        const ind = emu.insertAs(officer.id, 'Individual', { LastName: 'FSE-x' });
        expect(
            (await query(sync, 'SELECT SubjectHash__c FROM ErasureTombstone__c')).body.totalSize
        ).toBe(1);
        expect((await query(sync, 'SELECT Id FROM Individual')).body.totalSize).toBe(1);
        const r = await call<SaveResult[]>(sync, 'PATCH', '/composite/sobjects', {
            allOrNone: false,
            records: [{ attributes: { type: 'Individual' }, Id: ind, LastName: 'FSE-y' }]
        });
        expect(r.body[0].errors[0]).toMatchObject({
            statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
            message: 'insufficient access rights on object id'
        });
        // an agent has no View All on tombstones and no object access at all
        expect((await query(agent, 'SELECT Id FROM ErasureTombstone__c')).body[0].errorCode).toBe(
            'INVALID_TYPE'
        );
    });

    test('Read on Contact without View All: the Contacts of Accounts the user does not own are not there', async () => {
        const theirs = await account(sync, 'ASST-1');
        emu.insertAs(admin.id, 'Contact', { LastName: 'Rossi', AccountId: theirs });
        // a user with Read on Account and Contact (FSE_Portal_User), no View All
        const reader = emu.createUser({
            username: 'reader@fse-engage.example.org',
            lastName: 'Reader',
            permissionSets: ['FSE_Portal_User']
        });
        expect((await query(reader, 'SELECT Id FROM Contact')).body.totalSize).toBe(0);
        // the agent has View All on Contact itself
        expect((await query(agent, 'SELECT Id FROM Contact')).body.totalSize).toBe(1);
    });

    test('Public Read/Write (SyncRun__c): every user with object access reads and edits every run', async () => {
        const run = emu.insertAs(admin.id, 'SyncRun__c', { RunId__c: 'r-1', Status__c: 'Running' });
        expect((await query(sync, 'SELECT Id FROM SyncRun__c')).body.totalSize).toBe(1);
        const patch = await call(sync, 'PATCH', `/sobjects/SyncRun__c/${run}`, {
            Status__c: 'Failed'
        });
        expect(patch.status).toBe(204);
    });

    test('a parent the user cannot see reads as null in a relationship path; a lookup to it is INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', async () => {
        const theirs = await account(admin, 'ATS-1');
        emu.insertAs(admin.id, 'Contact', {
            LastName: 'Mio',
            OwnerId: sync.id,
            AccountId: theirs
        });
        const q = await query(sync, 'SELECT LastName, AccountId, Account.Name FROM Contact');
        expect(q.body.records).toEqual([
            expect.objectContaining({ LastName: 'Mio', AccountId: theirs, Account: null })
        ]);
        const post = await call<ErrorBody>(sync, 'POST', '/sobjects/Contact', {
            LastName: 'Nuovo',
            AccountId: theirs
        });
        expect(post.body[0].errorCode).toBe('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
        // by external id the Account is simply not found
        const byCode = await call<ErrorBody>(sync, 'POST', '/sobjects/Contact', {
            LastName: 'Nuovo',
            Account: { OrgCode__c: 'ATS-1' }
        });
        expect(byCode.body[0].message).toMatch(/Foreign key external ID: ATS-1 not found/);
    });

    test('creating a Contact under an Account the user can only read: INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', async () => {
        const readOnly = await startOrgEmulator({
            user: 'integration',
            sharing: { Account: 'Read' }
        });
        try {
            const u = { ...readOnly.integrationUser };
            const a = readOnly.insertAs(readOnly.adminUser.id, 'Account', {
                Name: 'ATS',
                OrgCode__c: 'ATS-1'
            });
            const res = await fetch(
                `${readOnly.instanceUrl}/services/data/v62.0/sobjects/Contact`,
                {
                    method: 'POST',
                    headers: {
                        Authorization: `Bearer ${u.token}`,
                        'Content-Type': 'application/json'
                    },
                    body: JSON.stringify({ LastName: 'Rossi', AccountId: a })
                }
            );
            const body = (await res.json()) as ErrorBody;
            expect(body[0]).toMatchObject({
                errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
                fields: ['AccountId']
            });
        } finally {
            await readOnly.stop();
        }
    });

    test('an upsert whose key matches a record the user cannot see: not matched, the insert is refused DUPLICATE_VALUE', async () => {
        const theirs = await account(admin, 'ATS-1');
        const hidden = emu.insertAs(admin.id, 'Contact', {
            LastName: 'Nascosto',
            FiscalCode__c: 'RSSMRA80A01F205X',
            AccountId: theirs
        });
        const r = await call<SaveResult[]>(
            sync,
            'PATCH',
            '/composite/sobjects/Contact/FiscalCode__c',
            {
                allOrNone: false,
                records: [
                    {
                        attributes: { type: 'Contact' },
                        FiscalCode__c: 'RSSMRA80A01F205X',
                        LastName: 'Rossi'
                    }
                ]
            }
        );
        expect(r.body[0].errors[0]).toMatchObject({
            statusCode: 'DUPLICATE_VALUE',
            message: `duplicate value found: FiscalCode__c duplicates value on record with id: ${hidden}`
        });
        expect(emu.records('Contact').map((c) => c.LastName)).toEqual(['Nascosto']);
        // an update by Id of it: insufficient access
        const upd = await call<SaveResult[]>(sync, 'PATCH', '/composite/sobjects', {
            allOrNone: false,
            records: [{ attributes: { type: 'Contact' }, Id: hidden, LastName: 'Rossi' }]
        });
        expect(upd.body[0].errors[0].statusCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    });

    test('records the user creates are owned by them; an administrator sees and changes everything', async () => {
        const id = await account(sync, 'ASST-1');
        const [rec] = emu.records('Account');
        expect(rec).toMatchObject({ Id: id, OwnerId: sync.id, CreatedById: sync.id });
        expect((await call(admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'X' })).status).toBe(
            204
        );
        expect((await call(admin, 'DELETE', `/sobjects/Account/${id}`)).status).toBe(204);
    });
});

describe('validation rule SubjectKeySetBySyncOnly (force-app Contact/validationRules)', () => {
    const KEY = 'b491276c43e18d6aad4e37efbc918edeb080f5304341ca3b93c1c5da1fb1b5b8';

    test('only FSE_Stamp_Subject_Key sets a subject key; anyone may clear it or edit other fields', async () => {
        const acc = await account(sync, 'ASST-1');
        // the integration user (FSE_Sync_Integration grants the custom permission)
        const ok = await call<{ id: string }>(sync, 'POST', '/sobjects/Contact', {
            LastName: 'Rossi',
            AccountId: acc,
            SubjectKey__c: KEY,
            SubjectKeyFingerprint__c: 'a405e2da1c44d0d1'
        });
        expect(ok.status).toBe(201);
        // a System Administrator can write the field (FLS) but has no custom permission
        const refused = await call<ErrorBody>(admin, 'POST', '/sobjects/Contact', {
            LastName: 'Bianchi',
            SubjectKey__c: 'c'.repeat(64)
        });
        expect(refused.body[0]).toMatchObject({
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: "La chiave soggetto è scritta solo dalla sincronizzazione con l'anagrafe.",
            fields: ['SubjectKey__c']
        });
        const fp = await call<ErrorBody>(admin, 'PATCH', `/sobjects/Contact/${ok.body.id}`, {
            SubjectKeyFingerprint__c: 'ffffffffffffffff'
        });
        expect(fp.body[0].errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
        // unchanged values and other fields are fine; clearing is fine (the erasure does it)
        expect(
            (
                await call(admin, 'PATCH', `/sobjects/Contact/${ok.body.id}`, {
                    Email: 'r@example.org',
                    SubjectKey__c: KEY
                })
            ).status
        ).toBe(204);
        expect(
            (
                await call(admin, 'PATCH', `/sobjects/Contact/${ok.body.id}`, {
                    SubjectKey__c: null,
                    SubjectKeyFingerprint__c: null
                })
            ).status
        ).toBe(204);
        // system-mode code running as a user without the permission is held to it too
        expect(() =>
            emu.insertAs(officer.id, 'Contact', { LastName: 'X', SubjectKey__c: KEY })
        ).toThrow(/FIELD_CUSTOM_VALIDATION_EXCEPTION/);
    });
});

describe('upsert on a non-unique external id', () => {
    test('needs View All Data (REST API Developer Guide, "Upsert Records Using sObject Rows by External ID")', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'fse-perm-'));
        try {
            const fields = join(dir, 'objects', 'Thing__c', 'fields');
            mkdirSync(fields, { recursive: true });
            writeFileSync(
                join(dir, 'objects', 'Thing__c', 'Thing__c.object-meta.xml'),
                '<CustomObject><label>Thing</label><sharingModel>ReadWrite</sharingModel></CustomObject>'
            );
            writeFileSync(
                join(fields, 'Code__c.field-meta.xml'),
                '<CustomField><fullName>Code__c</fullName><type>Text</type><length>20</length><externalId>true</externalId></CustomField>'
            );
            mkdirSync(join(dir, 'permissionsets'));
            writeFileSync(
                join(dir, 'permissionsets', 'Things.permissionset-meta.xml'),
                '<PermissionSet><objectPermissions><allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Thing__c</object><viewAllRecords>false</viewAllRecords></objectPermissions><fieldPermissions><editable>true</editable><field>Thing__c.Code__c</field><readable>true</readable></fieldPermissions></PermissionSet>'
            );
            const small = await startOrgEmulator({ metadataDir: dir });
            try {
                const u = small.createUser({
                    username: 'u@example.org',
                    lastName: 'U',
                    permissionSets: ['Things']
                });
                const upsert = (token: string) =>
                    fetch(`${small.instanceUrl}/services/data/v62.0/sobjects/Thing__c/Code__c/A1`, {
                        method: 'PATCH',
                        headers: {
                            Authorization: `Bearer ${token}`,
                            'Content-Type': 'application/json'
                        },
                        body: JSON.stringify({ Name: 'a' })
                    });
                const refused = await upsert(u.token);
                expect(refused.status).toBe(400);
                expect(((await refused.json()) as ErrorBody)[0]).toMatchObject({
                    errorCode: 'INSUFFICIENT_ACCESS',
                    message: 'Upsert requires view all data on a non-unique custom index'
                });
                expect((await upsert(small.accessToken)).status).toBe(201);
            } finally {
                await small.stop();
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
