import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/errors.ts';
import { parseConfig } from '../../../src/config/schema.ts';
import { bundleFromForceApp } from '../../../src/entities/vocabularies/bundle.ts';
import {
    BUNDLE_FILE,
    orgCatalog,
    REPO_FORCE_APP
} from '../../../src/entities/vocabularies/catalog.ts';
import { VOCABULARIES } from '../../../src/entities/vocabularies/definitions.ts';
import { readForceAppPicklists } from '../../../src/entities/vocabularies/force-app.ts';
import { loadVocabularies, picklistSource } from '../../../src/entities/vocabularies/load.ts';
import { codeKey } from '../../../src/entities/vocabularies/normalize.ts';
import { Vocabulary } from '../../../src/entities/vocabularies/vocabulary.ts';
import type { SfClient } from '../../../src/salesforce/http.ts';

const CATEGORIES = [
    { value: 'MedicoOspedaliero', label: 'Medico ospedaliero' },
    { value: 'ContinuitaAssistenziale', label: 'Medico di continuità assistenziale' },
    { value: 'Ostetrica', label: 'Ostetrica/Ostetrico' }
];
const category = (config = {}) =>
    new Vocabulary(VOCABULARIES.targetCategory, CATEGORIES, config, 'test');

describe('vocabulary matching', () => {
    it('compares codes without case, accents, spaces or punctuation', () => {
        expect(codeKey('  Medico-Ospedalièro ')).toBe('medicoospedaliero');
        expect(codeKey('MÉDICO OSPEDALIERO')).toBe(codeKey('MedicoOspedaliero'));
        expect(codeKey('---')).toBe('');
    });

    it.each([
        ['MedicoOspedaliero', 'MedicoOspedaliero', 'value'],
        ['medico ospedaliero', 'MedicoOspedaliero', 'value'],
        ['MEDICO DI CONTINUITA ASSISTENZIALE', 'ContinuitaAssistenziale', 'label'],
        ["medico di continuita' assistenziale", 'ContinuitaAssistenziale', 'label'],
        ['Ostetrica / Ostetrico', 'Ostetrica', 'label']
    ])('%j -> %s (by %s)', (code, value, by) => {
        expect(category().resolve(code)).toEqual({ ok: true, value, by });
    });

    it('reports a miss with the code and the line of configuration that fixes it', () => {
        expect(category().resolve('Astronauta')).toEqual({
            ok: false,
            reason: "unknown target category 'Astronauta'",
            hint: 'map it in config: vocabularies.targetCategory.map'
        });
    });

    it('the configuration maps first (by code key), to an API name or a label', () => {
        const v = category({
            map: { 'MED-OSP': 'medico ospedaliero', Ostetrica: 'Medico ospedaliero' }
        });
        expect(v.resolve('med osp')).toEqual({
            ok: true,
            value: 'MedicoOspedaliero',
            by: 'config'
        });
        // an explicit entry wins over a picklist match
        expect(v.resolve('OSTETRICA')).toEqual({
            ok: true,
            value: 'MedicoOspedaliero',
            by: 'config'
        });
    });

    it('a spelling two values share matches neither: ambiguous, to be mapped', () => {
        const v = new Vocabulary(VOCABULARIES.fseRole, [
            { value: 'DIR', label: 'Dirigente' },
            { value: 'Dirigente', label: 'Dirigente medico' }
        ]);
        expect(v.resolve('dirigente')).toMatchObject({
            ok: false,
            reason: "ambiguous FSE role 'dirigente' (matches DIR and Dirigente)"
        });
        expect(v.resolve('DIR')).toMatchObject({ ok: true, value: 'DIR' });
    });

    it('a fallback takes unknown codes; null removes the built-in one', () => {
        const values = [
            { value: 'ASST', label: 'ASST - Azienda Socio Sanitaria Territoriale' },
            { value: 'ALTRO', label: 'Altro ente' }
        ];
        const types = new Vocabulary(VOCABULARIES.orgType, values);
        expect(types.resolve('RSA')).toEqual({ ok: true, value: 'ALTRO', by: 'fallback' });
        expect(
            new Vocabulary(VOCABULARIES.orgType, values, { fallback: null }).resolve('RSA')
        ).toMatchObject({
            ok: false
        });
    });

    it('refuses a configured target the picklist does not have (exit 2, before any write)', () => {
        expect(() => category({ map: { X: 'Astronauta' } })).toThrow(ConfigError);
        expect(() => category({ map: { X: 'Astronauta' } })).toThrow(
            `vocabularies.targetCategory.map["X"]: 'Astronauta' is not a value of Contact.TargetCategory__c in test (values: MedicoOspedaliero, ContinuitaAssistenziale, Ostetrica)`
        );
        expect(() => category({ fallback: 'Nessuna' })).toThrow(
            /vocabularies\.targetCategory\.fallback/
        );
        expect(() =>
            category({ map: { 'Med Osp': 'Ostetrica', 'MED-OSP': 'MedicoOspedaliero' } })
        ).toThrow(/written in two ways/);
    });

    it('counts every code seen, and lists the unknown ones with their count', () => {
        const v = category();
        for (const code of ['Astronauta', 'Astronauta', 'Medico ospedaliero', 'Astronauta'])
            v.resolve(code);
        v.resolve('Astronauta', false); // a line read twice is not counted again
        expect(v.unknownCodes()).toEqual([{ code: 'Astronauta', count: 3 }]);
        expect(v.report().seen).toEqual([
            { code: 'Astronauta', count: 3 },
            { code: 'Medico ospedaliero', count: 1, value: 'MedicoOspedaliero', by: 'value' }
        ]);
    });
});

