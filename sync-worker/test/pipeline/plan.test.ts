import { absentActive, indexRow, OrgIndex } from '../../src/pipeline/org-index.ts';
import { decide } from '../../src/pipeline/plan.ts';
import { field, FieldSet } from '../../src/entities/fields.ts';
import { syncHash } from '../../src/pipeline/sync-hash.ts';

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
