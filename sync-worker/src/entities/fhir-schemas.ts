// zod 4 schemas of the registry's FHIR R4 resources (only the elements the contract reads).
// Structural rules live here; domain rules (check character, field lengths) in the mappers.
// Practitioners, a run's bulk, are first checked by hand (isPlainPractitioner): zod is asked only
// when that check fails, and gives the precise reasons.
import { z } from 'zod';
import { isCanonicalInstant } from '../util/instant.ts';

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
const IsoDate = z.iso.date();
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
    birthDate: IsoDate.optional()
});

export type Organization = z.infer<typeof OrganizationSchema>;
export type Practitioner = z.infer<typeof PractitionerSchema>;

/** The patterns zod tests for the two formats, taken from the schemas themselves. */
const INSTANT = (Instant._zod.def as { pattern: RegExp }).pattern;
const DATE = (IsoDate._zod.def as { pattern: RegExp }).pattern;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** Whether `v` is an array of at least `min` objects each passing `each`. */
function arrayOf(v: unknown, min: number, each: (item: Raw) => boolean): boolean {
    if (!Array.isArray(v) || v.length < min) return false;
    for (const item of v) if (!isObject(item) || !each(item)) return false;
    return true;
}

const identifierOk = (i: Raw) => optionalString(i.system) && optionalString(i.value);
const telecomOk = (t: Raw) =>
    optionalString(t.system) && optionalString(t.value) && optionalString(t.use);
function nameOk(n: Raw): boolean {
    const { family, given } = n;
    if (typeof family !== 'string' || family.trim().length < 1) return false;
    return (
        given === undefined || (Array.isArray(given) && given.every((g) => typeof g === 'string'))
    );
}
function metaOk(meta: unknown): boolean {
    if (meta === undefined) return true;
    if (!isObject(meta)) return false;
    const at = meta.lastUpdated;
    return (
        at === undefined || (typeof at === 'string' && (isCanonicalInstant(at) || INSTANT.test(at)))
    );
}

/**
 * Whether `raw` certainly passes PractitionerSchema, checked by hand (a fraction of zod's cost).
 * False says nothing: the caller asks zod, which decides and gives the precise reasons. True
 * means zod would accept it, and the raw resource reads as zod's output would for every element
 * the schema declares (zod's output drops the others, and trims `name[].family`, which the mapper
 * trims too). Proven against zod on generated and mutated resources
 * (sync-worker/test/entities/professionals/fast-validation.test.ts).
 */
export function isPlainPractitioner(raw: unknown): raw is Practitioner {
    if (!isObject(raw) || raw.resourceType !== 'Practitioner') return false;
    if (typeof raw.id !== 'string' || raw.id.length < 1 || !metaOk(raw.meta)) return false;
    if (raw.active !== undefined && typeof raw.active !== 'boolean') return false;
    if (!arrayOf(raw.identifier, 1, identifierOk) || !arrayOf(raw.name, 1, nameOk)) return false;
    if (raw.telecom !== undefined && !arrayOf(raw.telecom, 0, telecomOk)) return false;
    const birthDate = raw.birthDate;
    return birthDate === undefined || (typeof birthDate === 'string' && DATE.test(birthDate));
}

/**
 * The id a FHIR reference points to when it is of `type`: `Practitioner/123`, an absolute URL
 * ending in `/Practitioner/123`, either with `/_history/<n>`. Undefined otherwise.
 */
export function referencedId(reference: unknown, type: string): string | undefined {
    if (typeof reference !== 'string') return undefined;
    const id = plainReference(reference, type);
    if (id !== undefined) return id;
    const m = referencePattern(type).exec(reference.trim());
    return m ? m[1] : undefined;
}

/**
 * The common form `<type>/<id>`, the type's letters then an id of printable ASCII but '/',
 * read without the pattern (stop 26): the pattern matches it at 0 with the whole id (nothing to
 * trim, no '/' or space in the id). Undefined for any other text (the pattern decides).
 */
function plainReference(reference: string, type: string): string | undefined {
    const n = type.length;
    if (n === 0 || reference.length <= n + 1 || reference.charCodeAt(n) !== 47) return undefined;
    for (let i = 0; i < n; i++) {
        const c = type.charCodeAt(i);
        if (c !== reference.charCodeAt(i) || !((c >= 65 && c <= 90) || (c >= 97 && c <= 122)))
            return undefined;
    }
    for (let i = n + 1; i < reference.length; i++) {
        const c = reference.charCodeAt(i);
        if (c <= 32 || c >= 127 || c === 47) return undefined;
    }
    return reference.slice(n + 1);
}

const referencePatterns = new Map<string, RegExp>();

/** The pattern of references to `type`, built once per type. */
function referencePattern(type: string): RegExp {
    let pattern = referencePatterns.get(type);
    if (!pattern) {
        pattern = new RegExp(`(?:^|/)${type}/([^/\\s]+)(?:/_history/[^/]+)?$`);
        referencePatterns.set(type, pattern);
    }
    return pattern;
}
