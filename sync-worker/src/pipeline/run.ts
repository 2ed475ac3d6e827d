// The engine: extract -> validate -> map -> diff -> load -> report, with bounded memory.
// Records flow through two local NDJSON staging files (mapped snapshot, then changes), so only
// compact indexes are held in memory: external id -> "id\thash\tstatus" for the org side and
// external id -> "updatedAt\tseq" for duplicate detection (~100-200 bytes a record each).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { BudgetExceededError } from '../salesforce/budget.ts';
import { ConfigError } from '../config/schema.ts';
import { loadSubjects, Subjects } from '../domain/subject-key.ts';
import { SfHttpError } from '../salesforce/retry.ts';
import {
    decide,
    indexRow,
    absentActive,
    countStatus,
    existingOf,
    CompactIndex,
    type ExistingIndex
} from './org-index.ts';
import {
    ENTITIES,
    resolveEntities,
    type EntityName,
    type EntitySpec,
    type ProduceContext
} from '../entities/registry.ts';
import { KeyTable, grow } from '../util/key-table.ts';
import { syncHash } from './sync-hash.ts';
import { loadRecords, RUN_STOPPED, type LoadOptions, type LoadStats } from '../salesforce/upsert.ts';
import { mapOrganization, type MapResult, type SfRecord } from '../entities/professionals/map.ts';
import { ReportBuilder, type Report } from './report.ts';
import { bulkQuery } from '../salesforce/bulk2/ingest.ts';
import { queryByKeys } from '../salesforce/query.ts';
import type { SfClient } from '../salesforce/http.ts';
import { readPreviousWatermark, writeSyncRun } from '../ops/run-record.ts';
import type { SyncConfig } from '../config/schema.ts';
import type { Logger } from '../util/log.ts';
import { UnparseableResource, type RegistrySource } from '../sources/types.ts';

export interface Progress {
    start(label: string, total: number): void;
    update(value: number): void;
    stop(): void;
}

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
    /** aborted on SIGTERM: the run stops between steps, never inside a load */
    signal?: AbortSignal;
    /** subject hash key (FSE_SUBJECT_HASH_KEY); overrides config.subjectHashKey */
    subjectHashKey?: string;
}

/** Thrown between steps when the run was asked to stop (SIGTERM). */
export class StopRequestedError extends Error {
    constructor(message = 'stop requested (SIGTERM)') {
        super(message);
        this.name = 'StopRequestedError';
    }
}

function checkStop(signal: AbortSignal | undefined, where: string): void {
    if (signal?.aborted) throw new StopRequestedError(`stop requested (SIGTERM) ${where}`);
}

class LineWriter {
    private readonly out: NodeJS.WritableStream;
    constructor(path: string) {
        this.out = createWriteStream(path, { encoding: 'utf8' });
    }
    async write(obj: unknown): Promise<void> {
        if (!this.out.write(JSON.stringify(obj) + '\n')) await once(this.out, 'drain');
    }
    async close(): Promise<void> {
        this.out.end();
        await once(this.out, 'finish');
    }
}

async function* readLines<T>(path: string): AsyncIterable<T> {
    const rl = createInterface({
        input: createReadStream(path, { encoding: 'utf8' }),
        crlfDelay: Infinity
    });
    for await (const line of rl) if (line) yield JSON.parse(line) as T;
}

interface Staged {
    s: number; // sequence
    k: string; // external id
    u: string; // updatedAt
    i: string; // source id
    r: SfRecord;
}

interface Change {
    a: 'c' | 'u' | 'd';
    r: SfRecord;
}

