import {
    consentCodes,
    consentRecords,
    consentUpdatedAt,
    orgConsentWins,
    parseConsent as parseWithCodes,
    REGISTRY_CAPTURE_SOURCE,
    type ConsentCodes
} from '../../../src/entities/consents/map.ts';
import { testVocabularies } from '../vocabularies/helpers.ts';

let codes: ConsentCodes;
beforeAll(async () => {
    codes = consentCodes(await testVocabularies());
});
const parseConsent = (raw: unknown) => parseWithCodes(raw, codes);

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
        const recs = consentRecords(p, 'a'.repeat(64), codes);
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
            expect(consentRecords(p, 'b'.repeat(64), codes)[0].PrivacyConsentStatus).toBe('OptOut');
        }
    });
    it('rejects unknown channels, purposes, statuses and references with a precise reason', () => {
        const reason = (raw: unknown) => {
            const p = parseConsent(raw);
            return p.ok ? 'ok' : p.reason;
        };
        expect(reason(consent({ extension: [] }))).toBe('extension[urn:fse2:canale]: required');
        expect(reason(consent({ extension: [{ url: 'urn:fse2:canale', valueCode: 'fax' }] }))).toBe(
            "extension[0].valueCode: unknown channel 'fax'"
        );
        expect(
            reason(consent({}, { purpose: [{ system: 'urn:fse2:finalita', code: 'marketing' }] }))
        ).toBe("provision.purpose[0].code: unknown consent purpose 'marketing'");
        expect(reason(consent({ status: 'draft' }))).toBe("status: unknown consent status 'draft'");
        expect(reason(consent({ dateTime: undefined }))).toBe('dateTime: required');
        expect(reason(consent({ performer: [{ reference: 'Patient/1' }] }))).toMatch(
            /^performer\[0\]\.reference: must be a Practitioner\/<id> reference/
        );
    });
    it('accepts a consent without meta (optional in FHIR R4): its dateTime is its clock', () => {
        const raw = consent({ meta: undefined });
        expect(parseConsent(raw).ok).toBe(true);
        expect(consentUpdatedAt(raw)).toBe('2025-02-01T08:30:00.000Z');
        expect(consentUpdatedAt(consent())).toBe('2025-03-01T10:00:00.000Z');
        expect(consentUpdatedAt({ resourceType: 'Consent' })).toBe('');
    });

    it('matches purposes, channels and statuses in another spelling (labels, case)', async () => {
        const p = parseConsent(
            consent(
                { extension: [{ url: 'urn:fse2:canale', valueCode: 'E-MAIL' }] },
                { purpose: [{ system: 'urn:fse2:finalita', code: 'Formazione' }] }
            )
        );
        expect(p).toMatchObject({ ok: true, channel: 'email', purposes: ['formazione'] });
        if (!p.ok) return;
        expect(consentRecords(p, 'c'.repeat(64), codes)[0]).toMatchObject({
            ConsentKey__c: `${'c'.repeat(64)}-formazione-email`,
            Name: 'Formazione - E-mail',
            ContactPointType: 'Email'
        });
        const configured = consentCodes(
            await testVocabularies({ consentStatus: { map: { rejected: 'OptOut' } } })
        );
        const rejected = parseWithCodes(consent({ status: 'rejected' }), configured);
        expect(rejected).toMatchObject({ ok: true, status: 'OptOut' });
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