describe('picklist values', () => {
    it('reads field value sets and global value sets from force-app, without inactive values', () => {
        const dir = mkdtempSync(join(tmpdir(), 'force-app-'));
        mkdirSync(join(dir, 'objects/Contact/fields'), { recursive: true });
        mkdirSync(join(dir, 'globalValueSets'));
        writeFileSync(
            join(dir, 'objects/Contact/fields/FseRole__c.field-meta.xml'),
            `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>FseRole__c</fullName><valueSet><valueSetDefinition><value><fullName>APR</fullName><label>APR - Medico &amp; pediatra</label></value><value><fullName>OLD</fullName><isActive>false</isActive><label>Old</label></value></valueSetDefinition></valueSet></CustomField>`
        );
        writeFileSync(
            join(dir, 'objects/Contact/fields/TargetCategory__c.field-meta.xml'),
            `<CustomField><valueSet><valueSetName>Cats</valueSetName></valueSet></CustomField>`
        );
        writeFileSync(
            join(dir, 'globalValueSets/Cats.globalValueSet-meta.xml'),
            `<GlobalValueSet><customValue><fullName>Psicologo</fullName><label>Psicologo/a</label></customValue></GlobalValueSet>`
        );
        expect(
            readForceAppPicklists(dir, [
                'Contact.FseRole__c',
                'Contact.TargetCategory__c',
                'Account.Nope__c'
            ])
        ).toEqual({
            'Contact.FseRole__c': [{ value: 'APR', label: 'APR - Medico & pediatra' }],
            'Contact.TargetCategory__c': [{ value: 'Psicologo', label: 'Psicologo/a' }]
        });
    });

    it('a new value in force-app is matched at once: no code change', async () => {
        const config = parseConfig({ picklists: 'force-app' });
        const vocabularies = await loadVocabularies(config, ['targetCategory', 'orgType']);
        expect(vocabularies.origin).toBe(`force-app (${REPO_FORCE_APP})`);
        expect(
            vocabularies.get('targetCategory').resolve('Personale amministrativo')
        ).toMatchObject({
            value: 'Amministrativo'
        });
    });

    it('the bundled picklists.json is what force-app says (run npm run picklists:bundle)', () => {
        const bundled = JSON.parse(readFileSync(BUNDLE_FILE, 'utf8'));
        expect(bundled).toEqual(bundleFromForceApp(REPO_FORCE_APP));
        expect(Object.keys(bundled.fields)).toEqual(
            expect.arrayContaining([
                'Contact.FseRole__c',
                'Account.OrgType__c',
                'Campaign.Channel__c'
            ])
        );
    });

    it("reads the org's describe: one call per object, active values with their labels", async () => {
        const calls: string[] = [];
        const client = {
            dataPath: '/services/data/v62.0',
            json: async (method: string, path: string) => {
                calls.push(`${method} ${path}`);
                return {
                    fields: [
                        {
                            name: 'FseRole__c',
                            picklistValues: [
                                { value: 'APR', label: 'APR - MMG/PLS', active: true },
                                { value: 'XXX', label: 'Retired', active: false }
                            ]
                        },
                        {
                            name: 'TargetCategory__c',
                            picklistValues: [{ value: 'MMG', label: 'MMG' }]
                        }
                    ]
                };
            }
        } as unknown as SfClient;
        const catalog = await orgCatalog(client, [
            'Contact.FseRole__c',
            'Contact.TargetCategory__c'
        ]);
        expect(calls).toEqual(['GET /services/data/v62.0/sobjects/Contact/describe']);
        expect(catalog.values('Contact.FseRole__c')).toEqual([
            { value: 'APR', label: 'APR - MMG/PLS' }
        ]);
        await expect(orgCatalog(client, ['Contact.Missing__c'])).rejects.toThrow(
            /Contact\.Missing__c is not in the org's describe/
        );
    });

    it('auto: force-app when the checkout has it, else the org (a run) or the bundle (validate)', () => {
        const auto = parseConfig({});
        expect(existsSync(REPO_FORCE_APP)).toBe(true);
        expect(picklistSource(auto, true).source).toBe('force-app');
        const deployed = parseConfig({ forceAppDir: '/nonexistent/force-app' });
        expect(picklistSource(deployed, true).source).toBe('org');
        expect(picklistSource(deployed, false).source).toBe('bundled');
        expect(() => picklistSource(parseConfig({ picklists: 'org' }), false)).toThrow(ConfigError);
    });

    it('the bundle gives the same vocabularies as force-app', async () => {
        const fromBundle = await loadVocabularies(parseConfig({ picklists: 'bundled' }), [
            'fseRole'
        ]);
        expect(fromBundle.origin).toMatch(/^bundled/);
        expect(fromBundle.get('fseRole').resolve('inf')).toMatchObject({ ok: true, value: 'INF' });
    });
});
