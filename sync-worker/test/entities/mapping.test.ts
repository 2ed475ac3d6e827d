import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapPractitioner } from '../../src/entities/professionals/map.ts';
import { betterRole, parseRole } from '../../src/entities/professionals/roles.ts';
import type { CompactRole } from '../../src/entities/professionals/role-table.ts';
import { mapOrganization } from '../../src/entities/organizations.ts';
import { TARGET_CATEGORIES } from '../../src/entities/codes.ts';
import { field, FieldSet } from '../../src/entities/fields.ts';
import { canonical, syncHash } from '../../src/pipeline/sync-hash.ts';
import { PROFESSIONALS } from '../../src/entities/professionals/spec.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const texts = (...names: string[]) => new FieldSet(names.map((name) => field.text(name)));
const orgs = new Map([['org-1', '030ASST701']]);
const role: CompactRole = {
    active: true,
    start: '2020-01-01',
    orgId: 'org-1',
    role: 'INF',
    category: 'Infermiere',
    updated: '2025-01-01T00:00:00.000Z'
};

function practitioner(over: Record<string, unknown> = {}) {
    return {
        resourceType: 'Practitioner',
        id: 'p1',
        meta: { lastUpdated: '2025-03-01T10:00:00+01:00' },
        active: true,
        identifier: [{ system: 'http://hl7.it/sid/codiceFiscale', value: ' plldsr80e47a462p ' }],
        name: [{ family: "D'Angelo", given: ['Maria', 'Grazia'] }],
        telecom: [
            { system: 'email', value: 'maria.dangelo@example.org' },
            { system: 'phone', value: '+39 333 0000000', use: 'work' },
            { system: 'sms', value: '+39 347 1111111', use: 'mobile' }
        ],
        birthDate: '1980-05-07',
        ...over
    };
}

describe('mapping contract: Practitioner -> Contact', () => {
    it('maps every field of the contract', () => {
        const m = mapPractitioner(practitioner(), role, orgs);
        expect(m.ok).toBe(true);
        if (!m.ok) return;
        expect(m.key).toBe('PLLDSR80E47A462P');
        expect(m.record).toEqual({
            FiscalCode__c: 'PLLDSR80E47A462P',
            LastName: "D'Angelo",
            FirstName: 'Maria Grazia',
            Email: 'maria.dangelo@example.org',
            MobilePhone: '+39 347 1111111',
            Birthdate: '1980-05-07',
            RegistryStatus__c: 'Active',
            RegistryLastUpdated__c: '2025-03-01T09:00:00.000Z',
            FseRole__c: 'INF',
            TargetCategory__c: 'Infermiere',
            'Account.OrgCode__c': '030ASST701'
        });
    });

    it('makes a professional Ceased when inactive or without an active role', () => {
        const inactive = mapPractitioner(practitioner({ active: false }), role, orgs);
        expect(inactive.ok && inactive.record.RegistryStatus__c).toBe('Ceased');
        const noRole = mapPractitioner(practitioner(), undefined, orgs);
        expect(noRole.ok && noRole.record.RegistryStatus__c).toBe('Ceased');
        const ended = mapPractitioner(practitioner(), { ...role, active: false }, orgs);
        expect(ended.ok && ended.record.RegistryStatus__c).toBe('Ceased');
    });

    it.each([
        [
            {
                identifier: [
                    { system: 'http://hl7.it/sid/codiceFiscale', value: 'PLLDSR80E47A462Q' }
                ]
            },
            'identifier[0].value: fiscal code invalid check character'
        ],
        [
            { identifier: [{ system: 'urn:other', value: 'X' }] },
            'identifier: no value with system http://hl7.it/sid/codiceFiscale'
        ],
        [{ name: [{ given: ['Anna'] }] }, 'name[0].family: required'],
        [{ name: [{ family: 'A'.repeat(81) }] }, 'LastName: longer than 80 characters (got 81)'],
        [
            { telecom: [{ system: 'email', value: 'not-an-email' }] },
            'telecom[0].value: invalid e-mail address'
        ],
        [{ birthDate: '1980-05' }, 'birthDate: must be a valid date'],
        [{ meta: {} }, 'meta.lastUpdated: required']
    ])('rejects %j with a precise reason and a masked key', (over, reason) => {
        const m = mapPractitioner(practitioner(over), role, orgs);
        expect(m.ok).toBe(false);
        if (m.ok) return;
        expect(m.reason).toBe(reason);
        expect(m.key).not.toContain('DSR80E47A462');
    });

    it('rejects a role pointing to an unknown organisation', () => {
        const m = mapPractitioner(practitioner(), { ...role, orgId: 'nope' }, orgs);
        expect(!m.ok && m.reason).toBe('PractitionerRole.organization: unknown Organization/nope');
    });

    it('rejects a first name longer than the field instead of truncating it', () => {
        const m = mapPractitioner(
            practitioner({ name: [{ family: 'Rossi', given: ['Maria'.repeat(9)] }] }),
            role,
            orgs
        );
        expect(!m.ok && m.reason).toBe('FirstName: longer than 40 characters (got 45)');
    });
});

