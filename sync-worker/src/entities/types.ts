// What an entity is to the pipeline: its target object and fields (EntitySpec), what its
// producer yields (Produced), what it may use while producing (EntityContext) and how it asks
// for prerequisite writes (ApplyWrite). A new entity is one EntitySpec in entities/registry.ts.
import type { Subjects } from '../domain/subject-key.ts';
import type { SfRecord } from '../salesforce/record.ts';
import type { FailureLog, UpsertTarget } from '../salesforce/upsert.ts';
import type { BulkQueryOptions } from '../salesforce/query.ts';
import type { SfClient } from '../salesforce/http.ts';
import type { RegistrySource, ResourceType, UnparseableResource } from '../sources/types.ts';
import type { FieldSet } from './fields.ts';
import type { VocabularyName } from './vocabularies/definitions.ts';
import type { Vocabularies } from './vocabularies/load.ts';

export type EntityName = 'organizations' | 'professionals' | 'consents' | 'content';

/** How a reject is grouped in the report (docs/sync-worker.md, "Report format"). */
export interface RejectInfo {
    /** the part of a record it concerns (e.g. `roles` of professionals); absent: the record */
    part?: string;
    /** the group: the reason without what belongs to one record (default: derived from it) */
    group?: string;
    /** what fixes it, e.g. `map it in config: vocabularies.targetCategory.map` */
    hint?: string;
}

/**
 * One source record mapped to its Salesforce record, or rejected with a reason. `updatedAt` is
 * the record's last update as an ISO instant, or '' when the source gives none (the record is
 * then treated as changed). A declared field missing from `record` is not written: the org keeps
 * its value (none on create).
 */
export type MapResult =
    | {
          ok: true;
          key: string;
          updatedAt: string;
          record: SfRecord;
          sourceId: string;
          /** the resource's meta.lastUpdated when `updatedAt` is another clock (a consent's
           *  CaptureDate): the watermark follows the registry's clock only */
          watermarkAt?: string;
      }
    | ({
          ok: false;
          key: string;
          reason: string;
          sourceId: string;
          /** unmasked external id when known: a rejected record is still in the registry,
           *  so it must not be deactivated (kept in memory only, never reported) */
          matchKey?: string;
      } & RejectInfo);

/** A reject of a related resource or of a part of a record (e.g. a PractitionerRole, or its
 *  target category): reported, not counted as a read record. */
export interface RelatedReject extends RejectInfo {
    ok: false;
    key: string;
    reason: string;
    sourceId: string;
    related: true;
}

/** A record of an erased subject (tombstone): counted as suppressed, nothing else kept.
 *  `matchKey` (memory only) keeps the org's copy, if any, from being deactivated. */
export interface Suppressed {
    ok: false;
    suppressed: true;
    matchKey?: string;
}

/** What an entity's producer yields: mapped records and rejects, in source order. */
export type Produced = MapResult | RelatedReject | Suppressed;

/** A resource that was not valid JSON, as a reject of the record it stood for. */
export function unparseableReject(
    resource: UnparseableResource
): Extract<MapResult, { ok: false }> {
    return {
        ok: false,
        key: resource.position,
        reason: resource.reason,
        sourceId: resource.position
    };
}

/** A part of the records of an entity (e.g. the roles of professionals): how many were read and
 *  how many rejected, wholly or in part. */
export interface PartCounts {
    read: number;
    rejected: number;
}

/** Counts one part read (and rejected) in `parts`. */
export function countPart(
    parts: Record<string, PartCounts>,
    part: string,
    rejected: boolean,
    read = true
): void {
    const counts = (parts[part] ??= { read: 0, rejected: 0 });
    if (read) counts.read++;
    if (rejected) counts.rejected++;
}

/** Per-entity counts of a run (docs/sync-worker.md, "Report format"). */
export interface EntityCounts {
    read: number;
    valid: number;
    rejected: number;
    created: number;
    updated: number;
    unchanged: number;
    deactivated: number;
    failed: number;
    /** records of subjects erased in the org (ErasureTombstone__c): skipped, never written */
    suppressed: number;
    /** records the org changed more recently (e.g. a consent captured in the portal): kept */
    conflicts: number;
    /** professionals: PractitionerRole resources rejected wholly or in part (= parts.roles) */
    rolesRejected?: number;
    /** parts of the records (professionals: `roles`; organisations: `type` when unknown types
     *  have no fallback), judged by the run health like the records */
    parts?: Record<string, PartCounts>;
    /** consents: older registry decisions for the same key */
    superseded?: number;
    /** consents: Individuals written, Contacts linked to them */
    individualsWritten?: number;
    contactsLinked?: number;
    /** content: bodies the sanitiser changed */
    sanitized?: number;
}

/** The counts and the report lines of one entity in the run. */
export interface EntityTally {
    readonly counts: EntityCounts;
    reject(key: string, reason: string, info?: RejectInfo): void;
    /** `cause`: what it means and what to do (salesforce/failure-causes.ts when absent) */
    failure(key: string, errorCode: string, message: string, cause?: string): void;
}

