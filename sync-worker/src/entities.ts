// Entity definitions: source stream + schema/mapper + target object/external id + hashed
// fields + load order. Consents and content (issue 5) plug in here the same way.
import { maskFiscalCode } from './mask.ts';
import {
    betterRole,
    mapPractitioner,
    parseRole,
    type CompactRole,
    type MapResult
} from './mapping.ts';
import { UnparseableResource, type RegistrySource } from './sources/types.ts';

export type EntityName = 'organizations' | 'professionals';

/** What an entity's producer yields: mapped records and rejects, in source order. */
export type Produced =
    | MapResult
    /** a reject of a related resource (e.g. PractitionerRole) that is not counted as read */
    | { ok: false; key: string; reason: string; sourceId: string; related: true };

export interface ProduceContext {
    source: RegistrySource;
    since?: string; // incremental watermark
    now: string;
    orgCodeById: ReadonlyMap<string, string>;
    orgResults: readonly MapResult[];
    counters: Record<string, number>;
}

export interface EntitySpec {
    name: EntityName;
    object: string;
    externalId: string;
    /** registry-owned fields: hashed, loaded, compared by --reconcile */
    fields: readonly string[];
    /** field holding the sync hash; without one, the real values are always compared */
    hashField?: string;
    status?: { field: string; active: string; ceased: string };
    loadOrder: number;
    maskKey(key: string): string;
    produce(ctx: ProduceContext): AsyncIterable<Produced>;
}

export const ORGANIZATIONS: EntitySpec = {
    name: 'organizations',
    object: 'Account',
    externalId: 'OrgCode__c',
    fields: ['OrgCode__c', 'Name', 'OrgType__c'],
    // Account has no SyncHash__c: organisations are few, their real values are compared
    loadOrder: 10,
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

// Compact role tuple kept per practitioner during the join: one short string (~60 bytes), so
// the join map costs roughly 150 bytes per practitioner (~150 MB at 1M practitioners).
function packRole(r: CompactRole): string {
    return [r.active ? '1' : '0', r.start, r.orgId, r.role ?? '', r.category ?? '', r.updated].join(
        '\t'
    );
}
function unpackRole(s: string | undefined): CompactRole | undefined {
    if (s === undefined) return undefined;
    const [a, start, orgId, role, category, updated] = s.split('\t');
    return {
        active: a === '1',
        start,
        orgId,
        role: role || null,
        category: category || null,
        updated
    };
}

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
    maskKey: maskFiscalCode,
    async *produce(ctx) {
        // 1. roles -> best role per practitioner (bounded: one packed string each)
        const roles = new Map<string, string>();
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
            const best = betterRole(unpackRole(roles.get(r.practitionerId)), r.role);
            roles.set(r.practitionerId, packRole(best));
            if (ctx.since && r.role.updated > ctx.since) roleChanged.add(r.practitionerId);
        }
        // 2. practitioners joined with their role
        const seen = new Set<string>();
        const mapOne = (raw: unknown): MapResult => {
            const id = (raw as { id?: unknown })?.id;
            return mapPractitioner(
                raw,
                typeof id === 'string' ? unpackRole(roles.get(id)) : undefined,
                ctx.orgCodeById
            );
        };
        for await (const raw of ctx.source.read('Practitioner', { since: ctx.since })) {
            if (raw instanceof UnparseableResource) {
                yield unparseable(raw);
                continue;
            }
            const id = (raw as { id?: unknown })?.id;
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
                    else yield mapOne(raw);
                }
            }
        }
    }
};

export const ENTITIES: readonly EntitySpec[] = [ORGANIZATIONS, PROFESSIONALS];
