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
