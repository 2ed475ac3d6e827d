// zod 4 schemas of the registry's FHIR R4 resources (only the elements the contract reads).
// Structural rules live here; domain rules (check character, target field lengths) in mapping.ts.
import { z } from 'zod';

const Identifier = z.object({ system: z.string().optional(), value: z.string().optional() });
const Coding = z.object({
    system: z.string().optional(),
    code: z.string().optional(),
    display: z.string().optional()
});
const CodeableConcept = z.object({
    coding: z.array(Coding).optional(),
    text: z.string().optional()
});
const Instant = z.iso.datetime({ offset: true });
const Meta = z.object({ lastUpdated: Instant });
const Reference = (type: string) =>
    z.object({
        reference: z
            .string()
            .regex(
                new RegExp(`^${type}/[A-Za-z0-9\\-.]{1,64}$`),
                `must be a ${type}/<id> reference`
            )
    });

export const OrganizationSchema = z.object({
    resourceType: z.literal('Organization'),
    id: z.string().min(1),
    meta: Meta.optional(),
    active: z.boolean().optional(),
    identifier: z.array(Identifier).min(1),
    name: z.string().trim().min(1),
    type: z.array(CodeableConcept).optional()
});

export const PractitionerSchema = z.object({
    resourceType: z.literal('Practitioner'),
    id: z.string().min(1),
    meta: Meta,
    active: z.boolean().optional(),
    identifier: z.array(Identifier).min(1),
    name: z
        .array(
            z.object({
                family: z.string().trim().min(1),
                given: z.array(z.string()).optional()
            })
        )
        .min(1),
    telecom: z
        .array(
            z.object({
                system: z.string().optional(),
                value: z.string().optional(),
                use: z.string().optional()
            })
        )
        .optional(),
    birthDate: z.iso.date().optional()
});

export const PractitionerRoleSchema = z.object({
    resourceType: z.literal('PractitionerRole'),
    id: z.string().min(1),
    meta: Meta.optional(),
    active: z.boolean().optional(),
    period: z.object({ start: z.string().optional(), end: z.string().optional() }).optional(),
    practitioner: Reference('Practitioner'),
    organization: Reference('Organization'),
    code: z.array(CodeableConcept).optional()
});

export type Organization = z.infer<typeof OrganizationSchema>;
export type Practitioner = z.infer<typeof PractitionerSchema>;
export type PractitionerRole = z.infer<typeof PractitionerRoleSchema>;

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
