import { stringify } from 'csv-stringify/sync';
import {
    csvLine,
    keysOf,
    fromCsvRow,
    plainColumns,
    toCsvRow,
    uploadColumnsFor
} from '../../src/salesforce/csv.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupFieldOf, toCollectionRecord } from '../../src/salesforce/record.ts';
import { parseBulkError } from '../../src/salesforce/bulk2/results.ts';

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

describe('load encoding', () => {
    const columns = ['FiscalCode__c', 'LastName', 'Email', 'Account.OrgCode__c'];
    // issue 14: a null lookup is cleared (it used to be written '' = "leave unchanged", so a
    // professional whose organisation was gone kept the old AccountId)
    it('writes CSV cells: absent -> unchanged, null -> #N/A, a null lookup -> its Id field #N/A', () => {
        const record = {
            FiscalCode__c: 'A',
            LastName: "Dell'Acqua",
            Email: null,
            'Account.OrgCode__c': null
        };
        const cleared = uploadColumnsFor(columns, record);
        expect(cleared.map((c) => c.header)).toEqual([
            'FiscalCode__c',
            'LastName',
            'Email',
            'AccountId'
        ]);
        expect(toCsvRow(cleared, record)).toEqual(['A', "Dell'Acqua", '#N/A', '#N/A']);
        const linked = { FiscalCode__c: 'A', 'Account.OrgCode__c': 'X1' };
        const plain = uploadColumnsFor(columns, linked);
        expect(plain.map((c) => c.header)).toEqual(columns);
        expect(toCsvRow(plain, linked)).toEqual(['A', '', '', 'X1']);
        // read back (failed results), the cleared lookup is the null relationship again
        expect(
            fromCsvRow(cleared, {
                FiscalCode__c: 'A',
                LastName: '',
                Email: '#N/A',
                AccountId: '#N/A'
            })
        ).toEqual({ FiscalCode__c: 'A', Email: null, 'Account.OrgCode__c': null });
        expect(lookupFieldOf('Parent__r')).toBe('Parent__c');
        expect(lookupFieldOf('Individual')).toBe('IndividualId');
    });
    it('never writes a raw CR: line breaks as LF (an LF job fails on CR LF)', () => {
        const row = toCsvRow(plainColumns(['Description']), { Description: 'a\r\nb\rc' });
        expect(row).toEqual(['a\nb\nc']);
        expect(csvLine(row)).not.toContain('\r');
    });
    it('nests relationship columns for collections; a null one clears the lookup field', () => {
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
        expect(
            toCollectionRecord('Contact', { FiscalCode__c: 'A', 'Account.OrgCode__c': null })
        ).toEqual({ attributes: { type: 'Contact' }, FiscalCode__c: 'A', AccountId: null });
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
