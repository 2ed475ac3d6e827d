// Values are compared as the org stores them (issue 14, case 7): multi-select values whatever
// their order (the org returns the value set's order), rich text as a Rich Text Area keeps it,
// line breaks as LF; so --reconcile does not rewrite records the org merely normalised.
import { field, FieldSet } from '../../src/entities/fields.ts';
import { syncHash } from '../../src/pipeline/sync-hash.ts';

const FIELDS = new FieldSet([
    field.text('Key__c'),
    field.multipicklist('Targets__c'),
    field.html('Body__c'),
    field.text('Notes__c')
]);

describe('the hash compares values as the org stores them', () => {
    it('multi-select order, the <pre> a Rich Text Area drops, CR LF', () => {
        const registry = {
            Key__c: 'k',
            Targets__c: 'Farmacista;MMG;Infermiere',
            Body__c: '<p>Esempio:</p>\n<pre><code>x = 1\n</code></pre>',
            Notes__c: 'riga uno\r\nriga due'
        };
        const org = {
            Key__c: 'k',
            Targets__c: 'MMG;Infermiere;Farmacista',
            Body__c: '<p>Esempio:</p>\n<code>x = 1\n</code>',
            Notes__c: 'riga uno\nriga due'
        };
        expect(syncHash(org, FIELDS)).toBe(syncHash(registry, FIELDS));
    });
    it('a real difference is still one', () => {
        const base = { Key__c: 'k', Targets__c: 'MMG', Body__c: '<p>a</p>', Notes__c: null };
        expect(syncHash({ ...base, Targets__c: 'MMG;PLS' }, FIELDS)).not.toBe(
            syncHash(base, FIELDS)
        );
        expect(syncHash({ ...base, Body__c: '<p>b</p>' }, FIELDS)).not.toBe(syncHash(base, FIELDS));
        expect(syncHash({ ...base, Body__c: '<p><strong>a</strong></p>' }, FIELDS)).not.toBe(
            syncHash(base, FIELDS)
        );
    });
});
