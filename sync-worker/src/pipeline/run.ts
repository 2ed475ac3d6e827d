// A sync run: the watermarks, the erasure tombstones and the organisations first, then each
// entity through the stages (entity-sync.ts) in load order, then the run's status, per-entity
// watermarks and SyncRun__c record. Bounded memory: records flow through local NDJSON files.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../config/errors.ts';
import type { SyncConfig } from '../config/schema.ts';
import { Subjects } from '../domain/subject-key.ts';
import { NO_ORGANIZATIONS, readOrganizations } from '../entities/organizations.ts';
import { entitiesOf, ENTITIES, resolveEntities } from '../entities/registry.ts';
import type { Entity, EntityContext, EntityName } from '../entities/types.ts';
import type { VocabularyName } from '../entities/vocabularies/definitions.ts';
import { loadVocabularies } from '../entities/vocabularies/load.ts';
import { BudgetExceededError } from '../salesforce/budget.ts';
import type { SfClient } from '../salesforce/http.ts';
import { bulkQueryOptions } from '../salesforce/query.ts';
import { isDailyLimitRefusal } from '../salesforce/retry.ts';
import { upsertOptions } from '../salesforce/upsert.ts';
import type { RegistrySource } from '../sources/types.ts';
import type { Logger } from '../util/log.ts';
import { writeSyncRun } from '../ops/run-record.ts';
import { checkStop, StopRequestedError, type Progress, type RunContext } from './context.ts';
import { syncEntity, type EntityResult } from './entity-sync.ts';
import { loadSubjects } from './erased-subjects.ts';
import { stampSubjectKeys } from './stamp-pass.ts';
import { RunJobs } from './jobs.ts';
import { failedCount, ReportBuilder, type Report } from './report.ts';
import {
    nextWatermark,
    oldest,
    readSince,
    readWatermarks,
    type WatermarkMap
} from './watermark.ts';

export interface RunOptions {
    source: RegistrySource;
    client: SfClient;
    config: SyncConfig;
    mode: 'full' | 'incremental';
    reconcile: boolean;
    dryRun: boolean;
    /** empty: every entity the sources provide */
    entities: readonly EntityName[];
    logger: Logger;
    progress?: Progress;
    runId?: string;
    now?: () => Date;
    tmpDir?: string;
    /** the run holds a lease (its SyncRun__c is Running): always write the final record */
    leased?: boolean;
    /** aborted on SIGTERM (or when the run's lease is taken over): the run stops between steps,
     *  and a Bulk job in progress is aborted (what it did is counted) */
    signal?: AbortSignal;
    /** subject hash key (FSE_SUBJECT_HASH_KEY); overrides config.subjectHashKey */
    subjectHashKey?: string;
    /** the tombstones and the key, when read already (runWithLease reads them before taking the
     *  lease, so a refused key writes nothing at all) */
    subjects?: Subjects;
}

function runContext(
    options: RunOptions,
    runId: string,
    tmp: string
): RunContext & { jobs: RunJobs } {
    const now = options.now ?? (() => new Date());
    const report = new ReportBuilder(
        {
            runId,
            mode: options.mode,
            dryRun: options.dryRun,
            reconcile: options.reconcile,
            startedAt: now().toISOString(),
            source: options.source.description
        },
        options.config.maxListed
    );
    const { client, config, logger, signal } = options;
    // a leased run has its SyncRun__c already: every Bulk job is recorded there when created
    const jobs = new RunJobs(client, options.leased ? runId : undefined);
    return {
        client,
        config,
        report,
        logger,
        progress: options.progress,
        reconcile: options.reconcile,
        dryRun: options.dryRun,
        signal,
        tmpDir: tmp,
        bulk: bulkQueryOptions(config),
        upsert: upsertOptions(config, { tmpDir: tmp, logger, signal, jobs }),
        jobs
    };
}

/** Where each entity of the run reads from: its watermark less the overlap (incremental). */
interface EntityPlan {
    since?: string;
    full: boolean;
}

/**
 * Incremental runs: each entity's watermark (a future one is a defect, not trusted); an entity
 * without one is read in full. The watermarks of entities the run does not touch are carried
 * forward in the report (and SyncRun__c). Full runs read the watermarks too, to carry them.
 */
