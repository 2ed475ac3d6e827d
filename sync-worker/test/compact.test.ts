import { stringify } from 'csv-stringify/sync';
import { csvLine, keysOf } from '../src/salesforce/csv.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyTable } from '../src/util/key-table.ts';
import { RoleTable } from '../src/entities/professionals/role-table.ts';
import { field, FieldSet } from '../src/entities/fields.ts';
import { OrgIndex, absentActive, countStatus, indexRow } from '../src/pipeline/org-index.ts';

const HASH = 'ab'.repeat(32);

describe('KeyTable', () => {
    it('gives dense slots in insertion order, finds every key again after growing', () => {
        const t = new KeyTable(4);
        const keys = Array.from({ length: 5000 }, (_, i) => `K${i * 7919}`);
        keys.forEach((k, i) => expect(t.add(k)).toBe(i));
        expect(t.size).toBe(5000);
        expect(t.add('K0')).toBe(0);
        expect(t.size).toBe(5000);
        keys.forEach((k, i) => expect(t.get(k)).toBe(i));
        expect(t.get('missing')).toBe(-1);
        expect(t.has('K7919')).toBe(true);
        expect(t.key(3)).toBe(keys[3]);
        expect([...t.keys()].slice(0, 2)).toEqual(keys.slice(0, 2));
    });

    it('keeps non-ASCII keys and keys that differ only in length', () => {
        const t = new KeyTable();
        t.add('Noè');
        t.add('No');
        t.add('');
        expect(t.get('Noè')).toBe(0);
        expect(t.get('No')).toBe(1);
        expect(t.get('')).toBe(2);
        expect(t.key(0)).toBe('Noè');
    });
});

describe('OrgIndex', () => {
    const opts = {
        externalId: 'FiscalCode__c',
        fields: new FieldSet([field.text('FiscalCode__c'), field.text('LastName')]),
        statusField: 'RegistryStatus__c',
        hashField: 'SyncHash__c',
        reconcile: false
    };

    it('answers like the Map of packed strings, whatever the hash looks like', () => {
        const idx = new OrgIndex();
        const rows = [
            {
                Id: '003Hp000000001AAAA',
                FiscalCode__c: 'A',
                SyncHash__c: HASH,
                RegistryStatus__c: 'Active'
            },
            {
                Id: '003Hp000000002AAAA',
                FiscalCode__c: 'B',
                SyncHash__c: 'deactivated',
                RegistryStatus__c: 'Ceased'
            },
            {
                Id: '003Hp000000003',
                FiscalCode__c: 'C',
                SyncHash__c: '',
                RegistryStatus__c: 'Active'
            }
        ];
        for (const r of rows) indexRow(idx, r, opts);
        expect(idx.size).toBe(3);
        expect(idx.lookup('A')).toEqual({
            id: '003Hp000000001AAAA',
            hash: HASH,
            status: 'Active'
        });
        expect(idx.lookup('B')).toEqual({
            id: '003Hp000000002AAAA',
            hash: 'deactivated',
            status: 'Ceased'
        });
        expect(idx.lookup('C')).toEqual({ id: '003Hp000000003', hash: '', status: 'Active' });
        expect(idx.lookup('D')).toBeUndefined();
        // the same key again replaces the entry
        indexRow(
            idx,
            { ...rows[1], SyncHash__c: HASH.toUpperCase(), RegistryStatus__c: 'Active' },
            opts
        );
        expect(idx.lookup('B')).toEqual({
            id: '003Hp000000002AAAA',
            hash: HASH.toUpperCase(),
            status: 'Active'
        });
        expect(idx.size).toBe(3);
        expect(countStatus(idx, 'Active')).toBe(3);
        expect([...absentActive(idx, (k) => k === 'A', 'Active')]).toEqual(['B', 'C']);
    });

    it('keeps extra org fields and grows past its initial capacity', () => {
        const idx = new OrgIndex();
        for (let i = 0; i < 70000; i++)
            indexRow(
                idx,
                {
                    Id: `003Hp${String(i).padStart(13, '0')}`,
                    FiscalCode__c: `K${i}`,
                    SyncHash__c: HASH,
                    RegistryStatus__c: i % 2 ? 'Active' : 'Ceased',
                    CaptureSource: 'web\tform'
                },
                { ...opts, extraFields: ['CaptureSource'] }
            );
        expect(idx.size).toBe(70000);
        expect(idx.lookup('K69999')).toEqual({
            id: '003Hp0000000069999',
            hash: HASH,
            status: 'Active',
            extra: ['web form']
        });
        expect(countStatus(idx, ['Active', 'Ceased'])).toBe(70000);
    });
});

