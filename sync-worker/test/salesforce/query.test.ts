import { flattenRecord } from '../../src/salesforce/record.ts';
import { keyChunks, soqlString } from '../../src/salesforce/query.ts';

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
