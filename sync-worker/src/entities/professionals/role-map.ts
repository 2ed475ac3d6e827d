// One registry PractitionerRole -> what the join keeps of it (CompactRole) and the parts that
// could not be mapped (docs/anagrafe-contract.md). Postel: FHIR R4 makes every element of a
// PractitionerRole optional; only `practitioner` is required, because a role that names no
// practitioner cannot be joined. A part that cannot be mapped (role code, target category,
// organisation, a malformed optional element) is rejected on its own: the role stays a role,
// and the professional's field for that part is not written. Pure: no I/O, no clock.
import { isoInstant } from '../../util/instant.ts';
import { resourcePosition } from '../../sources/raw-resource.ts';
import { referencedId } from '../fhir-schemas.ts';
import type { Vocabulary } from '../vocabularies/vocabulary.ts';
import type { CompactRole } from './role-table.ts';

/** A part of a role that could not be mapped: reported, the field not written. */
export interface RoleProblem {
    reason: string;
    group: string;
    hint?: string;
}

export type RoleResult =
    | { ok: true; practitionerId: string; role: CompactRole; problems: RoleProblem[] }
    | { ok: false; key: string; reason: string; group?: string };

/** What mapping a role needs: the registry's organisations and two vocabularies. */
export interface RoleMapping {
    /** Organization FHIR id -> OrgCode__c (valid organisations of the registry) */
    orgCodeById: ReadonlyMap<string, string>;
    roles: Vocabulary;
    categories: Vocabulary;
    /** false: codes are not counted again (a line parsed twice in one run) */
    count?: boolean;
}

type Raw = Record<string, unknown>;

const EMPTY: Raw = Object.freeze({});
const EMPTY_LIST: readonly unknown[] = Object.freeze([]);

const asObject = (value: unknown): Raw | undefined =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;

/** Where codingOf found its coding: `code[codingI].coding[codingJ]` (read before the next call). */
let codingI = 0;
let codingJ = 0;

/** The code of the first coding of `code[]` with `system` and a non-blank code (its position in
 *  codingI, codingJ), or undefined. */
function codingOf(raw: Raw, system: string | undefined): string | undefined {
    const concepts = Array.isArray(raw.code) ? raw.code : EMPTY_LIST;
    for (let i = 0; i < concepts.length; i++) {
        const codings = asObject(concepts[i])?.coding;
        if (!Array.isArray(codings)) continue;
        for (let j = 0; j < codings.length; j++) {
            const c = asObject(codings[j]);
            if (c && c.system === system && typeof c.code === 'string' && c.code.trim()) {
                codingI = i;
                codingJ = j;
                return c.code;
            }
        }
    }
    return undefined;
}

/** The value of the coding with the vocabulary's system: null when there is none (not written). */
function codedValue(
    raw: Raw,
    vocabulary: Vocabulary,
    problems: RoleProblem[],
    count: boolean
): string | null {
    const code = codingOf(raw, vocabulary.system);
    if (code === undefined) return null;
    const i = codingI;
    const j = codingJ;
    const resolved = vocabulary.resolve(code, count);
    if (resolved.ok) return resolved.value;
    problems.push({
        reason: `code[${i}].coding[${j}].code: ${resolved.reason}`,
        group: resolved.reason,
        hint: resolved.hint
    });
    return null;
}

/** The organisation's code: '' when the role names none or one that is not in the registry. */
function organizationCode(raw: Raw, mapping: RoleMapping, problems: RoleProblem[]): string {
    const reference = asObject(raw.organization)?.reference;
    if (reference === undefined) return '';
    const id = referencedId(reference, 'Organization');
    if (id === undefined) {
        const reason = 'organization.reference: must be an Organization/<id> reference';
        problems.push({ reason, group: reason });
        return '';
    }
    const code = mapping.orgCodeById.get(id);
    if (code !== undefined) return code;
    const group = `unknown Organization/${id} (not a valid Organization of the registry)`;
    problems.push({
        reason: `organization.reference: ${group}`,
        group,
        hint: 'add the organisation to the export (or fix its reject)'
    });
    return '';
}

/** An optional element of the wrong type: rejected as a part, treated as absent. */
function optional(
    value: unknown,
    kind: 'boolean' | 'string',
    path: string,
    problems: RoleProblem[]
): unknown {
    if (value === undefined || typeof value === kind) return value;
    const reason = `${path}: must be a ${kind}`;
    problems.push({ reason, group: reason });
    return undefined;
}

export function parseRole(raw: unknown, now: string, mapping: RoleMapping): RoleResult {
    const resource = asObject(raw);
    if (resource?.resourceType !== 'PractitionerRole') {
        const key = resourcePosition(raw, 'PractitionerRole');
        return { ok: false, key, reason: 'resourceType: must be PractitionerRole' };
    }
    const reference = asObject(resource.practitioner)?.reference;
    const practitionerId = referencedId(reference, 'Practitioner');
    if (practitionerId === undefined) {
        const reason =
            reference === undefined
                ? 'practitioner.reference: required (a role must name its practitioner)'
                : 'practitioner.reference: must be a Practitioner/<id> reference';
        return { ok: false, key: resourcePosition(raw, 'PractitionerRole'), reason };
    }
    const problems: RoleProblem[] = [];
    const count = mapping.count !== false;
    const active = optional(resource.active, 'boolean', 'active', problems);
    const period = asObject(resource.period) ?? EMPTY;
    const start = optional(period.start, 'string', 'period.start', problems) as string | undefined;
    const end = optional(period.end, 'string', 'period.end', problems) as string | undefined;
    const meta = asObject(resource.meta) ?? EMPTY;
    const lastUpdated = optional(meta.lastUpdated, 'string', 'meta.lastUpdated', problems);
    const updated = isoInstant(lastUpdated as string | undefined) ?? '';
    if (lastUpdated !== undefined && !updated) {
        const reason = 'meta.lastUpdated: must be a valid datetime (treated as changed)';
        problems.push({ reason, group: reason });
    }
    const role: CompactRole = {
        active: active !== false && !(end && end < now),
        start: start ?? '',
        orgCode: organizationCode(resource, mapping, problems),
        role: codedValue(resource, mapping.roles, problems, count),
        category: codedValue(resource, mapping.categories, problems, count),
        updated
    };
    return { ok: true, practitionerId, role, problems };
}
