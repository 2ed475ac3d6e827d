// Masking helpers: reports and logs never contain fiscal codes, names, e-mails or tokens.
// docs/domain.md: "mask it in reports (keep at most the first 3 and the last character)".

/** `PLLDSR80E47A462P` -> `PLL************P`. Short values are fully masked. */
export function maskFiscalCode(code: string | undefined | null): string {
    if (!code) return '';
    const s = String(code);
    if (s.length < 8) return '*'.repeat(s.length);
    return s.slice(0, 3) + '*'.repeat(s.length - 4) + s.slice(-1);
}

/** Mask anything that looks like a token, e-mail or fiscal code inside a free text message. */
export function scrubText(text: string): string {
    return text
        .replace(
            /[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]/g,
            (m) => maskFiscalCode(m.toUpperCase())
        )
        .replace(/[^\s@:;,"'<>()]+@[^\s@:;,"'<>()]+\.[A-Za-z]{2,}/g, '***@***')
        .replace(/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, '***token***')
        .replace(/\bBearer\s+[A-Za-z0-9._!-]+/gi, 'Bearer ***');
}

/** scrubText, and phone numbers (8+ digits, spaces or dashes between groups, not inside a
 *  word such as a record id) as `+***`. */
export function scrubContact(text: string): string {
    return scrubText(text).replace(/(?<![\w+])\+?\d[\d \-]{6,}\d(?!\w)/g, '+***');
}