export async function runSync(o: RunOptions): Promise<Report> {
    const now = o.now ?? (() => new Date());
    const cfg = o.config;
    const runId = o.runId ?? randomUUID();
    const tmp = join(o.tmpDir ?? tmpdir(), `fse-sync-${runId}`);
    await mkdir(tmp, { recursive: true });
    const rb = new ReportBuilder(
        {
            runId,
            mode: o.mode,
            dryRun: o.dryRun,
            reconcile: o.reconcile,
            startedAt: now().toISOString(),
            source: o.source.description
        },
        cfg.maxListed
    );
    const report = rb.report;
    let maxUpdated = '';
    let stopped = false;
    try {
        let since: string | undefined;
        if (o.mode === 'incremental') {
            const prev = await readPreviousWatermark(o.client);
            report.watermark.previous = prev;
            if (prev) since = prev;
            else {
                report.mode = 'full';
                rb.warn('no previous successful run with a watermark: running a full sync instead');
            }
        }

        const entities = await resolveEntities(o.source, o.entities);
        const specs = ENTITIES.filter((e) => entities.includes(e.name)).sort(
            (a, b) => a.loadOrder - b.loadOrder
        );
        // Erasure tombstones: one Bulk query per run, before anything is read or written.
        const key = o.subjectHashKey ?? cfg.subjectHashKey;
        const subjects = specs.some((e) => e.subjectAware)
            ? await loadSubjects(o.client, key, {
                  pageSize: cfg.queryPageSize,
                  initialMs: cfg.pollInitialMs,
                  maxMs: cfg.pollMaxMs,
                  timeoutMs: cfg.jobTimeoutMs
              })
            : new Subjects(key, new Set());
        const keyless = specs.filter((e) => e.requiresKey && !subjects.hasKey);
        if (keyless.length) {
            throw new ConfigError(
                `${keyless.map((e) => e.name).join(', ')} need the subject hash key: set FSE_SUBJECT_HASH_KEY (or subjectHashKey in the config), or leave them out with --entities; nothing was written`
            );
        }
        if (subjects.tombstones > 0) {
            o.logger.info(
                { event: 'tombstones', count: subjects.tombstones },
                'erased subjects are skipped'
            );
        }

        // Organisations are few (tens to a few thousand): read once, kept in memory for the join.
        const orgResults: MapResult[] = [];
        const orgCodeById = new Map<string, string>();
        const needsOrgs = specs.some(
            (e) => e.name === 'organizations' || e.name === 'professionals'
        );
        for await (const raw of needsOrgs ? o.source.read('Organization') : []) {
            if (raw instanceof UnparseableResource) {
                orgResults.push({
                    ok: false,
                    key: raw.position,
                    reason: raw.reason,
                    sourceId: raw.position
                });
                continue;
            }
            const m = mapOrganization(raw);
            orgResults.push(m);
            if (m.ok && m.fhirId) orgCodeById.set(m.fhirId, m.key);
        }
        const ctx: ProduceContext = {
            source: o.source,
            since,
            now: now().toISOString(),
            orgCodeById,
            orgResults,
            counters: {},
            subjects,
            client: o.client,
            config: cfg,
            dryRun: o.dryRun,
            report: rb,
            logger: o.logger,
            tmpDir: tmp,
            state: {}
        };
        for (const spec of specs) {
            checkStop(o.signal, `before ${spec.name}`);
            ctx.counters = {};
            ctx.state = {};
            const m = await syncEntity(
                spec,
                ctx,
                o,
                rb,
                join(tmp, spec.name),
                report.mode === 'full'
            );
            if (spec.watermark !== false && m > maxUpdated) maxUpdated = m;
        }
    } catch (err) {
        if (err instanceof StopRequestedError) {
            stopped = true;
            rb.warn(
                `${err.message}: the run stopped cleanly; every batch sent was completed and is counted; the next run picks up the rest`
            );
        } else if (err instanceof BudgetExceededError) {
            stopped = true;
            rb.warn(err.message + ': the run stopped cleanly; the next run picks up the rest');
        } else if (err instanceof SfHttpError && err.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
            stopped = true;
            rb.warn(
                `the org refused further API requests (${err.errorCode}): the run stopped cleanly; the next run picks up the rest`
            );
        } else if (err instanceof ConfigError && !o.leased) {
            // a configuration problem found in the org (e.g. tombstones without a key):
            // nothing was written, and nothing is (exit 2). A leased run goes on below to close
            // its SyncRun__c (Failed), so the lease does not block the next run.
            await rm(tmp, { recursive: true, force: true });
            throw err;
        } else {
            await rm(tmp, { recursive: true, force: true });
            // leave a trace of the failed run in the org when the org still answers
            if (!o.dryRun && cfg.writeSyncRun) {
                report.status = 'Failed';
                report.finishedAt = now().toISOString();
                report.apiCalls = o.client.calls + 1;
                report.watermark.current = report.watermark.previous;
                rb.warn(
                    `fatal: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`
                );
                await writeSyncRun(o.client, report).catch(() => undefined);
            }
            throw err;
        }
    }
    const failed = Object.values(report.entities).reduce((n, c) => n + (c?.failed ?? 0), 0);
    report.status = stopped ? 'Stopped' : failed > 0 ? 'Partial' : 'Succeeded';
    // The watermark only advances when everything made it: failed records are picked up again.
    report.watermark.current =
        report.status === 'Succeeded'
            ? maxUpdated > (report.watermark.previous ?? '')
                ? maxUpdated
                : report.watermark.previous
            : report.watermark.previous;
    report.finishedAt = now().toISOString();
    report.apiCalls = o.client.calls;
    // A run that changes nothing makes no write call at all (not even SyncRun__c): the org
    // already reflects the registry and the previous watermark still holds.
    const wrote = Object.values(report.entities).some(
        (c) => c && c.created + c.updated + c.deactivated + c.failed > 0
    );
    // A leased run always closes its SyncRun__c (the lease); that write touches SyncRun__c only.
    const noteworthy =
        wrote || report.status !== 'Succeeded' || cfg.syncRunOnNoChange || !!o.leased;
    if (
        !o.dryRun &&
        cfg.writeSyncRun &&
        noteworthy &&
        (o.leased || !(stopped && o.client.budget.exhausted))
    ) {
        try {
            report.apiCalls = o.client.calls + 1;
            await writeSyncRun(o.client, report);
        } catch (err) {
            report.apiCalls = o.client.calls;
            rb.warn(`could not write the SyncRun__c record: ${(err as Error).message}`);
        }
    }
    await rm(tmp, { recursive: true, force: true });
    return report;
}