async function planEntities(
    run: RunContext,
    options: RunOptions,
    entities: readonly Entity[]
): Promise<Map<string, EntityPlan>> {
    const report = run.report;
    const startedAt = report.report.startedAt;
    const registry = ENTITIES.filter((e) => e.watermark !== false).map((e) => e.name);
    const writes = !options.dryRun && options.config.writeSyncRun;
    const previous: WatermarkMap =
        options.mode === 'incremental' || writes
            ? (await readWatermarks(run.client, registry)).values
            : {};
    for (const [entity, value] of Object.entries(previous)) {
        if (value > startedAt) {
            report.warn(
                `${entity}: the stored watermark ${value} is after the run's start: a registry time in the future was recorded by an older run; not trusted, ${entity} is read in full`
            );
            delete previous[entity];
        }
        report.report.watermarks[entity] = {
            previous: previous[entity] ?? null,
            current: previous[entity] ?? null
        };
    }
    const plans = new Map<string, EntityPlan>();
    const overlap = options.config.watermarkOverlapMs;
    let incremental = 0;
    for (const entity of entities) {
        const watermarked = entity.watermark !== false;
        if (watermarked)
            report.report.watermarks[entity.name] ??= { previous: null, current: null };
        if (options.mode !== 'incremental') {
            plans.set(entity.name, { full: true });
            continue;
        }
        const mark = watermarked ? previous[entity.name] : undefined;
        if (mark) incremental++;
        else if (watermarked)
            report.warn(`${entity.name}: no previous watermark: read in full this time`);
        plans.set(
            entity.name,
            mark ? { since: readSince(mark, overlap), full: false } : { full: watermarked }
        );
    }
    if (
        options.mode === 'incremental' &&
        incremental === 0 &&
        entities.some((e) => e.watermark !== false)
    ) {
        report.report.mode = 'full';
        report.warn('no previous successful run with a watermark: running a full sync instead');
        for (const entity of entities) plans.set(entity.name, { full: true });
    }
    return plans;
}

/**
 * Erasure tombstones and the subject key, read once per run before anything is written: refused
 * (ConfigError, exit 2) for a key shorter than 16 characters, tombstones without a key, tombstones
 * of another key (docs/privacy.md, "Subject key: worker side"), or an entity that needs the key
 * when there is none.
 */
export async function loadRunSubjects(
    options: Pick<RunOptions, 'source' | 'entities' | 'client' | 'config' | 'subjectHashKey'>
): Promise<Subjects> {
    const entities = entitiesOf(await resolveEntities(options.source, options.entities));
    const key = options.subjectHashKey ?? options.config.subjectHashKey;
    const subjects = entities.some((e) => e.subjectAware)
        ? await loadSubjects(options.client, key, bulkQueryOptions(options.config))
        : new Subjects(key || undefined, new Set());
    const keyless = entities.filter((e) => e.requiresKey && !subjects.hasKey);
    if (keyless.length) {
        throw new ConfigError(
            `${keyless.map((e) => e.name).join(', ')} need the subject hash key: set FSE_SUBJECT_HASH_KEY (or subjectHashKey in the config), or leave them out with --entities; nothing was written`
        );
    }
    return subjects;
}

/** The tombstones (read now unless the caller read them) and, with a key, the stamp pass. */
async function prepareSubjects(
    options: RunOptions,
    run: RunContext,
    entities: readonly Entity[]
): Promise<Subjects> {
    const subjects = options.subjects ?? (await loadRunSubjects(options));
    if (subjects.tombstones > 0) {
        run.logger.info(
            { event: 'tombstones', count: subjects.tombstones },
            'erased subjects are skipped'
        );
    }
    if (subjects.hasKey && entities.some((e) => e.subjectAware)) {
        checkStop(options.signal, 'before the stamp pass');
        run.report.report.subjectKeys = await stampSubjectKeys(run, subjects);
    }
    return subjects;
}

/** The vocabularies the entities map with (organisations' types when they are read). */
export function vocabulariesOf(entities: readonly Entity[]): VocabularyName[] {
    const names = new Set<VocabularyName>();
    for (const entity of entities) {
        for (const name of entity.vocabularies ?? []) names.add(name);
        if (entity.usesOrganizations) names.add('orgType');
    }
    return [...names];
}

/** Every entity of the run through the stages; what each left for its watermark. */
async function syncEntities(
    options: RunOptions,
    run: RunContext,
    results: Map<string, EntityResult>
): Promise<void> {
    const entities = entitiesOf(await resolveEntities(options.source, options.entities));
    const subjects = await prepareSubjects(options, run, entities);
    const plans = await planEntities(run, options, entities);
    // picklist values: the repository's force-app when present, else the org's describe
    const vocabularies = await loadVocabularies(
        options.config,
        vocabulariesOf(entities),
        run.client
    );
    run.report.useVocabularies(vocabularies);
    // Organisations are few (tens to a few thousand): read once, kept in memory for the join.
    const organizations = entities.some((e) => e.usesOrganizations)
        ? await readOrganizations(options.source, vocabularies)
        : NO_ORGANIZATIONS;
    const now = run.report.report.startedAt;
    for (const entity of entities) {
        checkStop(options.signal, `before ${entity.name}`);
        const plan = plans.get(entity.name)!;
        const context: EntityContext = {
            source: options.source,
            since: plan.since,
            now,
            organizations,
            subjects,
            vocabularies,
            org: {
                client: run.client,
                bulk: run.bulk,
                targetedReadMax: options.config.targetedReadMax,
                concurrency: options.config.concurrency
            },
            incrementalRolePrefilter: options.config.incrementalRolePrefilter,
            tally: run.report.tally(entity.name)
        };
        results.set(entity.name, await syncEntity(entity, context, run, plan.full));
    }
}

