import { mapContent } from '../../../src/entities/content/map.ts';
import type { Vocabulary } from '../../../src/entities/vocabularies/vocabulary.ts';
import { testVocabularies } from '../vocabularies/helpers.ts';

let categories: Vocabulary;
beforeAll(async () => {
    categories = (await testVocabularies()).get('targetCategory');
});
import { markdownToHtml } from '../../../src/entities/content/sanitize.ts';

describe('content', () => {
    it('sanitises hostile Markdown: no script, no event handlers, no javascript: links', () => {
        const { html, cleaned } = markdownToHtml(
            '# T\n\nA <script>alert(1)</script> <img src="https://x.example.org/a.png" alt="a" onerror="x()">\n\n[x](javascript:alert(1)) <a href="https://ok.example.org" onclick="y()">ok</a>'
        );
        expect(cleaned).toBe(true);
        expect(html).not.toMatch(/script|onerror|onclick|javascript:/i);
        expect(html).toContain('<h2>T</h2>');
        expect(html).toContain('<a href="https://ok.example.org">ok</a>');
    });
    it('clean Markdown is not reported as sanitised', () => {
        expect(markdownToHtml('Testo **importante**.').cleaned).toBe(false);
    });
    it('maps a module with its course and rejects precisely', () => {
        const ok = mapContent(
            {
                origin: 'catalog',
                position: 'catalog.ndjson line 2',
                data: {
                    key: 'm1',
                    type: 'module',
                    parentKey: 'c1',
                    title: 'Modulo',
                    macroCategory: 'Privacy',
                    targetCategories: ['MMG', 'Pediatra di libera scelta (PLS)', 'mmg'],
                    durationMinutes: 30,
                    ecmCredits: 1.5
                }
            },
            new Set(['c1']),
            categories
        );
        expect(ok).toMatchObject({
            ok: true,
            key: 'm1',
            record: {
                Type__c: 'Module',
                'Parent__r.ContentKey__c': 'c1',
                TargetCategories__c: 'MMG;PLS',
                DurationMinutes__c: '30',
                EcmCredits__c: '1.5',
                Status__c: 'Published',
                Language__c: 'it'
            }
        });
        const bad = mapContent(
            {
                origin: 'catalog',
                position: 'catalog.ndjson line 3',
                data: { key: 'x', type: 'course', title: 'T'.repeat(81), macroCategory: 'Privacy' }
            },
            new Set(),
            categories
        );
        expect(bad).toMatchObject({ ok: false });
        expect(bad.ok ? '' : bad.reason).toMatch(/key: must be 2-80|title: longer than 80/);
    });
    it('takes target categories through the vocabulary: a new value needs no code change', () => {
        const item = (targetCategories: string[]) =>
            mapContent(
                {
                    origin: 'catalog',
                    position: 'catalog.ndjson line 4',
                    data: {
                        key: 'c9',
                        type: 'course',
                        title: 'C',
                        macroCategory: 'Privacy',
                        targetCategories
                    }
                },
                new Set(),
                categories
            );
        expect(item(['Medico ospedaliero'])).toMatchObject({
            ok: true,
            record: { TargetCategories__c: 'MedicoOspedaliero' }
        });
        expect(item(['MMG', 'Astronauta'])).toMatchObject({
            ok: false,
            reason: "catalog.ndjson line 4: targetCategories[1]: unknown target category 'Astronauta'",
            group: "unknown target category 'Astronauta'",
            hint: 'map it in config: vocabularies.targetCategory.map'
        });
    });
});
