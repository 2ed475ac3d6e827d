import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiBudget, BudgetExceededError, parseLimitInfo } from '../src/salesforce/budget.ts';
import { parseConfig } from '../src/config/schema.ts';
import { ConfigError } from '../src/config/errors.ts';
import { absentActive, indexRow, OrgIndex } from '../src/pipeline/org-index.ts';
import { decide } from '../src/pipeline/plan.ts';
import { field, FieldSet } from '../src/entities/fields.ts';
import { syncHash } from '../src/pipeline/sync-hash.ts';
import { fromCsvRow, toCsvRow } from '../src/salesforce/csv.ts';
import { flattenRecord, toCollectionRecord } from '../src/salesforce/record.ts';
import { backoffDelay } from '../src/util/backoff.ts';
import { isRetryable, SfHttpError, withRetry } from '../src/salesforce/retry.ts';
import { parseBulkError } from '../src/salesforce/bulk2/results.ts';
import { keyChunks, soqlString } from '../src/salesforce/query.ts';
import { NdjsonSource } from '../src/sources/ndjson.ts';
import { UnparseableResource } from '../src/sources/types.ts';
import { chooseAuth } from '../src/salesforce/auth.ts';
import {
    roleUnneeded,
    rolePractitionerOfText,
    unchangedSince
} from '../src/entities/professionals/prefilter.ts';

describe('diff', () => {
    const fields = new FieldSet([field.text('FiscalCode__c'), field.text('LastName')]);
    it('creates what is missing, updates what changed, skips what did not', () => {
        const h = syncHash({ FiscalCode__c: 'A', LastName: 'Rossi' }, fields);
        expect(decide(undefined, h)).toBe('create');
        expect(decide({ id: '003', hash: h, status: 'Active' }, h)).toBe('unchanged');
        expect(decide({ id: '003', hash: 'other', status: 'Active' }, h)).toBe('update');
    });

    it('trusts SyncHash__c normally and recomputes it from real values when reconciling', () => {
        const idx = new OrgIndex();
        const row = {
            Id: '003x',
            FiscalCode__c: 'A',
            LastName: 'Edited in org',
            SyncHash__c: 'abc',
            RegistryStatus__c: 'Active'
        };
        indexRow(idx, row, {
            externalId: 'FiscalCode__c',
            fields,
            statusField: 'RegistryStatus__c',
            reconcile: false
        });
        expect(idx.lookup('A')).toEqual({ id: '003x', hash: 'abc', status: 'Active' });
        indexRow(idx, row, {
            externalId: 'FiscalCode__c',
            fields,
            statusField: 'RegistryStatus__c',
            reconcile: true
        });
        expect(idx.lookup('A')!.hash).toBe(
            syncHash({ FiscalCode__c: 'A', LastName: 'Edited in org' }, fields)
        );
    });

    it('lists Active records absent from the snapshot, never Ceased ones', () => {
        const idx = new OrgIndex();
        idx.put('A', { id: '1', hash: 'h', status: 'Active' });
        idx.put('B', { id: '2', hash: 'h', status: 'Active' });
        idx.put('C', { id: '3', hash: 'h', status: 'Ceased' });
        expect([...absentActive(idx, (k) => k === 'A', 'Active')]).toEqual(['B']);
    });
});

