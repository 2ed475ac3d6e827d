import jsforce from 'jsforce';
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

let emu: OrgEmulator;
let conn: jsforce.Connection;

beforeAll(async () => {
    emu = await startOrgEmulator({ metadataDir: 'test/org-emulator/__tests__/fixtures/force-app' });
    conn = new jsforce.Connection({
        instanceUrl: emu.instanceUrl,
        accessToken: emu.accessToken,
        version: '62.0'
    });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** A save result as the REST API sends it (jsforce's SaveError calls the code `errorCode`). */
interface RestSaveResult {
    id?: string;
    success: boolean;
    errors: { statusCode: string; message: string; fields: string[] }[];
    created?: boolean;
}

/** A page of a REST query. */
interface QueryPage {
    totalSize: number;
    done: boolean;
    records: Record<string, unknown>[];
    nextRecordsUrl?: string;
}

/** An entry of a REST error response. */
interface ErrorItem {
    errorCode: string;
    message: string;
}

/** Calls the API; `T` is the JSON answer expected (undefined when the body is empty). */
async function raw<T = unknown>(method: string, path: string, body?: unknown) {
    const res = await fetch(emu.instanceUrl + path, {
        method,
        headers: { Authorization: `Bearer ${emu.accessToken}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    return {
        status: res.status,
        headers: res.headers,
        body: (text ? JSON.parse(text) : undefined) as T
    };
}

describe('single-record sObject resources', () => {
    test('create, read, update, delete with 18-character ids and system fields', async () => {
        const created = await conn.sobject('Account').create({ Name: 'ASST Example' });
        expect(created.success).toBe(true);
        const id = created.id as string;
        expect(id).toMatch(/^001[a-zA-Z0-9]{15}$/);
        const rec = await conn.sobject('Account').retrieve(id);
        expect(rec.Name).toBe('ASST Example');
        expect(rec.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
        await conn.sobject('Account').update({ Id: id, Name: 'ASST Renamed' });
        const again = await conn.sobject('Account').retrieve(id.slice(0, 15));
        expect(again.Name).toBe('ASST Renamed');
        await conn.sobject('Account').destroy(id);
        await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({
            errorCode: 'NOT_FOUND'
        });
        const all = await conn.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`, {
            scanAll: true
        });
        expect(all.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    });

    test('validation errors carry real status codes and messages', async () => {
        await expect(conn.sobject('Contact').create({ FirstName: 'Ada' })).rejects.toMatchObject({
            errorCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [LastName]'
        });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', Bogus__c: 1 })
        ).rejects.toMatchObject({
            errorCode: 'INVALID_FIELD',
            message: "No such column 'Bogus__c' on sobject of type Contact"
        });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x'.repeat(81) })
        ).rejects.toMatchObject({
            errorCode: 'STRING_TOO_LONG'
        });
        await expect(
            conn
                .sobject('ContactPointTypeConsent')
                .create({ Name: 'c', PartyId: null, ContactPointType: 'Fax' })
        ).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', AccountId: 'not-an-id' })
        ).rejects.toMatchObject({
            errorCode: 'MALFORMED_ID'
        });
        const contact = await conn.sobject('Contact').create({ LastName: 'Rossi' });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', AccountId: contact.id })
        ).rejects.toMatchObject({
            errorCode: 'FIELD_INTEGRITY_EXCEPTION'
        });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', Name: 'n' })
        ).rejects.toMatchObject({
            errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
        });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', Email: 'nope' })
        ).rejects.toMatchObject({
            errorCode: 'INVALID_EMAIL_ADDRESS'
        });
    });

    test('upsert by external id: 201 created, then 200 updated; DUPLICATE_VALUE; NOT_FOUND field', async () => {
        const path = '/services/data/v62.0/sobjects/Contact/FiscalCode__c/PLLDSR80E47A462P';
        const first = await raw<RestSaveResult>('PATCH', path, {
            LastName: 'Pellegrini',
            Role__c: 'APR'
        });
        expect(first.status).toBe(201);
        expect(first.body).toMatchObject({ success: true, created: true });
        // external ids are case-insensitive unless declared case sensitive
        const second = await raw(
            'PATCH',
            path
                .toLowerCase()
                .replace(
                    '/services/data/v62.0/sobjects/contact/fiscalcode__c',
                    '/services/data/v62.0/sobjects/Contact/FiscalCode__c'
                ),
            { Role__c: 'INF' }
        );
        expect(second.status).toBe(200);
        expect(second.body).toMatchObject({ id: first.body.id, created: false });
        expect(emu.records('Contact')).toEqual([
            expect.objectContaining({
                LastName: 'Pellegrini',
                Role__c: 'INF',
                FiscalCode__c: 'PLLDSR80E47A462P'
            })
        ]);
        const bad = await raw<ErrorItem[]>(
            'PATCH',
            '/services/data/v62.0/sobjects/Contact/LastName/x',
            {
                FirstName: 'a'
            }
        );
        expect(bad.status).toBe(404);
        expect(bad.body[0].errorCode).toBe('NOT_FOUND');
        const dup = await raw<ErrorItem[]>('POST', '/services/data/v62.0/sobjects/Contact', {
            LastName: 'Other',
            FiscalCode__c: 'plldsr80e47a462p'
        });
        expect(dup.status).toBe(400);
        expect(dup.body[0].errorCode).toBe('DUPLICATE_VALUE');
        expect(dup.body[0].message).toBe(
            `duplicate value found: FiscalCode__c duplicates value on record with id: ${first.body.id}`
        );
    });

    test('relationship by external id, numbers, and master-detail cascade', async () => {
        await conn.sobject('Account').create({ Name: 'ASST Monza', OrgCode__c: 'ASST-MZ' });
        const c = await conn
            .sobject('Contact')
            .create({ LastName: 'Neri', Account: { OrgCode__c: 'ASST-MZ' }, Hours__c: 12.345 });
        const got = await conn.sobject('Contact').retrieve(c.id as string);
        expect(got.AccountId).toMatch(/^001/);
        expect(got.Hours__c).toBe(12.3);
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', Hours__c: 1000 })
        ).rejects.toMatchObject({ errorCode: 'NUMBER_OUTSIDE_VALID_RANGE' });
        await expect(
            conn.sobject('Contact').create({ LastName: 'x', Account: { OrgCode__c: 'NOPE' } })
        ).rejects.toMatchObject({
            errorCode: 'INVALID_FIELD',
            message:
                'Foreign key external ID: NOPE not found for field OrgCode__c in entity Account'
        });
        const e = await conn
            .sobject('Enrollment__c')
            .create({ Contact__c: c.id, Course_Code__c: 'FSE-01' });
        const enr = await conn.sobject('Enrollment__c').retrieve(e.id as string);
        expect(enr.Name).toBe('ENR-000001');
        const q = await conn.query(`SELECT Name, Contact__r.Account.OrgCode__c FROM Enrollment__c`);
        expect(q.records[0].Contact__r.Account.OrgCode__c).toBe('ASST-MZ');
        await conn.sobject('Contact').destroy(c.id as string);
        expect(emu.stats().records.Enrollment__c).toBe(0);
    });

    test('describe global and per object come from the schema', async () => {
        const global = await conn.describeGlobal();
        const names = global.sobjects.map((s) => s.name);
        for (const n of [
            'Account',
            'Contact',
            'Case',
            'Individual',
            'ContactPointTypeConsent',
            'Task'
        ]) {
            expect(names).toContain(n);
        }
        const d = await conn.sobject('Contact').describe();
        expect(d.keyPrefix).toBe('003');
        const last = d.fields.find((f) => f.name === 'LastName')!;
        expect(last).toMatchObject({
            type: 'string',
            length: 80,
            nillable: false,
            createable: true
        });
        const acc = d.fields.find((f) => f.name === 'AccountId')!;
        expect(acc).toMatchObject({
            type: 'reference',
            referenceTo: ['Account'],
            relationshipName: 'Account'
        });
    });
});

