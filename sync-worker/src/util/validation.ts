// zod issues as precise, PII-free reasons (`name[0].family: required`) for rejects and
// configuration errors.
import { z } from 'zod';

/** `["name", 0, "family"]` -> `name[0].family` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
    let out = '';
    for (const p of path) {
        if (typeof p === 'number') out += `[${p}]`;
        else out += out ? `.${String(p)}` : String(p);
    }
    return out || '(resource)';
}

/** A precise, PII-free reason for the first issue: `<path>: <rule>`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
    const path = formatPath(issue.path);
    let rule: string;
    const i = issue as z.core.$ZodIssue & { input?: unknown; expected?: string; format?: string };
    switch (issue.code) {
        case 'invalid_type':
            rule = i.input === undefined ? 'required' : `must be ${i.expected}`;
            break;
        case 'too_small':
            rule = 'must not be empty';
            break;
        case 'invalid_format':
            rule = i.format === 'regex' ? issue.message : `must be a valid ${i.format}`;
            break;
        case 'invalid_value':
            rule = issue.message.replace(/^Invalid input: /, '');
            break;
        default:
            rule = issue.message;
    }
    return `${path}: ${rule}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseWith<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
    const r = schema.safeParse(raw);
    if (r.success) return { ok: true, value: r.data };
    return { ok: false, reason: r.error.issues.map(describeIssue).slice(0, 3).join('; ') };
}
