// Entity definitions: source stream + schema/mapper + target object/external id + hashed
// fields + load order. Consents (consents.ts) and content (content.ts) plug in the same way.
import { RoleTable } from '../util/key-table.ts';
import { maskFiscalCode } from '../domain/mask.ts';
import {
    betterRole,
    fiscalCodeOfRaw,
    mapPractitioner,
    parseRole,
    type MapResult
} from './professionals/map.ts';
import { UnparseableResource, type RegistrySource, type ResourceType } from '../sources/types.ts';
import type { SfRecord } from './professionals/map.ts';
import type { Subjects } from '../domain/subject-key.ts';
import type { SfClient } from '../salesforce/http.ts';
import type { SyncConfig } from '../config/schema.ts';
import type { ReportBuilder } from '../pipeline/report.ts';
import type { Logger } from '../util/log.ts';
import { ConfigError } from '../config/schema.ts';
import { CONSENTS } from './consents/spec.ts';
import { CONTENT } from './content/spec.ts';

export type EntityName = 'organizations' | 'professionals' | 'consents' | 'content';
export const ENTITY_NAMES: readonly EntityName[] = [
    'organizations',
    'professionals',
    'consents',
    'content'
];

/** What an entity's producer yields: mapped records and rejects, in source order. */
export type Produced =
    | MapResult
    /** a reject of a related resource (e.g. PractitionerRole) that is not counted as read */
    | { ok: false; key: string; reason: string; sourceId: string; related: true }
    /** a record of an erased subject (tombstone): counted as suppressed, nothing else kept.
     *  `matchKey` (memory only) keeps the org's copy, if any, from being deactivated. */
    | { ok: false; suppressed: true; matchKey?: string };

export interface ProduceContext {
    source: RegistrySource;
    since?: string; // incremental watermark
    now: string;
    orgCodeById: ReadonlyMap<string, string>;
    orgResults: readonly MapResult[];
    counters: Record<string, number>;
    /** erasure tombstones and the subject hash key */
    subjects: Subjects;
    client: SfClient;
    config: SyncConfig;
    dryRun: boolean;
    report: ReportBuilder;
    logger: Logger;
    tmpDir: string;
    /** per-entity scratch state shared by prepare/produce/beforeLoad (reset per entity) */
    state: Record<string, unknown>;
}

export interface EntitySpec {
    name: EntityName;
    object: string;
    externalId: string;
    /** registry-owned fields: hashed, loaded, compared by --reconcile */
    fields: readonly string[];
    /** field holding the sync hash; without one, the real values are always compared */
    hashField?: string;
    status?: { field: string; active: string | readonly string[]; ceased: string };
    /** for in-place lifecycles: which existing states a full run moves to `ceased` */
    loadOrder: number;
    maskKey(key: string): string;
    produce(ctx: ProduceContext): AsyncIterable<Produced>;
    /** the resource type whose presence in the sources selects this entity by default */
    requires: ResourceType;
    /** needs the erasure tombstones (and the subject key when the org has any) */
    subjectAware?: boolean;
    /** cannot run at all without the subject hash key (its external ids are keyed hashes) */
    requiresKey?: boolean;
    /** the registry watermark follows this entity's updatedAt (false: content has its own clock) */
    watermark?: boolean;
    /** extra org fields read with the index and handed to `orgWins` */
    orgFields?: readonly string[];
    /** true when the org's copy must win over the registry's (counted as a conflict, kept) */
    orgWins?(org: readonly string[], record: SfRecord): boolean;
    /** a record superseded by a newer one with the same key is history, not a reject */
    supersededIsHistory?: boolean;
    /** incremental runs may read the org's copies of the changed records by external id
     *  (config `targetedReadMax`) instead of the whole object */
    targetedRead?: boolean;
    /** read what the entity needs from the org before producing (reads only) */
    prepare?(ctx: ProduceContext): Promise<void>;
    /** before loading (never in a dry run): write prerequisites of the changed records */
    beforeLoad?(ctx: ProduceContext, changed: () => AsyncIterable<SfRecord>): Promise<void>;
    /** load in passes, lowest first (e.g. courses before the modules that point to them) */
    pass?(record: SfRecord): number;
}