describe('retry and backoff', () => {
    it('uses full jitter under an exponential ceiling with a cap', () => {
        expect(backoffDelay(0, { baseMs: 100, capMs: 1000, random: () => 0.999 })).toBe(99);
        expect(backoffDelay(3, { baseMs: 100, capMs: 1000, random: () => 0.5 })).toBe(400);
        expect(backoffDelay(10, { baseMs: 100, capMs: 1000, random: () => 0.999 })).toBe(999);
        expect(backoffDelay(2, { baseMs: 100, capMs: 1000, random: () => 0 })).toBe(0);
    });

    it('retries 5xx, timeouts, resets and concurrency limits, not the rest', () => {
        expect(isRetryable(new SfHttpError(503, 'SERVER_UNAVAILABLE', ''))).toBe(true);
        expect(
            isRetryable(
                new SfHttpError(
                    403,
                    'REQUEST_LIMIT_EXCEEDED',
                    'ConcurrentPerOrgLongTxn Limit exceeded'
                )
            )
        ).toBe(true);
        expect(
            isRetryable(
                new SfHttpError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
            )
        ).toBe(false);
        expect(isRetryable(new SfHttpError(400, 'MALFORMED_QUERY', ''))).toBe(false);
        expect(
            isRetryable(
                Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })
            )
        ).toBe(true);
        expect(isRetryable(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    });

    it('gives up after the configured retries and waits between attempts', async () => {
        const waits: number[] = [];
        let calls = 0;
        const op = () => {
            calls++;
            return Promise.reject(new SfHttpError(500, 'UNKNOWN_EXCEPTION', 'boom'));
        };
        await expect(
            withRetry(op, {
                retries: 3,
                baseMs: 10,
                capMs: 100,
                random: () => 1,
                sleep: async (ms) => void waits.push(ms)
            })
        ).rejects.toThrow('boom');
        expect(calls).toBe(4);
        expect(waits).toEqual([10, 20, 40]);
        let n = 0;
        const ok = await withRetry(
            async () => (++n < 3 ? Promise.reject(new SfHttpError(502, 'X', '')) : 'done'),
            { retries: 5, baseMs: 1, capMs: 1, sleep: async () => {} }
        );
        expect(ok).toBe('done');
    });
});

describe('API budget', () => {
    it('parses Sforce-Limit-Info', () => {
        expect(parseLimitInfo('api-usage=25/15000; api-bursts=1')).toEqual({
            used: 25,
            max: 15000
        });
        expect(parseLimitInfo(null)).toBeUndefined();
    });

    it('stops before exceeding the share of the remaining daily requests, keeping a reserve', () => {
        const b = new ApiBudget(0.1, 2);
        b.beforeCall();
        b.observe('api-usage=14901/15000'); // 99 remaining before this run's first call + 1 used
        expect(b.allowance).toBe(10);
        for (let i = 0; i < 7; i++) b.beforeCall();
        expect(() => b.beforeCall()).toThrow(BudgetExceededError);
        b.beforeCall(true); // the reserve closes the run
        b.beforeCall(true);
        expect(() => b.beforeCall(true)).toThrow(BudgetExceededError);
    });
});

describe('load encoding', () => {
    const columns = ['FiscalCode__c', 'LastName', 'Email', 'Account.OrgCode__c'];
    it('writes CSV cells: absent -> unchanged, null -> #N/A, relationship null -> unchanged', () => {
        expect(
            toCsvRow(columns, {
                FiscalCode__c: 'A',
                LastName: "Dell'Acqua",
                Email: null,
                'Account.OrgCode__c': null
            })
        ).toEqual(['A', "Dell'Acqua", '#N/A', '']);
        expect(toCsvRow(columns, { FiscalCode__c: 'A', 'Account.OrgCode__c': 'X1' })).toEqual([
            'A',
            '',
            '',
            'X1'
        ]);
        expect(
            fromCsvRow(columns, {
                FiscalCode__c: 'A',
                LastName: '',
                Email: '#N/A',
                'Account.OrgCode__c': 'X1'
            })
        ).toEqual({ FiscalCode__c: 'A', Email: null, 'Account.OrgCode__c': 'X1' });
    });
    it('nests relationship columns for collections', () => {
        expect(
            toCollectionRecord('Contact', {
                FiscalCode__c: 'A',
                Email: null,
                'Account.OrgCode__c': 'X1'
            })
        ).toEqual({
            attributes: { type: 'Contact' },
            FiscalCode__c: 'A',
            Email: null,
            Account: { OrgCode__c: 'X1' }
        });
    });
    it('parses bulk sf__Error values', () => {
        expect(
            parseBulkError(
                'STRING_TOO_LONG:Last Name: data value too large: x (max length=80):LastName --'
            )
        ).toEqual({
            errorCode: 'STRING_TOO_LONG',
            message: 'Last Name: data value too large: x (max length=80)'
        });
        expect(
            parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--')
                .errorCode
        ).toBe('UNABLE_TO_LOCK_ROW');
    });
});