/**
 * A run that met an error: a stop (SIGTERM, API budget, daily limit) is a clean end (true);
 * anything else is thrown again, after recording a Failed run in the org when it still answers.
 */
async function stoppedBy(
    err: unknown,
    options: RunOptions,
    run: RunContext & { jobs: RunJobs }
): Promise<boolean> {
    const report = run.report;
    if (err instanceof StopRequestedError) {
        report.warn(
            `${err.message}: the run stopped cleanly; a Bulk job in progress was aborted and what it did is counted; the next run picks up the rest`
        );
        return true;
    }
    if (err instanceof BudgetExceededError) {
        report.warn(err.message + ': the run stopped cleanly; the next run picks up the rest');
        return true;
    }
    if (isDailyLimitRefusal(err)) {
        report.warn(
            `the org refused further API requests (${err.errorCode}): the run stopped cleanly; the next run picks up the rest`
        );
        return true;
    }
    // the jobs still running must not go on writing after the run gave up
    await run.jobs.abortOpen();
    await rm(run.tmpDir, { recursive: true, force: true });
    // a configuration problem found in the org (e.g. tombstones without a key): nothing was
    // written, and nothing is (exit 2). A leased run goes on below to close its SyncRun__c
    // (Failed), so the lease does not block the next run.
    if (err instanceof ConfigError && !options.leased) throw err;
    // leave a trace of the failed run in the org when the org still answers
    if (!options.dryRun && options.config.writeSyncRun) {
        const r = report.report;
        r.status = 'Failed';
        r.finishedAt = (options.now ?? (() => new Date()))().toISOString();
        r.apiCalls = options.client.calls + 1;
        r.watermark.current = r.watermark.previous;
        for (const w of Object.values(r.watermarks)) w.current = w.previous;
        r.bulkJobs = [...run.jobs.ids];
        report.warn(
            `fatal: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`
        );
        report.settle(options.config.health);
        await writeSyncRun(options.client, r).catch(() => undefined);
    }
    throw err;
}

/** The run's status, watermark and call count; its SyncRun__c record when it is noteworthy. */
async function finishRun(
    options: RunOptions,
    run: RunContext & { jobs: RunJobs },
    stopped: boolean,
    results: ReadonlyMap<string, EntityResult>
): Promise<Report> {
    const report = run.report.report;
    const { client, config } = options;
    report.status = stopped ? 'Stopped' : failedCount(report) > 0 ? 'Partial' : 'Succeeded';
    // rejects grouped, unknown codes, run health: an unhealthy run ends Partial (exit 5)
    run.report.settle(config.health);
    // An entity's watermark advances only when the run completed it (no failure, not stopped,
    // healthy): its failed records are picked up again by the next run.
    const unhealthy = new Set(report.health.problems.map((p) => p.entity));
    for (const [entity, result] of results) {
        const w = report.watermarks[entity];
        if (!w) continue;
        // (an entity with a result went through every stage; one a stop interrupted has none)
        const completed = (report.entities[entity]?.failed ?? 0) === 0 && !unhealthy.has(entity);
        w.current = nextWatermark(w.previous, result.latest, report.startedAt, completed);
    }
    const marks = Object.values(report.watermarks);
    report.watermark = {
        previous: oldest(marks.map((w) => w.previous)),
        current: oldest(marks.map((w) => w.current))
    };
    report.bulkJobs = [...run.jobs.ids];
    report.finishedAt = (options.now ?? (() => new Date()))().toISOString();
    report.apiCalls = client.calls;
    // A run that changes nothing makes no write call at all (not even SyncRun__c): the org
    // already reflects the registry and the previous watermark still holds.
    const wrote =
        Object.values(report.entities).some(
            (c) => c && c.created + c.updated + c.deactivated + c.failed > 0
        ) || (report.subjectKeys?.unstamped ?? 0) > 0;
    // A leased run always closes its SyncRun__c (the lease); that write touches SyncRun__c only.
    const noteworthy =
        wrote || report.status !== 'Succeeded' || config.syncRunOnNoChange || !!options.leased;
    const allowed = options.leased || !(stopped && client.budget.exhausted);
    if (!options.dryRun && config.writeSyncRun && noteworthy && allowed) {
        try {
            report.apiCalls = client.calls + 1;
            await writeSyncRun(client, report);
        } catch (err) {
            report.apiCalls = client.calls;
            run.report.warn(`could not write the SyncRun__c record: ${(err as Error).message}`);
        }
    }
    return report;
}

export async function runSync(options: RunOptions): Promise<Report> {
    const runId = options.runId ?? randomUUID();
    const tmp = join(options.tmpDir ?? tmpdir(), `fse-sync-${runId}`);
    await mkdir(tmp, { recursive: true });
    const run = runContext(options, runId, tmp);
    const results = new Map<string, EntityResult>();
    let stopped = false;
    try {
        await syncEntities(options, run, results);
    } catch (err) {
        stopped = await stoppedBy(err, options, run);
    }
    const report = await finishRun(options, run, stopped, results);
    await rm(tmp, { recursive: true, force: true });
    return report;
}
