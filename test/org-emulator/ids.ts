// Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 2-character
// instance/pod, 1 reserved, 9 base-62 counter) plus a 3-character suffix that encodes the
// case of the first 15 characters, which makes the 18-character form case-insensitive.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const POD = 'Hp0';

export function idSuffix(id15: string): string {
    let out = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = id15.charCodeAt(chunk * 5 + i);
            if (c >= 65 && c <= 90) bits |= 1 << i;
        }
        out += SUFFIX[bits];
    }
    return out;
}

export function to18(id15: string): string {
    return id15 + idSuffix(id15);
}

/** Builds the id of row `counter` (1-based) of the object with `keyPrefix`. */
export function makeId(keyPrefix: string, counter: number): string {
    let digits = '';
    let n = counter;
    for (let i = 0; i < 9; i++) {
        digits = BASE62[n % 62] + digits;
        n = Math.floor(n / 62);
    }
    return to18(keyPrefix + POD + digits);
}

/**
 * Normalises a 15- or 18-character id to its 18-character form, or returns null when the
 * text is not a well-formed Salesforce id (wrong length, characters, or suffix).
 */
export function normaliseId(value: string): string | null {
    if (typeof value !== 'string') return null;
    if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return null;
    if (value.length === 15) return to18(value);
    // An 18-character id is case-insensitive: the suffix restores the case of the first 15.
    const suffix = value.slice(15).toUpperCase();
    let fixed = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        const bits = SUFFIX.indexOf(suffix[chunk]);
        if (bits < 0) return null;
        for (let i = 0; i < 5; i++) {
            const ch = value[chunk * 5 + i];
            fixed += bits & (1 << i) ? ch.toUpperCase() : ch.toLowerCase();
        }
    }
    if (!/^[a-zA-Z0-9]{15}$/.test(fixed)) return null;
    const result = to18(fixed);
    return result.slice(15) === suffix ? result : null;
}

/** Decodes the row counter of an id made by makeId, or -1 when it is not one of ours. */
export function idCounter(id18: string): number {
    if (id18.slice(3, 6) !== POD) return -1;
    let n = 0;
    for (let i = 6; i < 15; i++) {
        const d = BASE62.indexOf(id18[i]);
        if (d < 0) return -1;
        n = n * 62 + d;
    }
    return n;
}
