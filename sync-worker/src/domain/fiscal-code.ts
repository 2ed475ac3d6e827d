// Italian personal fiscal code (codice fiscale): validation, check character, omocodia.
// Rules from docs/domain.md ("Codice fiscale (person)"): 16 characters, check letter over
// characters 1..15 with the odd/even tables below, omocodic variants replace digits at
// positions 7, 8, 10, 11, 13, 14, 15 (1-based) with L M N P Q R S T U V.

const ODD: Record<string, number> = {
    '0': 1,
    '1': 0,
    '2': 5,
    '3': 7,
    '4': 9,
    '5': 13,
    '6': 15,
    '7': 17,
    '8': 19,
    '9': 21,
    A: 1,
    B: 0,
    C: 5,
    D: 7,
    E: 9,
    F: 13,
    G: 15,
    H: 17,
    I: 19,
    J: 21,
    K: 2,
    L: 4,
    M: 18,
    N: 20,
    O: 11,
    P: 3,
    Q: 6,
    R: 8,
    S: 12,
    T: 14,
    U: 16,
    V: 10,
    W: 22,
    X: 25,
    Y: 24,
    Z: 23
};

/** Letters that replace the digits 0..9 in omocodic codes. */
export const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** 0-based indexes of the positions that may be omocodic, right to left. */
export const OMOCODIA_POSITIONS = [14, 13, 12, 10, 9, 7, 6];
const MONTHS = 'ABCDEHLMPRST';

function evenValue(ch: string): number {
    const code = ch.charCodeAt(0);
    return code >= 48 && code <= 57 ? code - 48 : code - 65;
}

/** The check character for the first 15 characters of a fiscal code (upper case). */
export function checkCharacter(first15: string): string {
    if (!/^[A-Z0-9]{15}$/.test(first15))
        throw new Error('checkCharacter needs 15 characters A-Z/0-9');
    let sum = 0;
    for (let i = 0; i < 15; i++) {
        const ch = first15[i];
        // position i+1 is odd when i is even
        sum += i % 2 === 0 ? ODD[ch] : evenValue(ch);
    }
    return String.fromCharCode(65 + (sum % 26));
}

/** Trim and upper-case, as the mapping contract requires before validation. */
export function normalizeFiscalCode(raw: string): string {
    return raw.trim().toUpperCase();
}

function decodeDigit(ch: string): string {
    const i = OMOCODIA_LETTERS.indexOf(ch);
    return i >= 0 ? String(i) : ch;
}

/** Replace omocodic letters with their digits and recompute the check character. */
export function deomocodize(code: string): string {
    const chars = code.split('');
    for (const p of OMOCODIA_POSITIONS) chars[p] = decodeDigit(chars[p]);
    const first15 = chars.slice(0, 15).join('');
    return first15 + checkCharacter(first15);
}

export type FiscalCodeCheck = { ok: true } | { ok: false; rule: string };

// validateFiscalCode reads the code once, by character code, instead of a RegExp, two string
// copies and a table keyed by characters (issue 22: every practitioner of a run is validated).
// The same rules in the same order; proven equal to the RegExp form in
// sync-worker/test/entities/professionals/map-equivalence.test.ts.
const LETTER = 1;
const DIGIT_OR_OMOCODIC = 2;
const MONTH = 4;
/** What each character code below 128 may stand for (LETTER | DIGIT_OR_OMOCODIC | MONTH). */
const CLASS = new Uint8Array(128);
/** A digit's value: 0-9, or the digit an omocodic letter replaces. */
const DIGIT_VALUE = new Uint8Array(128);
/** The check sum's value of a character at an odd (1-based) and at an even position. */
const ODD_VALUE = new Uint8Array(128);
const EVEN_VALUE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) {
    CLASS[c] = DIGIT_OR_OMOCODIC;
    DIGIT_VALUE[c] = c - 48;
}
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER;
for (let d = 0; d < 10; d++) {
    const c = OMOCODIA_LETTERS.charCodeAt(d);
    CLASS[c] |= DIGIT_OR_OMOCODIC;
    DIGIT_VALUE[c] = d;
}
for (const ch of MONTHS) CLASS[ch.charCodeAt(0)] |= MONTH;
for (const [ch, value] of Object.entries(ODD)) {
    ODD_VALUE[ch.charCodeAt(0)] = value;
    EVEN_VALUE[ch.charCodeAt(0)] = evenValue(ch);
}
/** What each of the 16 positions may hold: the shape
 *  `[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]`. */