describe('sObject Collections', () => {
    test('POST creates with per-record errors; allOrNone rolls everything back', async () => {
        const res = await raw<RestSaveResult[]>('POST', '/services/data/v62.0/composite/sobjects', {
            allOrNone: false,
            records: [
                { attributes: { type: 'Contact' }, LastName: 'Ok' },
                { attributes: { type: 'Contact' }, FirstName: 'Missing' }
            ]
        });
        expect(res.status).toBe(200);
        expect(res.body[0]).toMatchObject({ success: true, errors: [] });
        expect(res.body[1]).toEqual({
            success: false,
            errors: [
                {
                    statusCode: 'REQUIRED_FIELD_MISSING',
                    message: 'Required fields are missing: [LastName]',
                    fields: ['LastName']
                }
            ]
        });
        const all = await raw<RestSaveResult[]>('POST', '/services/data/v62.0/composite/sobjects', {
            allOrNone: true,
            records: [
                { attributes: { type: 'Contact' }, LastName: 'Rolled' },
                { attributes: { type: 'Contact' }, FirstName: 'Missing' }
            ]
        });
        expect(all.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
        expect(emu.records('Contact').map((c) => c.LastName)).toEqual(['Ok']);
    });

    test('more than 200 records is refused', async () => {
        const records = Array.from({ length: 201 }, () => ({
            attributes: { type: 'Contact' },
            LastName: 'x'
        }));
        const res = await raw<ErrorItem[]>('POST', '/services/data/v62.0/composite/sobjects', {
            records
        });
        expect(res.status).toBe(400);
        expect(res.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    });

    test('PATCH update and DELETE ?ids=', async () => {
        const ids = (
            await conn.sobject('Contact').create([{ LastName: 'A' }, { LastName: 'B' }])
        ).map((r) => r.id as string);
        const upd = await conn.sobject('Contact').update([
            { Id: ids[0], FirstName: 'Anna' },
            { Id: '003000000000000', FirstName: 'Ghost' }
        ]);
        expect(upd[0].success).toBe(true);
        expect(upd[1].success).toBe(false);
        const del = await conn.sobject('Contact').destroy(ids);
        expect(del.every((d) => d.success)).toBe(true);
        expect(emu.stats().records.Contact).toBe(0);
    });

    test('upsert by Id through jsforce (PATCH /composite/sobjects/Contact/Id)', async () => {
        const { id } = await conn.sobject('Contact').create({ LastName: 'Before' });
        const res = (await conn.sobject('Contact').upsert(
            [
                { Id: id, LastName: 'After' },
                { Id: id, LastName: 'Twice' }
            ],
            'Id'
        )) as RestSaveResult[];
        // the same key twice in one call (issue 14: DUPLICATE_VALUE, not DUPLICATE_EXTERNAL_ID)
        expect(res.map((r) => r.errors[0]?.statusCode)).toEqual([
            'DUPLICATE_VALUE',
            'DUPLICATE_VALUE'
        ]);
        const ok = await conn.sobject('Contact').upsert([{ Id: id, LastName: 'After' }], 'Id');
        expect(ok[0]).toMatchObject({ id, success: true, created: false });
        expect(emu.records('Contact')[0].LastName).toBe('After');
    });
});

describe('query', () => {
    test('pages at 2,000 rows with nextRecordsUrl and /query/{locator}', async () => {
        const batch = Array.from({ length: 200 }, (_, i) => ({
            attributes: { type: 'Contact' },
            LastName: `P${i}`
        }));
        for (let i = 0; i < 13; i++)
            await raw('POST', '/services/data/v62.0/composite/sobjects', { records: batch });
        const first = await raw<QueryPage>(
            'GET',
            '/services/data/v62.0/query?q=' + encodeURIComponent('SELECT Id FROM Contact')
        );
        expect(first.body.totalSize).toBe(2600);
        expect(first.body.records).toHaveLength(2000);
        expect(first.body.done).toBe(false);
        const next = await raw<QueryPage>('GET', first.body.nextRecordsUrl as string);
        expect(next.body.records).toHaveLength(600);
        expect(next.body.done).toBe(true);
        const all = await conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 5000 });
        expect(all.records).toHaveLength(2600);
    });

    test('WHERE, ORDER BY, LIMIT, OFFSET, parent fields, COUNT()', async () => {
        const acc = await conn.sobject('Account').create({ Name: 'ATS Brianza' });
        await conn.sobject('Contact').create([
            { LastName: 'Bianchi', FirstName: 'Anna', AccountId: acc.id, Birthdate: '1980-05-07' },
            { LastName: 'Rossi', FirstName: 'Marco', Birthdate: '1975-01-02' },
            { LastName: 'Verdi', Email: 'v@example.org' }
        ]);
        const q = await conn.query(
            "SELECT LastName, Account.Name FROM Contact WHERE (Birthdate > 1976-01-01 OR Email != null) AND NOT LastName LIKE 'R%' ORDER BY LastName DESC LIMIT 5"
        );
        expect(q.records.map((r) => r.LastName)).toEqual(['Verdi', 'Bianchi']);
        expect(q.records[1].Account.Name).toBe('ATS Brianza');
        expect(q.records[0].Account).toBeNull();
        const c = await conn.query(
            "SELECT COUNT() FROM Contact WHERE LastName IN ('Rossi','Verdi')"
        );
        expect(c.totalSize).toBe(2);
        const off = await conn.query(
            'SELECT LastName FROM Contact ORDER BY LastName LIMIT 1 OFFSET 1'
        );
        expect(off.records[0].LastName).toBe('Rossi');
        const today = await conn.query('SELECT Id FROM Contact WHERE CreatedDate = TODAY');
        expect(today.totalSize).toBe(3);
    });

    test('unsupported or invalid SOQL fails instead of answering wrongly', async () => {
        await expect(
            conn.query('SELECT Id, (SELECT Id FROM Contacts) FROM Account')
        ).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
        await expect(
            conn.query('SELECT LastName FROM Contact GROUP BY LastName')
        ).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
        await expect(
            conn.query(
                "SELECT Id FROM Contact WHERE LastName = 'a' OR LastName = 'b' AND FirstName = 'c'"
            )
        ).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
        await expect(conn.query('SELECT Nope FROM Contact')).rejects.toMatchObject({
            errorCode: 'INVALID_FIELD'
        });
        await expect(conn.query('SELECT Id FROM ScratchOrgInfo')).rejects.toMatchObject({
            errorCode: 'INVALID_TYPE'
        });
    });
});