/** The organisations of the registry, read once per run (tens to a few thousand). */
export interface Organizations {
    /** the mapped organisations and the rejects of them or of their parts (type) */
    results: readonly (MapResult | RelatedReject)[];
    /** Organization FHIR id -> OrgCode__c */
    codeById: ReadonlyMap<string, string>;
    /** the organisations' parts (`type`) read and rejected */
    parts?: Record<string, PartCounts>;
}

/** Reads of the org an entity may make while preparing (configured once per run). */
export interface OrgReader {
    client: SfClient;
    bulk: BulkQueryOptions;
    /** incremental runs read by key (REST IN queries) up to this many keys (config) */
    targetedReadMax: number;
    /** concurrent queries of a read by key (config) */
    concurrency: number;
}

/** What an entity's hooks may use. */
export interface EntityContext {
    source: RegistrySource;
    /** incremental runs: the watermark (records updated after it are processed) */
    since?: string;
    /** the run's start, ISO */
    now: string;
    organizations: Organizations;
    /** erasure tombstones and the subject hash key */
    subjects: Subjects;
    /** absent in `fse-sync validate` (no org): entities then check the registry only */
    org?: OrgReader;
    /** registry code -> Salesforce value, per coded element (config `vocabularies`) */
    vocabularies: Vocabularies;
    /** config incrementalRolePrefilter */
    incrementalRolePrefilter: boolean;
    tally: EntityTally;
}

/** A write of records to the org, as the pipeline's apply step performs it. */
export interface Write {
    target: UpsertTarget;
    records: AsyncIterable<SfRecord> | Iterable<SfRecord>;
    count: number;
    /** reference data (a handful of records): always sObject Collections */
    collectionsOnly?: boolean;
}

/** The pipeline's apply step: one write, its failures returned (the caller reports them). */
export type ApplyWrite = (write: Write) => Promise<FailureLog>;

/** The changed records of the entity, re-readable (they are on disk). */
export type ChangedRecords = () => AsyncIterable<SfRecord>;

export interface EntityStatus {
    field: string;
    active: string | readonly string[];
    ceased: string;
}

/** An entity: where its records go, and how they are produced. */
export interface EntityTarget {
    name: EntityName;
    object: string;
    externalId: string;
    /** the org matches the external id with its case (a custom field that is not Unique, or
     *  Unique and case-sensitive); by default it does not (Unique, case-insensitive: "Course-1"
     *  and "course-1" are one record), as every external id of force-app */
    externalIdCaseSensitive?: boolean;
    /** registry-owned fields: hashed, loaded, compared by --reconcile */
    fields: FieldSet;
    /** field holding the sync hash; without one, the real values are always compared */
    hashField?: string;
    /** lifecycle field: which states a full run moves to `ceased` when the source lacks them */
    status?: EntityStatus;
    loadOrder: number;
    maskKey(key: string): string;
    /** the resource type whose presence in the sources selects this entity by default */
    requires: ResourceType;
    /** produces from (or joins with) the registry's organisations */
    usesOrganizations?: boolean;
    /** the vocabularies its mapping uses (loaded once per run) */
    vocabularies?: readonly VocabularyName[];
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
    /** load in passes, lowest first (e.g. courses before the modules that point to them) */
    pass?(record: SfRecord): number;
}

/** An entity with its own state, built by `prepare` and handed to the other hooks. */
export interface EntitySpec<State> extends EntityTarget {
    /** reads what the entity needs (org, registry) before producing; never writes */
    prepare(context: EntityContext): Promise<State>;
    produce(context: EntityContext, state: State): AsyncIterable<Produced>;
    /** before loading (never in a dry run): writes the prerequisites of the changed records */
    prerequisites?(
        context: EntityContext,
        state: State,
        changed: ChangedRecords,
        apply: ApplyWrite
    ): Promise<void>;
}

/** For entities without state. */
export async function noPreparation(): Promise<undefined> {
    return undefined;
}

/** An entity opened for one run: its state is inside. */
export interface OpenedEntity {
    produce(): AsyncIterable<Produced>;
    prerequisites(changed: ChangedRecords, apply: ApplyWrite): Promise<void>;
}

/** An entity of the registry: its target, and `open` to prepare it for one run. */
export interface Entity extends EntityTarget {
    open(context: EntityContext): Promise<OpenedEntity>;
}

/** Wraps a spec so the registry can list entities of different states side by side. */
export function defineEntity<State>(spec: EntitySpec<State>): Entity {
    const { prepare, produce, prerequisites, ...target } = spec;
    return {
        ...target,
        async open(context) {
            const state = await prepare.call(spec, context);
            return {
                produce: () => produce.call(spec, context, state),
                prerequisites: async (changed, apply) => {
                    await prerequisites?.call(spec, context, state, changed, apply);
                }
            };
        }
    };
}
