import { subjectHash, individualName, Subjects } from '../../src/domain/subject-key.ts';

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