describe('OrgIndex over a shared key table', () => {
    it('knows only the keys put into it, and adds org-only keys to the table', () => {
        const keys = new KeyTable();
        keys.add('SNAPSHOT-ONLY');
        keys.add('BOTH');
        const idx = new OrgIndex(keys);
        idx.put('BOTH', { id: '003Hp000000001AAAA', hash: HASH, status: 'Active' });
        idx.put('ORG-ONLY', { id: '003Hp000000002AAAA', hash: HASH, status: 'Active' });
        expect(idx.size).toBe(2);
        expect(idx.has('SNAPSHOT-ONLY')).toBe(false);
        expect(idx.lookup('SNAPSHOT-ONLY')).toBeUndefined();
        expect(idx.lookup('BOTH')!.id).toBe('003Hp000000001AAAA');
        expect(keys.get('ORG-ONLY')).toBe(2);
        expect(countStatus(idx, 'Active')).toBe(2);
        expect([...absentActive(idx, (k) => k === 'BOTH', 'Active')]).toEqual(['ORG-ONLY']);
    });
});

describe('RoleTable', () => {
    it('returns the stored role tuple, nulls and odd instants included', () => {
        const t = new RoleTable();
        const a = {
            active: true,
            start: '2020-01-01',
            orgId: 'org-001',
            role: 'INF',
            category: 'Infermiere',
            updated: '2025-03-01T10:00:00.000Z'
        };
        const b = {
            active: false,
            start: '',
            orgId: 'org-002',
            role: null,
            category: null,
            updated: ''
        };
        const c = { ...a, updated: 'yesterday' };
        t.set('prac-1', a);
        t.set('prac-2', b);
        t.set('prac-3', c);
        expect(t.get('prac-1')).toEqual(a);
        expect(t.get('prac-2')).toEqual(b);
        expect(t.get('prac-3')).toEqual(c);
        expect(t.get('prac-4')).toBeUndefined();
        t.set('prac-1', b);
        expect(t.get('prac-1')).toEqual(b);
        expect(t.size).toBe(3);
    });
});

describe('csvLine', () => {
    it('writes exactly what csv-stringify writes, quoting only when needed', () => {
        const rows = [
            ['PLLDSR80E47A462P', "D'Ingresso", 'Noè', '', '#N/A'],
            ['a,b', 'say "hi"', 'two\nlines', 'cr\r', ' spaced ']
        ];
        for (const r of rows) expect(csvLine(r)).toBe(stringify([r]));
        expect(csvLine(['a,b', 'c"d'])).toBe('"a,b","c""d"\n');
    });
});

describe('keysOf', () => {
    it('reads the external ids back from an upload file (a failed job reports them)', async () => {
        const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'Contact.csv');
        writeFileSync(
            file,
            csvLine(['LastName', 'FiscalCode__c', 'Account.OrgCode__c']) +
                csvLine(['Rossi, Anna', 'PLLDSR80E47A462P', '030ASST711']) +
                csvLine(['say "hi"\nthere', 'RSSMRA80A01F205X', ''])
        );
        expect(await keysOf(file, 'FiscalCode__c')).toEqual([
            'PLLDSR80E47A462P',
            'RSSMRA80A01F205X'
        ]);
    });
});
