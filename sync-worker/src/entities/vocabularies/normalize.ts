// How a registry code is compared with a picklist's API names and labels: case, accents,
// spaces and punctuation do not count ("Medico ospedaliero", "MEDICO OSPEDALIERO",
// "medico-ospedalièro" and "MedicoOspedaliero" are the same key).

/** The comparison key of a code, an API name or a label: '' when nothing is left. */
export function codeKey(text: string): string {
    return text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A code as it may appear in a report: trimmed, at most 60 characters. */
export function shownCode(code: string): string {
    const trimmed = code.trim();
    return trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed;
}