export const ORGANIZATIONS: EntitySpec = {
    name: 'organizations',
    object: 'Account',
    externalId: 'OrgCode__c',
    fields: ['OrgCode__c', 'Name', 'OrgType__c'],
    // Account has no SyncHash__c: organisations are few, their real values are compared
    loadOrder: 10,
    targetedRead: true,
    requires: 'Practitioner',
    maskKey: (k) => k, // organisation codes are not personal data
    async *produce(ctx) {
        yield* ctx.orgResults;
    }
};

function unparseable(u: UnparseableResource): MapResult {
    return { ok: false, key: u.position, reason: u.reason, sourceId: u.position };
}

function lastUpdatedOf(raw: unknown): string {
    const s = (raw as { meta?: { lastUpdated?: unknown } })?.meta?.lastUpdated;
    if (typeof s !== 'string') return '';
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** `"<name>":"<value>"` at `at` (where `"<name>"` starts; exactly that form): the value. */
function stringAt(text: string, at: number, nameLength: number): string | undefined {
    const start = at + nameLength + 4;
    if (text.charCodeAt(start - 3) !== 34 || text.charCodeAt(start - 2) !== 58) return undefined;
    if (text.charCodeAt(start - 1) !== 34) return undefined;
    const end = text.indexOf('"', start);
    return end < 0 ? undefined : text.slice(start, end);
}

/**
 * The ISO instant of a raw line's `meta.lastUpdated` as the engine computes it
 * (`new Date(value).toISOString()`, '' when not a date), or undefined when the line is at all
 * unusual: a backslash anywhere, no or several "lastUpdated", another form than `"name":"value"`.
 */
export function lastUpdatedOfText(text: string): string | undefined {
    if (text.includes('\\')) return undefined;
    const at = text.indexOf('"lastUpdated"');
    if (at < 0 || text.indexOf('"lastUpdated"', at + 13) >= 0) return undefined;
    const value = stringAt(text, at, 11);
    if (value === undefined) return undefined;
    return value.length === 24 && value[10] === 'T' && value[23] === 'Z'
        ? value
        : Number.isNaN(Date.parse(value))
          ? ''
          : new Date(value).toISOString();
}

/**
 * For line-based sources in incremental runs: true when a Practitioner's raw JSON certainly is
 * one the run skips (meta.lastUpdated at or before the watermark, and no role of it changed), so
 * it is not parsed. Anything unusual says false and the record is parsed and tested as before:
 * a backslash anywhere, no or several "lastUpdated", another spacing than `"name":"value"`, an
 * "id" whose role changed (or any "id" not in that form).
 */
export function unchangedSince(
    since: string,
    roleChanged: ReadonlySet<string>
): (text: string) => boolean {
    return (text) => {
        const iso = lastUpdatedOfText(text);
        if (iso === undefined || iso > since) return false;
        if (roleChanged.size) {
            for (let i = text.indexOf('"id"'); i >= 0; i = text.indexOf('"id"', i + 4)) {
                const id = stringAt(text, i, 2);
                if (id === undefined || roleChanged.has(id)) return false;
            }
        }
        return true;
    };
}

/**
 * The practitioner id a raw PractitionerRole line refers to, when the line is in the plain form
 * the generator and Bulk Data exports write: no backslash, exactly one `"practitioner"` and it
 * is exactly `"practitioner":{"reference":"Practitioner/<id>"}`. Otherwise undefined (the line
 * must be parsed).
 */
export function rolePractitionerOfText(text: string): string | undefined {
    if (text.includes('\\')) return undefined;
    const at = text.indexOf('"practitioner"');
    if (at < 0 || text.indexOf('"practitioner"', at + 14) >= 0) return undefined;
    const head = '"practitioner":{"reference":"Practitioner/';
    if (!text.startsWith(head, at)) return undefined;
    const start = at + head.length;
    const end = text.indexOf('"', start);
    if (end <= start || text.charCodeAt(end + 1) !== 125 /* } */) return undefined;
    return text.slice(start, end);
}

/**
 * For line-based sources in incremental runs: true when a PractitionerRole line certainly need
 * not be parsed: its own meta.lastUpdated is at or before the watermark and it refers to a
 * practitioner not in `needed`. Anything unusual (see lastUpdatedOfText, rolePractitionerOfText)
 * says false.
 */
export function roleUnneeded(
    since: string,
    needed: ReadonlySet<string>
): (text: string) => boolean {
    return (text) => {
        const practitioner = rolePractitionerOfText(text);
        if (practitioner === undefined || needed.has(practitioner)) return false;
        const iso = lastUpdatedOfText(text);
        return iso !== undefined && iso <= since;
    };
}

/** Above this many changed practitioners, an incremental run parses every role as a full run. */
export const ROLE_PREFILTER_MAX = 200_000;

/**
 * Incremental runs over a line-based source: the ids of the practitioners whose own
 * meta.lastUpdated is after the watermark (unchanged lines skipped before JSON.parse, as in the
 * main read). Undefined when there are more than ROLE_PREFILTER_MAX: every role is then parsed.
 */
async function changedPractitioners(
    source: RegistrySource,
    since: string
): Promise<Set<string> | undefined> {
    const ids = new Set<string>();
    const skipRaw = unchangedSince(since, new Set());
    for await (const raw of source.read('Practitioner', { since, skipRaw })) {
        if (raw instanceof UnparseableResource || lastUpdatedOf(raw) <= since) continue;
        const id = (raw as { id?: unknown })?.id;
        if (typeof id !== 'string') continue;
        ids.add(id);
        if (ids.size > ROLE_PREFILTER_MAX) return undefined;
    }
    return ids;
}

// The best role per practitioner is kept during the join in a RoleTable (compact.ts): about
// 55 bytes a practitioner (~55 MB at 1M), instead of ~150 for a Map of packed strings.

export const PROFESSIONALS: EntitySpec = {
    name: 'professionals',
    object: 'Contact',
    externalId: 'FiscalCode__c',
    fields: [
        'FiscalCode__c',
        'LastName',
        'FirstName',
        'Email',
        'MobilePhone',
        'Birthdate',
        'RegistryStatus__c',
        'RegistryLastUpdated__c',
        'FseRole__c',
        'TargetCategory__c',
        'Account.OrgCode__c'
    ],
    hashField: 'SyncHash__c',
    status: { field: 'RegistryStatus__c', active: 'Active', ceased: 'Ceased' },
    loadOrder: 20,
    targetedRead: true,
    requires: 'Practitioner',
    subjectAware: true,
    maskKey: maskFiscalCode,
    async *produce(ctx) {
        // 1. roles -> best role per practitioner (bounded: one packed string each)
        const roles = new RoleTable();
        const roleChanged = new Set<string>();
        const since = ctx.since;
        // Incremental run over a line-based source: only the roles of the practitioners the run
        // processes are needed (those changed since the watermark, found by a cheap pre-scan,
        // and those with a changed role); the other role lines are skipped before JSON.parse.
        const needed =
            since && ctx.source.readsLines && ctx.config.incrementalRolePrefilter
                ? await changedPractitioners(ctx.source, since)
                : undefined;
        const skipRole = since && needed ? roleUnneeded(since, needed) : undefined;
        for await (const raw of ctx.source.read('PractitionerRole', { skipRaw: skipRole })) {
            if (raw instanceof UnparseableResource) {
                yield { ...unparseable(raw), related: true } as Produced;
                continue;
            }
            const r = parseRole(raw, ctx.now);
            if (!r.ok) {
                ctx.counters.rolesRejected = (ctx.counters.rolesRejected ?? 0) + 1;
                yield { ok: false, key: r.key, reason: r.reason, sourceId: r.key, related: true };
                continue;
            }
            roles.set(r.practitionerId, betterRole(roles.get(r.practitionerId), r.role));
            if (since && r.role.updated > since) roleChanged.add(r.practitionerId);
        }
        // practitioners unchanged themselves whose role changed: the first pass skipped their
        // other roles, so their best role is recomputed from all their lines, in file order
        const extra = needed
            ? new Set([...roleChanged].filter((id) => !needed.has(id)))
            : undefined;
        if (skipRole && extra?.size) {
            let parsedBefore = false;
            const skipRaw = (text: string): boolean => {
                const practitioner = rolePractitionerOfText(text);
                if (practitioner !== undefined && !extra.has(practitioner)) return true;
                parsedBefore = !skipRole(text);
                return false;
            };
            const redone = new Set<string>();
            for await (const raw of ctx.source.read('PractitionerRole', { skipRaw })) {
                // a line the first pass parsed was reported there already
                if (raw instanceof UnparseableResource) {
                    if (!parsedBefore) yield { ...unparseable(raw), related: true } as Produced;
                    continue;
                }
                const r = parseRole(raw, ctx.now);
                if (!r.ok) {
                    if (parsedBefore) continue;
                    ctx.counters.rolesRejected = (ctx.counters.rolesRejected ?? 0) + 1;
                    yield {
                        ok: false,
                        key: r.key,
                        reason: r.reason,
                        sourceId: r.key,
                        related: true
                    };
                    continue;
                }
                const id = r.practitionerId;
                if (!extra.has(id)) continue;
                const previous = redone.has(id) ? roles.get(id) : undefined;
                redone.add(id);
                roles.set(id, betterRole(previous, r.role));
            }
        }
        // 2. practitioners joined with their role
        const seen = new Set<string>();
        const mapOne = (raw: unknown): MapResult => {
            const id = (raw as { id?: unknown })?.id;
            return mapPractitioner(
                raw,
                typeof id === 'string' ? roles.get(id) : undefined,
                ctx.orgCodeById
            );
        };
        const skipRaw = ctx.since ? unchangedSince(ctx.since, roleChanged) : undefined;
        for await (const raw of ctx.source.read('Practitioner', { since: ctx.since, skipRaw })) {
            if (raw instanceof UnparseableResource) {
                yield unparseable(raw);
                continue;
            }
            const id = (raw as { id?: unknown })?.id;
            // erased in the org (tombstone): skipped before anything else, never written
            const fc = fiscalCodeOfRaw(raw);
            if (ctx.subjects.isErased(fc)) {
                if (ctx.since && lastUpdatedOf(raw) <= ctx.since) continue;
                yield { ok: false, suppressed: true, matchKey: fc };
                continue;
            }
            if (ctx.since) {
                const changed =
                    lastUpdatedOf(raw) > ctx.since ||
                    (typeof id === 'string' && roleChanged.has(id));
                if (!changed) continue; // sources that do not filter by themselves (ndjson)
                if (typeof id === 'string') seen.add(id);
            }
            yield mapOne(raw);
        }
        // 3. incremental over a filtering source: practitioners whose role changed but who did not
        if (ctx.since && ctx.source.filtersSince) {
            const missing = [...roleChanged].filter((id) => !seen.has(id));
            if (missing.length) {
                for await (const raw of ctx.source.read('Practitioner', { ids: missing })) {
                    if (raw instanceof UnparseableResource) yield unparseable(raw);
                    else if (ctx.subjects.isErased(fiscalCodeOfRaw(raw)))
                        yield { ok: false, suppressed: true, matchKey: fiscalCodeOfRaw(raw) };
                    else yield mapOne(raw);
                }
            }
        }
    }
};

export const ENTITIES: readonly EntitySpec[] = [ORGANIZATIONS, PROFESSIONALS, CONSENTS, CONTENT];

/**
 * The entities of a run: the requested ones (each must be provided by a source: a ConfigError,
 * exit 2, otherwise), or every entity the sources provide.
 */
export async function resolveEntities(
    source: RegistrySource,
    requested: readonly EntityName[] | undefined
): Promise<EntityName[]> {
    const provided: EntityName[] = [];
    for (const e of ENTITIES) if (await source.has(e.requires)) provided.push(e.name);
    if (!requested?.length) {
        if (!provided.length) throw new ConfigError('the sources provide nothing to synchronise');
        return provided;
    }
    const missing = requested.filter((e) => !provided.includes(e));
    if (missing.length) {
        throw new ConfigError(
            `--entities ${missing.join(',')}: not provided by ${source.description} (consents need Consent resources, content a content:<dir> source)`
        );
    }
    return [...requested];
}
