import {
    buildFiscalCode,
    checkCharacter,
    deomocodize,
    isValidFiscalCode,
    nameCode,
    normalizeFiscalCode,
    omocodicVariant,
    surnameCode,
    validateFiscalCode
} from '../../src/domain/fiscal-code.ts';
import { maskFiscalCode, scrubText } from '../../src/domain/mask.ts';

describe('fiscal code', () => {
    it('accepts the known valid example and computes its check character', () => {
        expect(isValidFiscalCode('PLLDSR80E47A462P')).toBe(true);
        expect(checkCharacter('PLLDSR80E47A462')).toBe('P');
    });

    it('rejects a wrong check character, a bad day, wrong shapes and lengths with the rule', () => {
        expect(validateFiscalCode('PLLDSR80E47A462Q')).toEqual({
            ok: false,
            rule: 'invalid check character'
        });
        expect(validateFiscalCode('PLLDSR80E47A46')).toEqual({
            ok: false,
            rule: 'must be 16 characters (got 14)'
        });
        expect(validateFiscalCode('PLLDSR80Z47A462P').ok).toBe(false); // Z is not a month
        expect(validateFiscalCode('PLL1SR80E47A462P').ok).toBe(false);
        const day35 = 'PLLDSR80E35A462';
        expect(validateFiscalCode(day35 + checkCharacter(day35))).toEqual({
            ok: false,
            rule: 'invalid day of birth'
        });
    });

    it('accepts every omocodic variant (digits replaced right to left, check recomputed)', () => {
        const base = 'PLLDSR80E47A462P';
        const variants = [1, 2, 3, 4, 5, 6, 7].map((l) => omocodicVariant(base, l));
        expect(variants[0]).toBe(
            'PLLDSR80E47A46NJ'.slice(0, 15) + checkCharacter('PLLDSR80E47A46N')
        );
        expect(variants[6].slice(6, 15)).toBe('ULEQTAQSN'); // 8->U 0->L 4->Q 7->T 4->Q 6->S 2->N;
        for (const v of variants) {
            expect(isValidFiscalCode(v)).toBe(true);
            expect(deomocodize(v)).toBe(base);
        }
        expect(new Set(variants).size).toBe(7);
        // an omocodic code with a wrong check character is still rejected
        const bad = variants[2].slice(0, 15) + (variants[2][15] === 'A' ? 'B' : 'A');
        expect(isValidFiscalCode(bad)).toBe(false);
    });

    it('normalises (trim, upper case) before validation', () => {
        expect(normalizeFiscalCode('  plldsr80e47a462p ')).toBe('PLLDSR80E47A462P');
    });

    it('builds codes from names with accents and apostrophes', () => {
        expect(surnameCode("D'Angelo")).toBe('DNG');
        expect(nameCode('Niccolò')).toBe('NCL'); // N C C L: 1st, 3rd, 4th
        expect(nameCode('Gianfranco')).toBe('GFR'); // 4+ consonants: 1st, 3rd, 4th
        expect(surnameCode('Fo')).toBe('FOX');
        const fc = buildFiscalCode({
            surname3: 'PLL',
            name3: 'DSR',
            year: 1980,
            month: 5,
            day: 7,
            female: true,
            place: 'A462'
        });
        expect(fc).toBe('PLLDSR80E47A462P');
    });
});

describe('masking', () => {
    it('keeps only the first 3 and the last character of a fiscal code', () => {
        expect(maskFiscalCode('PLLDSR80E47A462P')).toBe('PLL************P');
        expect(maskFiscalCode('')).toBe('');
    });

    it('scrubs fiscal codes, e-mails and tokens from free text', () => {
        const t = scrubText(
            'dup PLLDSR80E47A462P mail mario.rossi@example.org Bearer 00Dxx0000001gPL!AQ4AQ.abc'
        );
        expect(t).not.toContain('PLLDSR80E47A462P');
        expect(t).toContain('PLL************P');
        expect(t).not.toContain('mario.rossi');
        expect(t).not.toContain('AQ4AQ');
    });
});