describe('config and auth choice', () => {
    it('fills defaults and rejects bad values with the path', () => {
        expect(parseConfig({}).bulkThreshold).toBe(2000);
        expect(() => parseConfig({ apiBudgetShare: 2 })).toThrow(ConfigError);
        expect(() => parseConfig({ bulkTreshold: 5 })).toThrow(/Unrecognized key/);
        expect(() => parseConfig({ entities: ['patients'] })).toThrow(/entities\[0\]/);
    });
    it('chooses target-org, access token (flags or env) or JWT, and explains what is missing', () => {
        expect(chooseAuth({ targetOrg: 'prod' }, {})).toBe('target-org');
        expect(chooseAuth({}, { SF_INSTANCE_URL: 'https://x', SF_ACCESS_TOKEN: 't' })).toBe(
            'access-token'
        );
        expect(
            chooseAuth(
                {},
                { SF_CLIENT_ID: 'c', SF_USERNAME: 'u@example.org', SF_JWT_KEY_FILE: 'k' }
            )
        ).toBe('jwt');
        expect(() => chooseAuth({ instanceUrl: 'https://x' }, {})).toThrow(/go together/);
        expect(() => chooseAuth({}, {})).toThrow(/--target-org/);
    });
});

describe('ndjson source', () => {
    it('streams resources line by line and surfaces unparseable lines', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'ndjson-'));
        await writeFile(
            join(dir, 'Practitioner.ndjson'),
            '{"resourceType":"Practitioner","id":"1"}\n\nnot json\n{"resourceType":"Practitioner","id":"2"}\n'
        );
        const out: unknown[] = [];
        for await (const r of new NdjsonSource(dir).read('Practitioner')) out.push(r);
        expect(out).toHaveLength(3);
        expect(out[1]).toBeInstanceOf(UnparseableResource);
        expect((out[1] as UnparseableResource).position).toBe('Practitioner.ndjson line 3');
        const none: unknown[] = [];
        for await (const r of new NdjsonSource(dir).read('Organization')) none.push(r);
        expect(none).toEqual([]);
    });
});

describe('keyed query (incremental runs read the changed records by external id)', () => {
    it('escapes SOQL string literals', () => {
        expect(soqlString("O'Brien\\x")).toBe("'O\\'Brien\\\\x'");
    });
    it('splits keys so each URL-encoded IN list stays within the budget, keeping every key once', () => {
        const keys = Array.from({ length: 1000 }, (_, i) => `RSSMRA80A01F205${i}`);
        const chunks = keyChunks(keys, 2000);
        expect(chunks.flat()).toEqual(keys);
        for (const c of chunks)
            expect(encodeURIComponent(c.map(soqlString).join(',')).length).toBeLessThanOrEqual(
                2000
            );
        expect(keyChunks([], 2000)).toEqual([]);
    });
    it('flattens REST records as a Bulk CSV row', () => {
        expect(
            flattenRecord({
                attributes: { type: 'Contact' },
                Id: '003',
                Email: null,
                Active__c: true,
                Account: { attributes: { type: 'Account' }, OrgCode__c: 'ATS1' }
            })
        ).toEqual({ Id: '003', Email: '', Active__c: 'true', 'Account.OrgCode__c': 'ATS1' });
    });
});

describe('incremental pre-filter of raw Practitioner lines (unchangedSince)', () => {
    const since = '2025-06-01T00:00:00.000Z';
    const line = (lu: string, id = 'p1') =>
        `{"resourceType":"Practitioner","id":"${id}","meta":{"lastUpdated":"${lu}"},"active":true}`;
    it('skips only lines certainly at or before the watermark', () => {
        const skip = unchangedSince(since, new Set());
        expect(skip(line('2025-05-31T23:59:59.000Z'))).toBe(true);
        expect(skip(line(since))).toBe(true);
        expect(skip(line('2025-06-01T00:00:00.001Z'))).toBe(false);
        // other date forms are normalised as the engine does
        expect(skip(line('2025-06-01T02:00:00+02:00'))).toBe(true);
        expect(skip(line('2025-06-01T02:00:01+02:00'))).toBe(false);
    });
    it('parses anything unusual', () => {
        const skip = unchangedSince(since, new Set());
        expect(skip('{"id":"p1","active":true}')).toBe(false); // no lastUpdated
        expect(
            skip(line('2025-01-01T00:00:00.000Z').replace('"lastUpdated":', '"lastUpdated" :'))
        ).toBe(false);
        expect(
            skip(line('2025-01-01T00:00:00.000Z').replace('"active"', '"x":"\\u0041","active"'))
        ).toBe(false);
        const twice = line('2025-01-01T00:00:00.000Z').replace(
            '"active":true',
            '"extension":[{"lastUpdated":"2025-01-01T00:00:00.000Z"}]'
        );
        expect(skip(twice)).toBe(false);
    });
    it('parses a practitioner whose role changed', () => {
        const skip = unchangedSince(since, new Set(['p2']));
        expect(skip(line('2025-01-01T00:00:00.000Z', 'p1'))).toBe(true);
        expect(skip(line('2025-01-01T00:00:00.000Z', 'p2'))).toBe(false);
        expect(skip(line('2025-01-01T00:00:00.000Z').replace('"id":', '"id" :'))).toBe(false);
    });
});