describe('limits', () => {
    test('Sforce-Limit-Info on API responses, /limits, and 403 once spent', async () => {
        const small = await startOrgEmulator({ apiLimit: 3 });
        try {
            const call = (path: string) =>
                fetch(small.instanceUrl + path, {
                    headers: { Authorization: `Bearer ${small.accessToken}` }
                });
            const versions = await call('/services/data');
            expect(versions.headers.get('sforce-limit-info')).toBeNull();
            const r1 = await call('/services/data/v62.0/limits');
            expect(r1.headers.get('sforce-limit-info')).toBe('api-usage=1/3');
            expect(
                ((await r1.json()) as { DailyApiRequests: { Max: number; Remaining: number } })
                    .DailyApiRequests
            ).toEqual({ Max: 3, Remaining: 2 });
            await call('/services/data/v62.0/sobjects');
            await call('/services/data/v62.0/sobjects');
            const spent = await call('/services/data/v62.0/sobjects');
            expect(spent.status).toBe(403);
            expect(((await spent.json()) as ErrorItem[])[0].errorCode).toBe(
                'REQUEST_LIMIT_EXCEEDED'
            );
            expect(small.stats().apiUsage).toEqual({ used: 3, max: 3 });
        } finally {
            await small.stop();
        }
    });
});

describe('stats', () => {
    test('counts the body bytes of API requests and responses, zeroed by reset', async () => {
        const body = { Name: 'ASST Byte Counter' };
        const created = await raw('POST', '/services/data/v62.0/sobjects/Account', body);
        expect(created.status).toBe(201);
        const sent = JSON.stringify(created.body).length;
        expect(emu.stats().bytes).toEqual({
            received: Buffer.byteLength(JSON.stringify(body)),
            sent
        });
        // OAuth, the versions list and /__emulator are not API calls and are not counted
        await fetch(emu.instanceUrl + '/services/data');
        expect(emu.stats().bytes.sent).toBe(sent);
        emu.reset();
        expect(emu.stats().bytes).toEqual({ received: 0, sent: 0 });
    });
});
