// PractitionerRole -> the best role of each practitioner (active first, then the latest start),
// read before the practitioners and kept in a RoleTable; incremental runs over ndjson parse
// only the role lines they need (prefilter.ts). Every role line read counts in the `roles` part
// of professionals; a role rejected wholly or in part counts once in its rejects.
import { resourcePosition } from '../../sources/raw-resource.ts';
import { UnparseableResource } from '../../sources/types.ts';
import { countPart, unparseableReject, type EntityContext, type RelatedReject } from '../types.ts';
import { KeptLines } from '../../sources/kept-lines.ts';
import {
    changedPractitioners,
    namedIds,
    rolePractitionerOfText,
    roleUnneeded
} from './prefilter.ts';
import { parseRole, type RoleMapping, type RoleProblem, type RoleResult } from './role-map.ts';
import { RoleTable, type CompactRole } from './role-table.ts';

export { parseRole, type RoleResult } from './role-map.ts';

/** Several roles for one practitioner: active ones first, then the latest period.start. */
export function betterRole(a: CompactRole | undefined, b: CompactRole): CompactRole {
    if (!a) return b;
    if (a.active !== b.active) return a.active ? a : b;
    return b.start > a.start ? b : a;
}

/** The join's state: the best role of each practitioner, and whose role changed. */
export interface RoleJoin {
    roles: RoleTable;
    /** practitioners with a role updated after the watermark (incremental runs) */
    changed: Set<string>;
    /** incremental runs over a line-based source: the Practitioner lines the pre-scan kept,
     *  which the main read replays instead of reading the file again when it may */
    practitionerLines?: KeptLines;
}

/** A role line: its role (if it could be joined) and the rejects of it or of its parts. */
interface RoleLine {
    joined?: { practitionerId: string; role: CompactRole };
    rejects: RelatedReject[];
}

/** The mapping of a run's roles (organisations, vocabularies). */
export function roleMapping(context: EntityContext, count = true): RoleMapping {
    return {
        orgCodeById: context.organizations.codeById,
        roles: context.vocabularies.get('fseRole'),
        categories: context.vocabularies.get('targetCategory'),
        count
    };
}

/** The reject of a role line that cannot be joined: unparseable (`parsed` undefined), not a
 *  role, or naming no practitioner. */
function lineReject(
    raw: unknown,
    parsed: Extract<RoleResult, { ok: false }> | undefined
): RelatedReject {
    if (parsed === undefined)
        return { ...unparseableReject(raw as UnparseableResource), related: true, part: 'roles' };
    const { key, reason } = parsed;
    return { ok: false, key, reason, sourceId: key, related: true, part: 'roles' };
}

/** The rejects of the parts of a joined role (its problems). */
function partRejects(raw: unknown, problems: readonly RoleProblem[]): RelatedReject[] {
    const key = resourcePosition(raw, 'PractitionerRole');
    return problems.map((p) => ({
        ok: false,
        key,
        reason: p.reason,
        group: p.group,
        hint: p.hint,
        sourceId: key,
        related: true,
        part: 'roles'
    }));
}

function roleLine(context: EntityContext, raw: unknown, mapping: RoleMapping): RoleLine {
    if (raw instanceof UnparseableResource) return { rejects: [lineReject(raw, undefined)] };
    const parsed = parseRole(raw, context.now, mapping);
    if (!parsed.ok) return { rejects: [lineReject(raw, parsed)] };
    const joined = { practitionerId: parsed.practitionerId, role: parsed.role };
    if (!parsed.problems.length) return { joined, rejects: [] };
    return { joined, rejects: partRejects(raw, parsed.problems) };
}

/** Counts a role line in the `roles` part of professionals. */
function countRole(context: EntityContext, rejected: boolean): void {
    const counts = context.tally.counts;
    countPart((counts.parts ??= {}), 'roles', rejected);
    if (rejected) counts.rolesRejected = (counts.rolesRejected ?? 0) + 1;
}

/**
 * Reads the roles into `join`, yielding the rejects of the role lines and of their parts. In an
 * incremental run over a line-based source only the roles of the practitioners the run
 * processes are parsed (those changed since the watermark, found by a cheap pre-scan, and those
 * with a changed role); the other role lines are skipped before JSON.parse.
 */
export async function* readRoles(
    context: EntityContext,
    join: RoleJoin
): AsyncIterable<RelatedReject> {
    const since = context.since;
    const prefilter = since && context.source.readsLines && context.incrementalRolePrefilter;
    if (prefilter) join.practitionerLines = new KeptLines(namedIds);
    const needed = prefilter
        ? await changedPractitioners(context.source, since, join.practitionerLines)
        : undefined;
    const skipRole = since && needed ? roleUnneeded(since, needed) : undefined;
    const mapping = roleMapping(context);
    const now = context.now;
    // roleLine written out (stop 26: no line object per role): the same counts, rejects and
    // offers, in the same order
    for await (const raw of context.source.read('PractitionerRole', { skipRaw: skipRole })) {
        const parsed =
            raw instanceof UnparseableResource ? undefined : parseRole(raw, now, mapping);
        if (parsed === undefined || !parsed.ok) {
            countRole(context, true);
            yield lineReject(raw, parsed);
            continue;
        }
        const rejected = parsed.problems.length > 0;
        countRole(context, rejected);
        if (rejected) yield* partRejects(raw, parsed.problems);
        const { practitionerId: id, role } = parsed;
        join.roles.offer(id, role);
        if (since && (role.updated === '' || role.updated > since)) join.changed.add(id);
    }
    // practitioners unchanged themselves whose role changed: the first pass skipped their
    // other roles, so their best role is recomputed from all their lines, in file order
    const extra = needed ? new Set([...join.changed].filter((id) => !needed.has(id))) : undefined;
    if (skipRole && extra?.size) yield* rereadRoles(context, join, extra, skipRole);
}

/** The second pass: every role line of the practitioners in `extra`, in file order. */
async function* rereadRoles(
    context: EntityContext,
    join: RoleJoin,
    extra: ReadonlySet<string>,
    skippedBefore: (text: string) => boolean
): AsyncIterable<RelatedReject> {
    let parsedBefore = false;
    const skipRaw = (text: string): boolean => {
        const practitioner = rolePractitionerOfText(text);
        if (practitioner !== undefined && !extra.has(practitioner)) return true;
        parsedBefore = !skippedBefore(text);
        return false;
    };
    const redone = new Set<string>();
    const counted = roleMapping(context);
    const quiet = roleMapping(context, false);
    for await (const raw of context.source.read('PractitionerRole', { skipRaw })) {
        // a line the first pass parsed was counted and reported there already
        const first = !parsedBefore;
        const line = roleLine(context, raw, first ? counted : quiet);
        if (first) {
            countRole(context, line.rejects.length > 0);
            yield* line.rejects;
        }
        if (!line.joined) continue;
        const id = line.joined.practitionerId;
        if (!extra.has(id)) continue;
        const previous = redone.has(id) ? join.roles.get(id) : undefined;
        redone.add(id);
        join.roles.set(id, betterRole(previous, line.joined.role));
    }
}