describe('incremental pre-filter of raw PractitionerRole lines (roleUnneeded)', () => {
    const since = '2025-06-01T00:00:00.000Z';
    const old = '2025-01-01T00:00:00.000Z';
    const role = (lu: string, practitioner = 'p1') =>
        JSON.stringify({
            resourceType: 'PractitionerRole',
            id: 'r1',
            meta: { lastUpdated: lu },
            active: true,
            period: { start: '2020-01-01' },
            practitioner: { reference: `Practitioner/${practitioner}` },
            organization: { reference: 'Organization/o1' },
            code: [{ coding: [{ system: 'urn:fse2:ruolo', code: 'MMG' }] }]
        });
    const skip = roleUnneeded(since, new Set(['p2']));
    it('skips only old roles of practitioners the run does not process', () => {
        expect(rolePractitionerOfText(role(old, 'p1'))).toBe('p1');
        expect(skip(role(old, 'p1'))).toBe(true);
        expect(skip(role(since, 'p1'))).toBe(true);
        // changed itself, or of a practitioner the run processes: parsed
        expect(skip(role('2025-06-01T00:00:00.001Z', 'p1'))).toBe(false);
        expect(skip(role('2025-06-01T02:00:01+02:00', 'p1'))).toBe(false);
        expect(skip(role(old, 'p2'))).toBe(false);
        // an id that is a prefix/extension of a needed one is another practitioner
        expect(skip(role(old, 'p22'))).toBe(true);
        expect(roleUnneeded(since, new Set(['p22']))(role(old, 'p2'))).toBe(true);
    });
    it('parses every tricky line', () => {
        const line = role(old, 'p1');
        const tricky = [
            // spacing, escapes, key order the test does not know
            line.replace('"practitioner":{', '"practitioner": {'),
            line.replace('{"reference":"Practitioner/p1"}', '{ "reference":"Practitioner/p1"}'),
            line.replace('"Practitioner/p1"', '"Practitioner\\/p1"'),
            line.replace('"Practitioner/p1"', '"Practitioner/\\u0070\\u0032"'), // p2 escaped
            line.replace('"lastUpdated":', '"lastUpdated" :'),
            line.replace(
                '{"reference":"Practitioner/p1"}',
                '{"reference":"Practitioner/p1","display":"x"}'
            ),
            line.replace(
                '{"reference":"Practitioner/p1"}',
                '{"display":"x","reference":"Practitioner/p2"}'
            ),
            // a second practitioner key (JSON.parse keeps the last one)
            line.replace('"active":true', '"practitioner":{"reference":"Practitioner/p2"}'),
            // a relative or absolute reference of another form
            line.replace('"Practitioner/p1"', '"https://x.example/Practitioner/p1"'),
            // no or several lastUpdated
            line.replace('"meta":{"lastUpdated":"2025-01-01T00:00:00.000Z"},', ''),
            line.replace('"active":true', '"lastUpdated":"2026-01-01T00:00:00.000Z"'),
            // no practitioner at all, or not JSON
            line.replace('"practitioner":{"reference":"Practitioner/p1"},', ''),
            '{"practitioner":{"reference":"Practitioner/p1"',
            '{"practitioner":{"reference":"Practitioner/p1"}'
        ];
        for (const t of tricky) expect([t, skip(t)]).toEqual([t, false]);
        // a plain old line with an unparseable date is old for the engine too ('' <= since)
        expect(skip(line.replace(old, 'not a date'))).toBe(true);
        // spacing elsewhere does not matter, nor another old date form
        expect(skip(line.replace(old, '2025-01-01T00:00:00Z').replace('"meta":', '"meta" :'))).toBe(
            true
        );
    });
});
