import {
    FINGERPRINT_LABEL,
    individualName,
    keyFingerprint,
    subjectHash,
    Subjects
} from '../../src/domain/subject-key.ts';

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
    it('fingerprints the key as docs/privacy.md says (the test vectors of "Subject key: worker side")', () => {
        expect(FINGERPRINT_LABEL).toBe('fse-engage/subject-key-fingerprint/v1');
        expect(keyFingerprint('fse-privacy-test-vector-key')).toBe('a405e2da1c44d0d1');
        expect(keyFingerprint('another-key-of-16+chars')).toBe('d4a3f69377e57593');
        // the stamp a Contact gets: the key of its fiscal code and the key's fingerprint
        expect(
            new Subjects('fse-privacy-test-vector-key', new Set()).stamp(' tstfse80a01f205g')
        ).toEqual({
            SubjectKey__c: 'b491276c43e18d6aad4e37efbc918edeb080f5304341ca3b93c1c5da1fb1b5b8',
            SubjectKeyFingerprint__c: 'a405e2da1c44d0d1'
        });
    });
    it('refuses keys shorter than 16 characters and accepts 16', () => {
        expect(() => new Subjects('fifteen-chars-x', new Set())).toThrow(
            /must be at least 16 characters/
        );
        expect(new Subjects('sixteen-chars-xx', new Set()).fingerprint).toMatch(/^[0-9a-f]{16}$/);
    });
});
