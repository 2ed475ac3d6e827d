// zod 4 schemas of the registry's FHIR R4 resources (only the elements the contract reads).
// Structural rules live here; domain rules (check character, field lengths) in the mappers.
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
/** FHIR R4 makes meta and meta.lastUpdated optional: a record without it is treated as changed. */
const Meta = z.object({ lastUpdated: Instant.optional() });
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
    meta: Meta.optional(),
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

export type Organization = z.infer<typeof OrganizationSchema>;
export type Practitioner = z.infer<typeof PractitionerSchema>;

/**
 * The id a FHIR reference points to when it is of `type`: `Practitioner/123`, an absolute URL
 * ending in `/Practitioner/123`, either with `/_history/<n>`. Undefined otherwise.
 */
export function referencedId(reference: unknown, type: string): string | undefined {
    if (typeof reference !== 'string') return undefined;
    const m = new RegExp(`(?:^|/)${type}/([^/\\s]+)(?:/_history/[^/]+)?$`).exec(reference.trim());
    return m ? m[1] : undefined;
}
