// The sync hash is built for speed (issue 22: one string built piece by piece, one-shot sha256,
// canonical instants not parsed again); it must stay exactly the hash every earlier run wrote to
// SyncHash__c, or every record in the org would look changed and be rewritten. The reference
// below is the earlier implementation, kept verbatim as the oracle.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { field, FieldSet } from '../../src/entities/fields.ts';
import { CONTACT_FIELDS } from '../../src/entities/professionals/fields.ts';
import { canonical, syncHash } from '../../src/pipeline/sync-hash.ts';
import { parseSalesforceDateTime } from '../../src/salesforce/datetime.ts';
import { orgText, type SfRecord } from '../../src/salesforce/record.ts';
import { storedRichText } from '../../src/salesforce/rich-text.ts';
import { isCanonicalInstant, isoInstant } from '../../src/util/instant.ts';

function referenceValue(fields: FieldSet, name: string, value: string | null | undefined) {
    if (value === undefined || value === null || value === '') return null;
    const type = fields.typeOf(name);
    if (type === 'datetime' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        const time = parseSalesforceDateTime(value);
        return Number.isNaN(time) ? value : new Date(time).toISOString();
    }
    if (type === 'multipicklist' && value.includes(';'))
        return [...new Set(value.split(';').map((v) => v.trim()))].sort().join(';');
    if (type === 'html') return storedRichText(orgText(value)) || null;
    return orgText(value);
}

function referenceHash(record: SfRecord, fields: FieldSet): string {
    const text = JSON.stringify(
        fields.sortedNames.map((name) => [name, referenceValue(fields, name, record[name])])
    );
    return createHash('sha256').update(text).digest('hex');
}

const ALL_TYPES = new FieldSet([
    field.text('Name'),
    field.text('Zeta__c'),
    field.datetime('When__c'),
    field.multipicklist('Targets__c'),
    field.html('Body__c'),
    field.date('Day__c'),
    field.reference('Account', 'OrgCode__c')
]);

/** Date-times near the canonical form: valid, invalid calendar dates, offsets, odd hours. */
const dateTime = fc
    .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('Z', '+0000', '+01:00', '-0530', '', 'z')
    )
    .map(([y, mo, d, h, mi, s, ms, zone]) => {
        const p = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}${zone}`;
    });

const value = fc.oneof(
    fc.constant(null),
    fc.constant(''),
    fc.string(),
    dateTime,
    fc.constantFrom('MMG;PLS', 'b; a;a', '<p>x</p>\r\n<pre>y</pre>', 'riga\r\nriga', 'è"\\\u2028')
);

describe('sync hash: the same hash as the earlier implementation', () => {
    it('for any record of any field types (values, nulls, missing fields, date-times)', () => {
        fc.assert(
            fc.property(
                fc.dictionary(fc.constantFrom(...ALL_TYPES.names, 'Other__c'), value),
                (record) => {
                    expect(syncHash(record, ALL_TYPES)).toBe(referenceHash(record, ALL_TYPES));
                }
            ),
            { numRuns: 3000 }
        );
    });

    it('for Contacts, pinned to a hash an earlier run wrote', () => {
        const contact: SfRecord = {
            FiscalCode__c: 'PRSNCL99T08C933B',
            LastName: 'Parisi',
            FirstName: 'Niccolò',
            Email: 'niccolo.parisi.1@example.org',
            MobilePhone: '+39 3403744765',
            Birthdate: '1999-12-08',
            RegistryStatus__c: 'Active',
            RegistryLastUpdated__c: '2025-08-05T10:13:08.000Z',
            FseRole__c: 'PSS',
            TargetCategory__c: 'OperatoreAccoglienza',
            'Account.OrgCode__c': 'ORG-019'
        };
        // computed by the implementation before issue 22 (commit 0bb270a), whose Contact fields
        // were those of today less the subject key's two (added by issue 21, hashed with the rest)
        const before = new FieldSet(
            CONTACT_FIELDS.fields.filter(
                (f) => f.name !== 'SubjectKey__c' && f.name !== 'SubjectKeyFingerprint__c'
            )
        );
        expect(before.names).toHaveLength(CONTACT_FIELDS.names.length - 2);
        expect(syncHash(contact, before)).toBe(
            'afb5acfe4d0b691d89764ff91dccf230ac9b12f42e94104d6b3e377be5ff7b07'
        );
        expect(syncHash(contact, CONTACT_FIELDS)).toBe(referenceHash(contact, CONTACT_FIELDS));
        expect(canonical(contact, CONTACT_FIELDS)).toBe(
            JSON.stringify(
                CONTACT_FIELDS.sortedNames.map((n) => [n, contact[n] === '' ? null : contact[n]])
            )
        );
    });
});

describe('canonical instants', () => {
    it('are exactly the values that parse and print back unchanged', () => {
        fc.assert(
            fc.property(dateTime, (text) => {
                const time = Date.parse(text);
                const roundTrip = !Number.isNaN(time) && new Date(time).toISOString() === text;
                expect(isCanonicalInstant(text)).toBe(roundTrip);
                expect(isoInstant(text)).toBe(
                    Number.isNaN(time) ? null : new Date(time).toISOString()
                );
            }),
            { numRuns: 20000 }
        );
    });

    it('leap days and the ends of months', () => {
        expect(isCanonicalInstant('2024-02-29T23:59:59.999Z')).toBe(true);
        expect(isCanonicalInstant('2025-02-29T00:00:00.000Z')).toBe(false);
        expect(isCanonicalInstant('2000-02-29T00:00:00.000Z')).toBe(true);
        expect(isCanonicalInstant('1900-02-29T00:00:00.000Z')).toBe(false);
        expect(isCanonicalInstant('2025-04-31T00:00:00.000Z')).toBe(false);
        expect(isCanonicalInstant('2025-01-01T24:00:00.000Z')).toBe(false);
        expect(isoInstant('2025-01-01T24:00:00.000Z')).toBe('2025-01-02T00:00:00.000Z');
    });
});
