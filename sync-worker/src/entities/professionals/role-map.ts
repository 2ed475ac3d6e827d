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

/** The first coding of `code[]` with a non-blank code for each of two systems, and where
 *  (`code[i].coding[j]`): what codings() found, read before the next call. */
const found = {
    role: undefined as string | undefined,
    roleI: 0,
    roleJ: 0,
    category: undefined as string | undefined,
    categoryI: 0,
    categoryJ: 0
};

/**
 * Finds in one walk of `code[]` the first coding with the roles' system and the first with the
 * categories' system, each with a non-blank code (the two may be one coding when the systems are
 * the same): what two walks, one a system, would find (stop 26).
 */
function codings(raw: Raw, roleSystem: string | undefined, categorySystem: string | undefined) {
    found.role = undefined;
    found.category = undefined;
    const concepts = Array.isArray(raw.code) ? raw.code : EMPTY_LIST;
    for (let i = 0; i < concepts.length; i++) {
        const list = asObject(concepts[i])?.coding;
        if (!Array.isArray(list)) continue;
        for (let j = 0; j < list.length; j++) {
            const c = asObject(list[j]);
            if (!c || typeof c.code !== 'string' || !c.code.trim()) continue;
            const system = c.system;
            if (found.role === undefined && system === roleSystem) {
                found.role = c.code;
                found.roleI = i;
                found.roleJ = j;
            }
            if (found.category === undefined && system === categorySystem) {
                found.category = c.code;
                found.categoryI = i;
                found.categoryJ = j;
            }
            if (found.role !== undefined && found.category !== undefined) return;
        }
    }
}

/** The value of a coding found (`code`, at `code[i].coding[j]`) in the vocabulary: null when
 *  there is none (not written). */
function codedValue(
    code: string | undefined,
    i: number,
    j: number,
    vocabulary: Vocabulary,
    problems: RoleProblem[],
    count: boolean
): string | null {
    if (code === undefined) return null;
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
    const orgCode = organizationCode(resource, mapping, problems);
    const { roles, categories } = mapping;
    codings(resource, roles.system, categories.system);
    const role: CompactRole = {
        active: active !== false && !(end && end < now),
        start: start ?? '',
        orgCode,
        role: codedValue(found.role, found.roleI, found.roleJ, roles, problems, count),
        category: codedValue(
            found.category,
            found.categoryI,
            found.categoryJ,
            categories,
            problems,
            count
        ),
        updated
    };
    return { ok: true, practitionerId, role, problems };
}
