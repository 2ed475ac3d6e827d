// SMS length as a phone network bills it (3GPP TS 23.038, GSM 03.38): a text in the GSM 7-bit
// default alphabet fits 160 septets in one message, 153 per part once it is split (the
// concatenation header takes 7); a character of the extension table (€ [ ] { } \ ^ ~ |, form
// feed) costs two septets (escape + character). Any other character switches the whole text to
// UCS-2: 70 UTF-16 code units in one message, 67 per part. A part never ends between an escape
// and its character, nor (UCS-2) between the two halves of a surrogate pair.

const BASIC =
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

export interface SmsLength {
    encoding: 'GSM-7' | 'UCS-2';
    /** septets (GSM-7) or UTF-16 code units (UCS-2) */
    units: number;
    segments: number;
}

/** Whether every character of `text` is in the GSM 7-bit default alphabet or its extension. */
export function isGsm7(text: string): boolean {
    for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
    return true;
}

/** Parts a GSM-7 text splits into: 153 septets each, an escape pair never split. */
function gsmSegments(text: string): number {
    let septets = 0;
    for (const ch of text) septets += extension.has(ch) ? 2 : 1;
    if (septets <= 160) return 1;
    let parts = 1;
    let used = 0;
    for (const ch of text) {
        const cost = extension.has(ch) ? 2 : 1;
        if (used + cost > 153) {
            parts++;
            used = 0;
        }
        used += cost;
    }
    return parts;
}

/** Parts a UCS-2 text splits into: 67 code units each, a surrogate pair never split. */
function ucs2Segments(text: string): number {
    if (text.length <= 70) return 1;
    let parts = 1;
    let used = 0;
    for (const ch of text) {
        const cost = ch.length; // 2 for a character outside the BMP (a surrogate pair)
        if (used + cost > 67) {
            parts++;
            used = 0;
        }
        used += cost;
    }
    return parts;
}

/** Encoding, length and number of parts of an SMS text. */
export function smsLength(text: string): SmsLength {
    if (isGsm7(text)) {
        let units = 0;
        for (const ch of text) units += extension.has(ch) ? 2 : 1;
        return { encoding: 'GSM-7', units, segments: gsmSegments(text) };
    }
    return { encoding: 'UCS-2', units: text.length, segments: ucs2Segments(text) };
}
