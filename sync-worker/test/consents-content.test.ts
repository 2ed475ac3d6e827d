// Unit tests of issue 5: subject hash (shared test vector of docs/privacy.md), consent mapping
// rules, the org-wins rule, Markdown sanitising and content validation.
import { subjectHash, individualName, Subjects } from '../src/domain/subject-key.ts';
import {
    consentRecords,
    orgConsentWins,
    parseConsent,
    REGISTRY_CAPTURE_SOURCE
} from '../src/entities/consents/map.ts';
import { mapContent } from '../src/entities/content/map.ts';
import { markdownToHtml } from '../src/entities/content/sanitize.ts';

describe('subject hash', () => {
    it('matches the test vector of docs/privacy.md (also with spaces and lower case)', () => {
        const want = 'b491276c43e18d6aad4e37efbc918edeb080f5304341ca3b93c1c5da1fb1b5b8';
        expect(subjectHash('fse-privacy-test-vector-key', 'TSTFSE80A01F205G')).toBe(want);
        expect(subjectHash('fse-privacy-test-vector-key', '  tstfse80a01f205g ')).toBe(want);
    });
    it('tells erased subjects only with the key, and names Individuals without personal data', () => {
        const key = 'fse-privacy-test-vector-key';
        const s = new Subjects(key, new Set([subjectHash(key, 'TSTFSE80A01F205G')]));
        expect(s.isErased(' tstfse80a01f205g')).toBe(true);
        expect(s.isErased('PLLDSR80E47A462P')).toBe(false);
        expect(individualName(subjectHash(key, 'TSTFSE80A01F205G'))).toBe('FSE-b491276c43e1');
        expect(() => new Subjects('short', new Set())).toThrow(/at least 16/);
    });
});

const consent = (over: Record<string, unknown> = {}, provision: Record<string, unknown> = {}) => ({
    resourceType: 'Consent',
    id: 'c1',
    meta: { lastUpdated: '2025-03-01T10:00:00Z' },
    status: 'active',
    dateTime: '2025-02-01T09:30:00+01:00',
    performer: [{ reference: 'Practitioner/prac-1' }],
    extension: [{ url: 'urn:fse2:canale', valueCode: 'sms' }],
    provision: {
        type: 'permit',
        purpose: [
            { system: 'urn:fse2:finalita', code: 'formazione' },
            { system: 'urn:fse2:finalita', code: 'sondaggi' }
        ],
        ...provision
    },
    ...over
});

describe('consent mapping', () => {
    it('maps one record per purpose with the subject key, never the fiscal code', () => {
        const p = parseConsent(consent());
        expect(p.ok).toBe(true);
        if (!p.ok) return;
        const recs = consentRecords(p, 'a'.repeat(64));
        expect(recs).toHaveLength(2);
        expect(recs[0]).toEqual({
            ConsentKey__c: `${'a'.repeat(64)}-formazione-sms`,
            Name: 'Formazione - SMS',
            'Party.SubjectKey__c': 'a'.repeat(64),
            'DataUsePurpose.PurposeCode__c': 'formazione',
            'EngagementChannelType.ChannelCode__c': 'sms',
            ContactPointType: 'Phone',
            PrivacyConsentStatus: 'OptIn',
            EffectiveFrom: '2025-02-01T08:30:00.000Z',
            EffectiveTo: null,
            CaptureDate: '2025-02-01T08:30:00.000Z',
            CaptureSource: REGISTRY_CAPTURE_SOURCE
        });
    });
    it('deny and inactive (revoked) become OptOut', () => {
        for (const raw of [consent({}, { type: 'deny' }), consent({ status: 'inactive' })]) {
            const p = parseConsent(raw);
            if (!p.ok) throw new Error(p.reason);
            expect(consentRecords(p, 'b'.repeat(64))[0].PrivacyConsentStatus).toBe('OptOut');
        }
    });
    it('rejects unknown channels, purposes, statuses and references with a precise reason', () => {
        const reason = (raw: unknown) => {
            const p = parseConsent(raw);
            return p.ok ? 'ok' : p.reason;
        };
        expect(reason(consent({ extension: [] }))).toBe('extension[urn:fse2:canale]: required');
        expect(
            reason(consent({ extension: [{ url: 'urn:fse2:canale', valueCode: 'fax' }] }))
        ).toMatch(/^extension\[0\]\.valueCode: unknown channel/);
        expect(
            reason(consent({}, { purpose: [{ system: 'urn:fse2:finalita', code: 'marketing' }] }))
        ).toMatch(/^provision\.purpose\[0\]\.code: unknown purpose/);
        expect(reason(consent({ status: 'draft' }))).toBe('status: must be active or inactive');
        expect(reason(consent({ performer: [{ reference: 'Patient/1' }] }))).toMatch(
            /^performer\[0\]\.reference: must be a Practitioner\/<id> reference/
        );
    });
    it('a consent captured later in the portal wins over an older registry record', () => {
        const rec = { CaptureDate: '2025-02-01T08:30:00.000Z' };
        expect(orgConsentWins(['2025-03-01T00:00:00.000+0000', 'Portale FSE'], rec)).toBe(true);
        expect(orgConsentWins(['2025-01-01T00:00:00.000Z', 'Portale FSE'], rec)).toBe(false);
        // our own earlier writes never block the registry
        expect(orgConsentWins(['2025-03-01T00:00:00.000Z', REGISTRY_CAPTURE_SOURCE], rec)).toBe(
            false
        );
        expect(orgConsentWins(['', ''], rec)).toBe(false);
    });
});

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
                    targetCategories: ['MMG', 'PLS'],
                    durationMinutes: 30,
                    ecmCredits: 1.5
                }
            },
            new Set(['c1'])
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
            new Set()
        );
        expect(bad).toMatchObject({ ok: false });
        expect(bad.ok ? '' : bad.reason).toMatch(/key: must be 2-80|title: longer than 80/);
    });
});
