import { KeyTable } from '../../src/util/key-table.ts';
import { field, FieldSet } from '../../src/entities/fields.ts';
import { OrgIndex, absentActive, countStatus, indexRow } from '../../src/pipeline/org-index.ts';

const HASH = 'ab'.repeat(32);

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