async function syncEntity(
    spec: EntitySpec,
    ctx: ProduceContext,
    o: RunOptions,
    rb: ReportBuilder,
    dir: string,
    full: boolean
): Promise<string> {
    const cfg = o.config;
    const log = o.logger;
    const counts = rb.entity(spec.name);
    await mkdir(dir, { recursive: true });
    await spec.prepare?.(ctx);

    // 2. extract, validate, map, stage; keep the most recently updated record per key
    const stagePath = join(dir, 'staged.ndjson');
    const stage = new LineWriter(stagePath);
    // key -> slot; by slot: the winner's sequence number and updatedAt (ms). ~40 bytes a record.
    const winners = new KeyTable(1 << 16);
    let winnerSeq = new Uint32Array(1 << 16);
    let winnerAt = new Float64Array(1 << 16);
    // loser's seq -> the winner's source id, or the winner's seq (its source id is read back
    // from the staging file, where the winner comes first)
    const losers = new Map<number, string | number>();
    // in the snapshot (the key table also holds keys only the org has, added by the index)
    const isWinner = (k: string) => {
        const slot = winners.get(k);
        return slot >= 0 && slot < winnerSeq.length && winnerSeq[slot] > 0;
    };
    const rejectedKeys = new Set<string>();
    let seq = 0;
    o.progress?.start(`${spec.name}: reading`, 0);
    for await (const res of spec.produce(ctx)) {
        if ('suppressed' in res) {
            // an erased subject: counted, nothing listed, staged or written
            counts.suppressed++;
            if (res.matchKey) rejectedKeys.add(res.matchKey);
            continue;
        }
        if (!res.ok) {
            if (!('related' in res)) {
                counts.read++;
                counts.rejected++;
            }
            if ('matchKey' in res && res.matchKey) rejectedKeys.add(res.matchKey);
            rb.reject(spec.name, res.key, res.reason);
            continue;
        }
        counts.read++;
        seq++;
        if (seq % 5000 === 0) {
            o.progress?.update(seq);
            checkStop(o.signal, `while reading ${spec.name} (nothing of it written yet)`);
        }
        const parsed = res.updatedAt ? Date.parse(res.updatedAt) : NaN;
        const at = Number.isNaN(parsed) ? -Infinity : parsed;
        const known = winners.size;
        const slot = winners.add(res.key);
        if (slot >= winnerSeq.length) {
            winnerSeq = grow(winnerSeq, slot + 1);
            winnerAt = grow(winnerAt, slot + 1);
        }
        if (slot < known) {
            // a duplicate key: the most recently updated record wins, the first on a tie
            if (at > winnerAt[slot]) {
                losers.set(winnerSeq[slot], res.sourceId);
                winnerSeq[slot] = seq;
                winnerAt[slot] = at;
            } else {
                losers.set(seq, winnerSeq[slot]);
            }
        } else {
            winnerSeq[slot] = seq;
            winnerAt[slot] = at;
        }
        await stage.write({
            s: seq,
            k: res.key,
            u: res.updatedAt,
            i: res.sourceId,
            r: res.record
        } satisfies Staged);
    }
    await stage.close();
    o.progress?.stop();
    for (const [k, v] of Object.entries(ctx.counters)) counts[k] = v;

    // 2b. what the org has: one Bulk API 2.0 query per object. Read after the source, so the
    // join's role table is already freed when the org index is built (peak memory at 1M).
    // the org index shares the winners' key table: each fiscal code is stored once
    const existing: ExistingIndex = new CompactIndex(winners);
    const compareValues = o.reconcile || !spec.hashField;
    const queryFields = compareValues
        ? [
              'Id',
              ...new Set([
                  spec.externalId,
                  ...spec.fields,
                  ...(spec.status ? [spec.status.field] : [])
              ])
          ]
        : ['Id', spec.externalId, spec.hashField!, ...(spec.status ? [spec.status.field] : [])];
    for (const f of spec.orgFields ?? []) if (!queryFields.includes(f)) queryFields.push(f);
    const onRow = (row: Record<string, string>) =>
        indexRow(existing, row, {
            externalId: spec.externalId,
            fields: spec.fields,
            statusField: spec.status?.field,
            hashField: spec.hashField,
            reconcile: compareValues,
            extraFields: spec.orgFields
        });
    // An incremental run only needs the org's copy of the records it read (the changed ones):
    // when they are few, REST queries on their external ids instead of the whole object. A full
    // run needs every record (deactivation), --reconcile keeps the Bulk read of the real values.
    const stagedKeys = winners.size;
    const targeted =
        !full && !o.reconcile && !!spec.targetedRead && stagedKeys <= cfg.targetedReadMax;
    const select = `SELECT ${queryFields.join(', ')} FROM ${spec.object}`;
    const rows = targeted
        ? await queryByKeys(
              o.client,
              select,
              spec.externalId,
              (function* () {
                  for (let s = 0; s < stagedKeys; s++) yield winners.key(s);
              })(),
              onRow,
              { concurrency: cfg.concurrency }
          )
        : await bulkQuery(o.client, `${select} WHERE ${spec.externalId} != null`, onRow, {
              pageSize: cfg.queryPageSize,
              initialMs: cfg.pollInitialMs,
              maxMs: cfg.pollMaxMs,
              timeoutMs: cfg.jobTimeoutMs
          });
    log.info(
        {
            event: 'org-read',
            entity: spec.name,
            object: spec.object,
            records: rows,
            via: targeted ? 'keys' : 'bulk',
            ...(targeted ? { keys: stagedKeys } : {})
        },
        'existing records indexed'
    );
    if (!o.client.budget.known) {
        const limits = await o.client.json<{ DailyApiRequests?: { Remaining?: number } }>(
            'GET',
            `${o.client.dataPath}/limits/`
        );
        const remaining = limits?.DailyApiRequests?.Remaining;
        if (typeof remaining === 'number') o.client.budget.setRemaining(remaining + o.client.calls);
    }

    // 3. diff: write only new or changed records
    const changesPath = join(dir, 'changes.ndjson');
    const changes = new LineWriter(changesPath);
    let toLoad = 0;
    let maxUpdated = '';
    // source ids of the winners named in duplicate rejects (only those are kept)
    const sourceOf = new Map<number, string>();
    for (const w of losers.values()) if (typeof w === 'number') sourceOf.set(w, '');
    for await (const st of readLines<Staged>(stagePath)) {
        if (sourceOf.has(st.s)) sourceOf.set(st.s, st.i);
        const lostTo = losers.get(st.s);
        const winner = typeof lostTo === 'number' ? sourceOf.get(lostTo) : lostTo;
        if (winner !== undefined && spec.supersededIsHistory) {
            counts.superseded = (counts.superseded ?? 0) + 1;
            continue;
        }
        if (winner !== undefined) {
            counts.rejected++;
            rb.reject(
                spec.name,
                spec.maskKey(st.k),
                `duplicate ${spec.externalId}: superseded by ${winner}, updated more recently`
            );
            continue;
        }
        counts.valid++;
        if (st.u > maxUpdated) maxUpdated = st.u;
        const hash = syncHash(st.r, spec.fields);
        const org = existingOf(existing, st.k);
        const action = decide(org, hash);
        if (action === 'unchanged') {
            counts.unchanged++;
            continue;
        }
        if (org && spec.orgWins?.(org.extra ?? [], st.r)) {
            counts.conflicts++;
            continue;
        }
        if (action === 'create') counts.created++;
        else counts.updated++;
        toLoad++;
        const r = spec.hashField ? { ...st.r, [spec.hashField]: hash } : st.r;
        await changes.write({ a: action === 'create' ? 'c' : 'u', r } satisfies Change);
    }
    losers.clear();

    // 4. deactivation: in a full run, Active records absent from the snapshot become Ceased
    if (full && spec.status) {
        const st = spec.status;
        const absent = [
            ...absentActive(existing, (k) => isWinner(k) || rejectedKeys.has(k), st.active)
        ];
        const active = countStatus(existing, st.active);
        if (
            absent.length > 0 &&
            absent.length > cfg.maxDeactivationShare * active &&
            absent.length > 10
        ) {
            rb.warn(
                `${spec.name}: ${absent.length} of ${active} active records are missing from the snapshot, above maxDeactivationShare ${cfg.maxDeactivationShare}: no deactivation done (is the source complete?)`
            );
        } else {
            for (const key of absent) {
                counts.deactivated++;
                toLoad++;
                await changes.write({
                    a: 'd',
                    // the hash is reset so a professional who comes back is rewritten in full
                    r: {
                        [spec.externalId]: key,
                        [st.field]: st.ceased,
                        ...(spec.hashField ? { [spec.hashField]: 'deactivated' } : {})
                    }
                } satisfies Change);
            }
        }
    }
    await changes.close();

    // 5. load (never in a dry run); once started, a load is finished and counted
    checkStop(o.signal, `before loading ${spec.name}`);
    async function* changedRecords() {
        for await (const c of readLines<Change>(changesPath)) yield c.r;
    }
    // prerequisites of the changes (e.g. consents: purposes, channels, Individuals, links)
    if (!o.dryRun && spec.beforeLoad) await spec.beforeLoad(ctx, changedRecords);
    if (!o.dryRun && toLoad > 0) {
        const lo: LoadOptions = {
            bulkThreshold: cfg.bulkThreshold,
            collectionSize: cfg.collectionSize,
            maxUploadBytes: cfg.maxUploadBytes,
            concurrency: cfg.concurrency,
            maxConcurrentJobs: cfg.maxConcurrentJobs,
            lockRetries: cfg.lockRetries,
            retryBaseMs: cfg.retryBaseMs,
            poll: {
                initialMs: cfg.pollInitialMs,
                maxMs: cfg.pollMaxMs,
                timeoutMs: cfg.jobTimeoutMs
            },
            tmpDir: dir,
            logger: log,
            signal: o.signal
        };
        const columns = [
            ...spec.fields,
            ...(spec.status && !spec.fields.includes(spec.status.field) ? [spec.status.field] : []),
            ...(spec.hashField ? [spec.hashField] : [])
        ];
        async function* records(pass?: number) {
            for await (const c of readLines<Change>(changesPath))
                if (pass === undefined || (spec.pass?.(c.r) ?? 0) === pass) yield c.r;
        }
        log.info(
            {
                event: 'load',
                entity: spec.name,
                object: spec.object,
                records: toLoad,
                via: toLoad >= cfg.bulkThreshold ? 'bulk' : 'collections'
            },
            'loading'
        );
        // in passes when the entity asks (courses before their modules)
        const passCounts = new Map<number, number>();
        if (spec.pass) {
            for await (const c of readLines<Change>(changesPath)) {
                const p = spec.pass(c.r);
                passCounts.set(p, (passCounts.get(p) ?? 0) + 1);
            }
        } else passCounts.set(0, toLoad);
        const stats: { failed: LoadStats['failed'] } = { failed: [] };
        for (const p of [...passCounts.keys()].sort((a, b) => a - b)) {
            const s = await loadRecords(
                o.client,
                { object: spec.object, externalId: spec.externalId, columns },
                records(spec.pass ? p : undefined),
                passCounts.get(p)!,
                lo
            );
            stats.failed.push(...s.failed);
        }
        const failedKeys = new Set<string>();
        for (const f of stats.failed) {
            if (failedKeys.has(f.key)) continue;
            failedKeys.add(f.key);
            counts.failed++;
            if (!existing.has(f.key)) counts.created--;
            else if (isWinner(f.key)) counts.updated--;
            else counts.deactivated--;
            rb.failure(spec.name, spec.maskKey(f.key), f.errorCode, f.message);
        }
        if (stats.failed.some((f) => f.errorCode === RUN_STOPPED)) {
            throw new StopRequestedError(`stop requested (SIGTERM) while loading ${spec.name}`);
        }
        if (stats.failed.some((f) => f.errorCode === 'API_BUDGET_EXCEEDED')) {
            throw new BudgetExceededError(`API budget reached while loading ${spec.name}`);
        }
    }
    log.info({ event: 'entity-done', entity: spec.name, ...counts }, `${spec.name} done`);
    return maxUpdated;
}
