// Mobile numbers as an SMS gateway takes them (E.164: + country code, digits only). The registry
// writes Italian numbers in several spellings (+39 333 1234567, 0039..., 333-1234567): national
// mobile numbers (3xx, 9-10 digits) get +39; anything else that is not already international is
// refused rather than guessed.

export function toE164(raw: string): string | null {
    const compact = raw.replace(/[\s\-().\/]/g, '');
    if (!compact) return null;
    let n = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
    if (!n.startsWith('+')) {
        if (!/^3\d{8,9}$/.test(n)) return null;
        n = `+39${n}`;
    }
    return /^\+[1-9]\d{7,14}$/.test(n) ? n : null;
}
