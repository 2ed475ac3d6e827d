// PractitionerRole -> the best role of each practitioner (active first, then the latest start),
// read before the practitioners and kept in a RoleTable; incremental runs over ndjson parse
// only the role lines they need (prefilter.ts).
import { isoInstant } from '../../util/instant.ts';
import { parseWith } from '../../util/validation.ts';
import { resourcePosition } from '../../sources/raw-resource.ts';
import { UnparseableResource } from '../../sources/types.ts';
import { FSE_ROLES, SYSTEM_ROLE, SYSTEM_TARGET_CATEGORY, TARGET_CATEGORIES } from '../codes.ts';
import { PractitionerRoleSchema } from '../fhir-schemas.ts';
import { unparseableReject, type EntityContext, type RelatedReject } from '../types.ts';
import { changedPractitioners, rolePractitionerOfText, roleUnneeded } from './prefilter.ts';
import { RoleTable, type CompactRole } from './role-table.ts';

export type RoleResult =
    | { ok: true; practitionerId: string; role: CompactRole }
    | { ok: false; key: string; reason: string };

export function parseRole(raw: unknown, now: string): RoleResult {
    const parsed = parseWith(PractitionerRoleSchema, raw);
    if (!parsed.ok)
        return { ok: false, key: resourcePosition(raw, 'PractitionerRole'), reason: parsed.reason };
    const resource = parsed.value;
    const codings = (resource.code ?? []).flatMap((c) => c.coding ?? []);
    const role = codings.find((c) => c.system === SYSTEM_ROLE)?.code?.trim() ?? null;
    if (role !== null && !FSE_ROLES.includes(role)) {
        return {
            ok: false,
            key: `PractitionerRole/${resource.id}`,
            reason: `code[${SYSTEM_ROLE}]: unknown FSE role code`
        };
    }
    const category = codings.find((c) => c.system === SYSTEM_TARGET_CATEGORY)?.code?.trim() ?? null;
    if (category !== null && !TARGET_CATEGORIES.includes(category)) {
        return {
            ok: false,
            key: `PractitionerRole/${resource.id}`,
            reason: `code[${SYSTEM_TARGET_CATEGORY}]: unknown target category`
        };
    }
    const ended = resource.period?.end ? resource.period.end < now : false;
    return {
        ok: true,
        practitionerId: resource.practitioner.reference.slice('Practitioner/'.length),
        role: {
            active: resource.active !== false && !ended,
            start: resource.period?.start ?? '',
            orgId: resource.organization.reference.slice('Organization/'.length),
            role,
            category,
            updated: isoInstant(resource.meta?.lastUpdated) ?? ''
        }
    };
}

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
}

/** A role line: its role, or the reject to report (`counted` in rolesRejected when parsed). */
type RoleLine =
    | { ok: true; practitionerId: string; role: CompactRole }
    | { ok: false; reject: RelatedReject; counted: boolean };

function roleLine(context: EntityContext, raw: unknown): RoleLine {
    if (raw instanceof UnparseableResource)
        return { ok: false, reject: { ...unparseableReject(raw), related: true }, counted: false };
    const parsed = parseRole(raw, context.now);
    if (parsed.ok) return parsed;
    const reject: RelatedReject = {
        ok: false,
        key: parsed.key,
        reason: parsed.reason,
        sourceId: parsed.key,
        related: true
    };
    return { ok: false, reject, counted: true };
}

function countRoleReject(context: EntityContext, line: { counted: boolean }): void {
    if (!line.counted) return;
    const counts = context.tally.counts;
    counts.rolesRejected = (counts.rolesRejected ?? 0) + 1;
}

/**
 * Reads the roles into `join`, yielding the rejects of the role lines. In an incremental run
 * over a line-based source only the roles of the practitioners the run processes are parsed
 * (those changed since the watermark, found by a cheap pre-scan, and those with a changed
 * role); the other role lines are skipped before JSON.parse.
 */
export async function* readRoles(
    context: EntityContext,
    join: RoleJoin
): AsyncIterable<RelatedReject> {
    const since = context.since;
    const needed =
        since && context.source.readsLines && context.incrementalRolePrefilter
            ? await changedPractitioners(context.source, since)
            : undefined;
    const skipRole = since && needed ? roleUnneeded(since, needed) : undefined;
    for await (const raw of context.source.read('PractitionerRole', { skipRaw: skipRole })) {
        const line = roleLine(context, raw);
        if (!line.ok) {
            countRoleReject(context, line);
            yield line.reject;
            continue;
        }
        const id = line.practitionerId;
        join.roles.set(id, betterRole(join.roles.get(id), line.role));
        if (since && line.role.updated > since) join.changed.add(id);
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
    for await (const raw of context.source.read('PractitionerRole', { skipRaw })) {
        const line = roleLine(context, raw);
        if (!line.ok) {
            // a line the first pass parsed was reported there already
            if (parsedBefore) continue;
            countRoleReject(context, line);
            yield line.reject;
            continue;
        }
        const id = line.practitionerId;
        if (!extra.has(id)) continue;
        const previous = redone.has(id) ? join.roles.get(id) : undefined;
        redone.add(id);
        join.roles.set(id, betterRole(previous, line.role));
    }
}
