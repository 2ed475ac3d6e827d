// Entity definitions: source stream + schema/mapper + target object/external id + hashed
// fields + load order. Consents (consents.ts) and content (content.ts) plug in the same way.
import { RoleTable } from './compact.ts';
import { maskFiscalCode } from './mask.ts';
import {
    betterRole,
    fiscalCodeOfRaw,
    mapPractitioner,
    parseRole,
    type MapResult
} from './mapping.ts';
import { UnparseableResource, type RegistrySource, type ResourceType } from './sources/types.ts';
import type { SfRecord } from './mapping.ts';
import type { Subjects } from './subject.ts';
import type { SfClient } from './sf/client.ts';
import type { SyncConfig } from './config.ts';
import type { ReportBuilder } from './report.ts';
import type { Logger } from './log.ts';
import { ConfigError } from './config.ts';
import { CONSENTS } from './consents.ts';
import { CONTENT } from './content.ts';

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
        if (text.includes('\\')) return false;
        const at = text.indexOf('"lastUpdated"');
        if (at < 0 || text.indexOf('"lastUpdated"', at + 13) >= 0) return false;
        const value = stringAt(text, at, 11);
        if (value === undefined) return false;
        // the engine compares new Date(value).toISOString() with the watermark
        const iso =
            value.length === 24 && value[10] === 'T' && value[23] === 'Z'
                ? value
                : Number.isNaN(Date.parse(value))
                  ? ''
                  : new Date(value).toISOString();
        if (iso > since) return false;
        if (roleChanged.size) {
            for (let i = text.indexOf('"id"'); i >= 0; i = text.indexOf('"id"', i + 4)) {
                const id = stringAt(text, i, 2);
                if (id === undefined || roleChanged.has(id)) return false;
            }
        }
        return true;
    };
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
        for await (const raw of ctx.source.read('PractitionerRole')) {
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
            if (ctx.since && r.role.updated > ctx.since) roleChanged.add(r.practitionerId);
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