describe('PractitionerRole', () => {
    const raw = (over: Record<string, unknown> = {}) => ({
        resourceType: 'PractitionerRole',
        id: 'r1',
        active: true,
        period: { start: '2021-01-01' },
        practitioner: { reference: 'Practitioner/p1' },
        organization: { reference: 'Organization/org-1' },
        code: [
            {
                coding: [
                    { system: 'urn:fse2:ruolo', code: 'APR' },
                    { system: 'urn:fse2:categoria-target', code: 'MMG' }
                ]
            }
        ],
        ...over
    });

    it('parses role, category and organisation', () => {
        const r = parseRole(raw(), NOW);
        expect(r).toEqual({
            ok: true,
            practitionerId: 'p1',
            role: {
                active: true,
                start: '2021-01-01',
                orgId: 'org-1',
                role: 'APR',
                category: 'MMG',
                updated: ''
            }
        });
    });

    it('rejects bad references, unknown role codes and categories', () => {
        expect(parseRole(raw({ practitioner: { reference: 'Patient/1' } }), NOW)).toMatchObject({
            ok: false,
            reason: 'practitioner.reference: must be a Practitioner/<id> reference'
        });
        expect(
            parseRole(raw({ code: [{ coding: [{ system: 'urn:fse2:ruolo', code: 'ASS' }] }] }), NOW)
        ).toMatchObject({ ok: false, reason: 'code[urn:fse2:ruolo]: unknown FSE role code' });
        expect(
            parseRole(
                raw({
                    code: [
                        { coding: [{ system: 'urn:fse2:categoria-target', code: 'Astronauta' }] }
                    ]
                }),
                NOW
            )
        ).toMatchObject({ ok: false });
    });

    it('treats a role whose period ended as inactive', () => {
        const r = parseRole(raw({ period: { start: '2010-01-01', end: '2019-12-31' } }), NOW);
        expect(r.ok && r.role.active).toBe(false);
    });

    it('picks active roles first, then the latest period.start', () => {
        const old = { ...role, start: '2010-01-01' };
        const newer = { ...role, start: '2022-01-01', orgId: 'org-2' };
        const inactiveNewest = { ...role, active: false, start: '2024-01-01' };
        expect(betterRole(betterRole(betterRole(undefined, old), inactiveNewest), newer)).toBe(
            newer
        );
        expect(betterRole(inactiveNewest, old)).toBe(old);
    });

    it('knows the same target categories as the org picklist (global value set)', () => {
        const file = join(
            __dirname,
            '../../../force-app/main/default/globalValueSets/FseTargetCategory.globalValueSet-meta.xml'
        );
        const values = [
            ...readFileSync(file, 'utf8').matchAll(/<fullName>([^<]+)<\/fullName>/g)
        ].map((m) => m[1]);
        expect([...TARGET_CATEGORIES].sort()).toEqual(values.sort());
    });
});

describe('mapping contract: Organization -> Account', () => {
    const org = (over: Record<string, unknown> = {}) => ({
        resourceType: 'Organization',
        id: 'org-1',
        identifier: [
            { system: 'http://hl7.it/sid/fls', value: 'FLS1' },
            { system: 'urn:fse2:codice-ente', value: '030ASST701' }
        ],
        name: 'ASST Grande Ospedale Metropolitano Niguarda',
        type: [{ coding: [{ code: 'ASST' }] }],
        ...over
    });
    it('prefers urn:fse2:codice-ente, falls back to the FLS code, maps unknown types to ALTRO', () => {
        expect(mapOrganization(org())).toMatchObject({
            ok: true,
            key: '030ASST701',
            record: { OrgCode__c: '030ASST701', OrgType__c: 'ASST' }
        });
        expect(
            mapOrganization(
                org({
                    identifier: [{ system: 'http://hl7.it/sid/fls', value: 'FLS1' }],
                    type: [{ coding: [{ code: 'RSA' }] }]
                })
            )
        ).toMatchObject({
            ok: true,
            record: { OrgCode__c: 'FLS1', OrgType__c: 'ALTRO' }
        });
        expect(mapOrganization(org({ identifier: [{ system: 'x', value: '1' }] }))).toMatchObject({
            ok: false
        });
        expect(
            mapOrganization(
                org({ identifier: [{ system: 'http://hl7.it/sid/fls', value: 'X'.repeat(21) }] })
            )
        ).toMatchObject({
            ok: false,
            reason: 'OrgCode__c: longer than 20 characters (got 21)'
        });
    });
});

describe('SyncHash__c', () => {
    const rec = { FiscalCode__c: 'PLLDSR80E47A462P', LastName: 'Rossi', Email: null };
    it('is a sha256 hex of the canonical form, independent of key order and missing-vs-null', () => {
        const h = syncHash(rec, texts('LastName', 'FiscalCode__c', 'Email'));
        expect(h).toMatch(/^[0-9a-f]{64}$/);
        expect(
            syncHash(
                { LastName: 'Rossi', FiscalCode__c: 'PLLDSR80E47A462P' },
                texts('FiscalCode__c', 'Email', 'LastName')
            )
        ).toBe(h);
        expect(
            syncHash({ ...rec, LastName: 'Rossa' }, texts('LastName', 'FiscalCode__c', 'Email'))
        ).not.toBe(h);
    });
    it('normalises org-side date-times so --reconcile compares like with like', () => {
        const mapped = canonical(
            { RegistryLastUpdated__c: '2025-03-01T09:00:00.000Z' },
            new FieldSet([field.datetime('RegistryLastUpdated__c')])
        );
        expect(
            canonical(
                { RegistryLastUpdated__c: '2025-03-01T09:00:00.000+0000' },
                new FieldSet([field.datetime('RegistryLastUpdated__c')])
            )
        ).toBe(mapped);
    });
    it('covers every mapped professional field', () => {
        const m = mapPractitioner(practitioner(), role, orgs);
        expect(m.ok && Object.keys(m.record).sort()).toEqual(
            [...PROFESSIONALS.fields.names].sort()
        );
    });
});
