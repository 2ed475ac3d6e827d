import { mapPractitioner } from '../../src/entities/professionals/map.ts';
import { betterRole, parseRole } from '../../src/entities/professionals/roles.ts';
import type { RoleMapping } from '../../src/entities/professionals/role-map.ts';
import type { CompactRole } from '../../src/entities/professionals/role-table.ts';
import { mapOrganization } from '../../src/entities/organizations.ts';
import { field, FieldSet } from '../../src/entities/fields.ts';
import type { Vocabularies } from '../../src/entities/vocabularies/load.ts';
import { canonical, syncHash } from '../../src/pipeline/sync-hash.ts';
import { PROFESSIONALS } from '../../src/entities/professionals/spec.ts';
import { Subjects } from '../../src/domain/subject-key.ts';
import { testVocabularies } from './vocabularies/helpers.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const texts = (...names: string[]) => new FieldSet(names.map((name) => field.text(name)));
const orgs = new Map([['org-1', '030ASST701']]);
const role: CompactRole = {
    active: true,
    start: '2020-01-01',
    orgCode: '030ASST701',
    role: 'INF',
    category: 'Infermiere',
    updated: '2025-01-01T00:00:00.000Z'
};
let vocabularies: Vocabularies;
let mapping: RoleMapping;
beforeAll(async () => {
    vocabularies = await testVocabularies();
    mapping = {
        orgCodeById: orgs,
        roles: vocabularies.get('fseRole'),
        categories: vocabularies.get('targetCategory')
    };
});

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
        const m = mapPractitioner(practitioner(), role);
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
        const inactive = mapPractitioner(practitioner({ active: false }), role);
        expect(inactive.ok && inactive.record.RegistryStatus__c).toBe('Ceased');
        const noRole = mapPractitioner(practitioner(), undefined);
        expect(noRole.ok && noRole.record.RegistryStatus__c).toBe('Ceased');
        const ended = mapPractitioner(practitioner(), { ...role, active: false });
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
        [{ meta: { lastUpdated: 'yesterday' } }, 'meta.lastUpdated: must be a valid datetime']
    ])('rejects %j with a precise reason and a masked key', (over, reason) => {
        const m = mapPractitioner(practitioner(over), role);
        expect(m.ok).toBe(false);
        if (m.ok) return;
        expect(m.reason).toBe(reason);
        expect(m.key).not.toContain('DSR80E47A462');
    });

    it('maps a practitioner without meta (optional in FHIR R4): no date, treated as changed', () => {
        const m = mapPractitioner(practitioner({ meta: undefined }), { ...role, updated: '' });
        expect(m).toMatchObject({ ok: true, updatedAt: '' });
        expect(m.ok && m.record.RegistryLastUpdated__c).toBeNull();
    });

    it('does not write the parts of a role that could not be mapped, and stays Active', () => {
        const m = mapPractitioner(practitioner(), { ...role, category: null, orgCode: '' });
        expect(m.ok).toBe(true);
        if (!m.ok) return;
        expect(m.record.RegistryStatus__c).toBe('Active');
        expect(m.record.FseRole__c).toBe('INF');
        // not written at all (an empty Bulk cell or an absent JSON field leaves the org's value)
        expect('TargetCategory__c' in m.record).toBe(false);
        expect('Account.OrgCode__c' in m.record).toBe(false);
    });

    it('without any role: Ceased, role and category cleared, the Account kept', () => {
        const m = mapPractitioner(practitioner(), undefined);
        expect(m.ok && m.record).toMatchObject({
            RegistryStatus__c: 'Ceased',
            FseRole__c: null,
            TargetCategory__c: null
        });
        expect(m.ok && 'Account.OrgCode__c' in m.record).toBe(false);
    });

    it('rejects a first name longer than the field instead of truncating it', () => {
        const m = mapPractitioner(
            practitioner({ name: [{ family: 'Rossi', given: ['Maria'.repeat(9)] }] }),
            role
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
        const r = parseRole(raw(), NOW, mapping);
        expect(r).toEqual({
            ok: true,
            practitionerId: 'p1',
            role: {
                active: true,
                start: '2021-01-01',
                orgCode: '030ASST701',
                role: 'APR',
                category: 'MMG',
                updated: ''
            },
            problems: []
        });
    });

    const coded = (role: string, category: string) =>
        raw({
            code: [
                {
                    coding: [
                        { system: 'urn:fse2:ruolo', code: role },
                        { system: 'urn:fse2:categoria-target', code: category }
                    ]
                }
            ]
        });

    it.each([
        ['apr', 'Medico di medicina generale (MMG)', 'APR', 'MMG'],
        ['Inf', 'INFERMIERE', 'INF', 'Infermiere'],
        ['DRS - Dirigente sanitario', 'medico ospedaliero', 'DRS', 'MedicoOspedaliero'],
        ['far', 'Pédiatra di libera scèlta (PLS)', 'FAR', 'PLS'],
        [' oam ', 'operatore di accoglienza cup/urp', 'OAM', 'OperatoreAccoglienza']
    ])(
        'matches %j / %j to the picklist API names and labels, ignoring case, accents and spacing',
        (roleCode, category, value, categoryValue) => {
            const r = parseRole(coded(roleCode, category), NOW, mapping);
            expect(r).toMatchObject({
                ok: true,
                role: { role: value, category: categoryValue },
                problems: []
            });
        }
    );

    it('rejects an unknown code as a part: the role stays (active), that field is not written', () => {
        const r = parseRole(coded('ASS', 'Astronauta'), NOW, mapping);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.role).toMatchObject({ active: true, role: null, category: null });
        expect(r.problems).toEqual([
            {
                reason: "code[0].coding[0].code: unknown FSE role 'ASS'",
                group: "unknown FSE role 'ASS'",
                hint: 'map it in config: vocabularies.fseRole.map'
            },
            {
                reason: "code[0].coding[1].code: unknown target category 'Astronauta'",
                group: "unknown target category 'Astronauta'",
                hint: 'map it in config: vocabularies.targetCategory.map'
            }
        ]);
    });

    it('maps a code the configuration names (one line of config)', async () => {
        const configured = await testVocabularies({
            targetCategory: { map: { Astronauta: 'Formatore' } }
        });
        const r = parseRole(coded('APR', 'astronauta'), NOW, {
            ...mapping,
            categories: configured.get('targetCategory')
        });
        expect(r).toMatchObject({ ok: true, role: { category: 'Formatore' }, problems: [] });
    });

    it('an unknown organisation is a part: the Account is not written, the role stays', () => {
        const r = parseRole(
            raw({ organization: { reference: 'Organization/org-999' } }),
            NOW,
            mapping
        );
        expect(r).toMatchObject({ ok: true, role: { orgCode: '', role: 'APR', active: true } });
        expect(r.ok && r.problems[0].reason).toBe(
            'organization.reference: unknown Organization/org-999 (not a valid Organization of the registry)'
        );
    });

    it('elements FHIR R4 makes optional are optional: no organisation, no code, no meta', () => {
        const r = parseRole(
            { resourceType: 'PractitionerRole', practitioner: { reference: 'Practitioner/p1' } },
            NOW,
            mapping
        );
        expect(r).toEqual({
            ok: true,
            practitionerId: 'p1',
            role: { active: true, start: '', orgCode: '', role: null, category: null, updated: '' },
            problems: []
        });
    });

    it('reads absolute and versioned references; a malformed optional element is a part', () => {
        const r = parseRole(
            raw({
                practitioner: {
                    reference: 'https://anagrafe.example.org/fhir/Practitioner/p1/_history/3'
                },
                active: 'yes'
            }),
            NOW,
            mapping
        );
        expect(r).toMatchObject({ ok: true, practitionerId: 'p1', role: { active: true } });
        expect(r.ok && r.problems.map((p) => p.reason)).toEqual(['active: must be a boolean']);
    });

    it('rejects a role that names no practitioner (it cannot be joined)', () => {
        expect(
            parseRole(raw({ practitioner: { reference: 'Patient/1' } }), NOW, mapping)
        ).toMatchObject({
            ok: false,
            reason: 'practitioner.reference: must be a Practitioner/<id> reference'
        });
        expect(parseRole(raw({ practitioner: undefined }), NOW, mapping)).toMatchObject({
            ok: false,
            reason: 'practitioner.reference: required (a role must name its practitioner)'
        });
    });

    it('treats a role whose period ended as inactive', () => {
        const r = parseRole(
            raw({ period: { start: '2010-01-01', end: '2019-12-31' } }),
            NOW,
            mapping
        );
        expect(r.ok && r.role.active).toBe(false);
    });

    it('picks active roles first, then the latest period.start', () => {
        const old = { ...role, start: '2010-01-01' };
        const newer = { ...role, start: '2022-01-01', orgCode: '030ATS321' };
        const inactiveNewest = { ...role, active: false, start: '2024-01-01' };
        expect(betterRole(betterRole(betterRole(undefined, old), inactiveNewest), newer)).toBe(
            newer
        );
        expect(betterRole(inactiveNewest, old)).toBe(old);
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
        const types = vocabularies.get('orgType');
        expect(mapOrganization(org(), types)).toMatchObject({
            ok: true,
            key: '030ASST701',
            record: { OrgCode__c: '030ASST701', OrgType__c: 'ASST' }
        });
        expect(
            mapOrganization(
                org({
                    identifier: [{ system: 'http://hl7.it/sid/fls', value: 'FLS1' }],
                    type: [{ coding: [{ code: 'RSA' }] }]
                }),
                types
            )
        ).toMatchObject({
            ok: true,
            record: { OrgCode__c: 'FLS1', OrgType__c: 'ALTRO' }
        });
        expect(
            mapOrganization(org({ identifier: [{ system: 'x', value: '1' }] }), types)
        ).toMatchObject({ ok: false });
        expect(
            mapOrganization(
                org({ identifier: [{ system: 'http://hl7.it/sid/fls', value: 'X'.repeat(21) }] }),
                types
            )
        ).toMatchObject({
            ok: false,
            reason: 'OrgCode__c: longer than 20 characters (got 21)'
        });
    });

    it('matches types by label and case; without a fallback an unknown type is a part reject', async () => {
        const types = vocabularies.get('orgType');
        const label = org({
            type: [{ coding: [{ code: 'asst - azienda socio sanitaria territoriale' }] }]
        });
        expect(mapOrganization(label, types)).toMatchObject({ record: { OrgType__c: 'ASST' } });
        const strict = (await testVocabularies({ orgType: { fallback: null } })).get('orgType');
        const m = mapOrganization(org({ type: [{ coding: [{ code: 'RSA' }] }] }), strict);
        expect(m).toMatchObject({ ok: true, typed: true });
        expect(m.ok && 'OrgType__c' in m.record).toBe(false);
        expect(m.typeReject).toMatchObject({
            part: 'type',
            reason: "type[0].coding[0].code: unknown organisation type 'RSA'"
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
    it('covers every mapped professional field, and the subject key stamped with the key', () => {
        const m = mapPractitioner(practitioner(), role);
        // SubjectKey__c and its fingerprint are added by the entity when the run has the key
        const stamp = new Subjects('fse-privacy-test-vector-key', new Set()).stamp(
            m.ok ? m.key : ''
        );
        expect(m.ok && Object.keys({ ...m.record, ...stamp }).sort()).toEqual(
            [...PROFESSIONALS.fields.names].sort()
        );
        // another key is another hash: a Contact stamped with another key is written again
        const other = new Subjects('another-key-of-16+chars', new Set()).stamp(m.ok ? m.key : '');
        expect(m.ok && syncHash({ ...m.record, ...stamp }, PROFESSIONALS.fields)).not.toBe(
            m.ok && syncHash({ ...m.record, ...other }, PROFESSIONALS.fields)
        );
    });
});