const SHAPE_AT = [
    ...Array<number>(6).fill(LETTER),
    DIGIT_OR_OMOCODIC,
    DIGIT_OR_OMOCODIC,
    MONTH,
    DIGIT_OR_OMOCODIC,
    DIGIT_OR_OMOCODIC,
    LETTER,
    DIGIT_OR_OMOCODIC,
    DIGIT_OR_OMOCODIC,
    DIGIT_OR_OMOCODIC,
    LETTER
];
const VALID: FiscalCodeCheck = Object.freeze({ ok: true });

/**
 * Validate a normalised (trimmed, upper-case) person fiscal code.
 * Returns the rule that failed, never the code itself (it is personal data).
 */
export function validateFiscalCode(code: string): FiscalCodeCheck {
    if (code.length !== 16)
        return { ok: false, rule: `must be 16 characters (got ${code.length})` };
    // the shape, and the check sum over the first 15 characters (A-Z/0-9 once the shape holds)
    let sum = 0;
    for (let i = 0; i < 16; i++) {
        const c = code.charCodeAt(i);
        if (c >= 128 || (CLASS[c] & SHAPE_AT[i]) === 0)
            return { ok: false, rule: 'malformed (letters/digits in wrong places)' };
        // position i+1 is odd when i is even
        if (i < 15) sum += i % 2 === 0 ? ODD_VALUE[c] : EVEN_VALUE[c];
    }
    const day = DIGIT_VALUE[code.charCodeAt(9)] * 10 + DIGIT_VALUE[code.charCodeAt(10)];
    if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) {
        return { ok: false, rule: 'invalid day of birth' };
    }
    if (65 + (sum % 26) !== code.charCodeAt(15)) {
        return { ok: false, rule: 'invalid check character' };
    }
    return VALID;
}

export function isValidFiscalCode(code: string): boolean {
    return validateFiscalCode(code).ok;
}

/**
 * The omocodic variant number `level` (1..7): the `level` right-most omocodic positions have
 * their digit replaced by a letter, and the check character is recomputed.
 */
export function omocodicVariant(code: string, level: number): string {
    if (level < 0 || level > OMOCODIA_POSITIONS.length) throw new Error('level out of range');
    const chars = deomocodize(code).split('');
    for (let k = 0; k < level; k++) {
        const p = OMOCODIA_POSITIONS[k];
        chars[p] = OMOCODIA_LETTERS[Number(chars[p])];
    }
    const first15 = chars.slice(0, 15).join('');
    return first15 + checkCharacter(first15);
}

/** Build a fiscal code from its parts (used by the synthetic registry generator). */
export function buildFiscalCode(parts: {
    surname3: string;
    name3: string;
    year: number;
    month: number; // 1..12
    day: number; // 1..31
    female: boolean;
    place: string; // e.g. F205 (Milano)
}): string {
    const yy = String(parts.year % 100).padStart(2, '0');
    const dd = String(parts.day + (parts.female ? 40 : 0)).padStart(2, '0');
    const first15 = `${parts.surname3}${parts.name3}${yy}${MONTHS[parts.month - 1]}${dd}${parts.place}`;
    return first15 + checkCharacter(first15);
}

const VOWELS = /[AEIOU]/;
/** The letters of a name without accents, upper case (`D'Angelò` -> `DANGELO`). */
export function plainLetters(name: string): string {
    return name
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toUpperCase()
        .replace(/[^A-Z]/g, '');
}

/** Surname part: consonants, then vowels, padded with X. */
export function surnameCode(surname: string): string {
    const l = plainLetters(surname);
    const cons = [...l].filter((c) => !VOWELS.test(c)).join('');
    const vows = [...l].filter((c) => VOWELS.test(c)).join('');
    return (cons + vows + 'XXX').slice(0, 3);
}

/** Name part: with 4+ consonants take the 1st, 3rd and 4th; else as for the surname. */
export function nameCode(name: string): string {
    const l = plainLetters(name);
    const cons = [...l].filter((c) => !VOWELS.test(c));
    if (cons.length >= 4) return cons[0] + cons[2] + cons[3];
    const vows = [...l].filter((c) => VOWELS.test(c)).join('');
    return (cons.join('') + vows + 'XXX').slice(0, 3);
}
