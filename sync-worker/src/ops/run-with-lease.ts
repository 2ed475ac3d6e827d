// A run as an operation: the pipeline's run wrapped in the single-flight lease (lease.ts). Used
// by `fse-sync run` and by each job of `fse-sync schedule`.
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../config/errors.ts';
import { loadRunSubjects, runSync, type RunOptions } from '../pipeline/run.ts';
import { ReportBuilder, type Report } from '../pipeline/report.ts';
import { BudgetExceededError } from '../salesforce/budget.ts';
import { isDailyLimitRefusal, SfHttpError } from '../salesforce/retry.ts';
import { Lease } from './lease.ts';

/**
 * Runs the sync holding the lease when the run writes (not in a dry run, and only when
 * SyncRun__c records are written at all). Throws LeaseConflictError when another live run
 * holds the lease for an overlapping entity: nothing is written then.
 */
export async function runWithLease(options: Omit<RunOptions, 'leased'>): Promise<Report> {
    const config = options.config;
    if (options.dryRun || !config.lease || !config.writeSyncRun) return runSync(options);
    if (config.heartbeatMs > 0 && config.heartbeatMs * 2 > config.leaseStaleAfterMs) {
        throw new ConfigError(
            `heartbeatMs (${config.heartbeatMs}) must be at most half of leaseStaleAfterMs (${config.leaseStaleAfterMs}), or a live run would look stale`
        );
    }
    const runId = options.runId ?? randomUUID();
    // the tombstones and the key first: a key the org's erasures were not made with (or
    // tombstones without a key) is refused before the lease, so nothing at all is written
    let subjects = options.subjects;
    try {
        subjects ??= await loadRunSubjects(options);
    } catch (err) {
        if (err instanceof BudgetExceededError || isDailyLimitRefusal(err)) {
            return stoppedBeforeStart(options, runId, err);
        }
        throw err;
    }
    const acquiring = Lease.acquire(options.client, {
        runId,
        entities: options.entities,
        mode: options.reconcile ? 'Reconcile' : options.mode === 'full' ? 'Full' : 'Incremental',
        source: options.source.description,
        staleAfterMs: config.leaseStaleAfterMs,
        heartbeatMs: config.heartbeatMs,
        now: options.now,
        logger: options.logger
    });
    let lease: Lease;
    try {
        lease = await acquiring;
    } catch (err) {
        // the org refuses requests (daily allocation used up): stop cleanly as the pipeline would
        if (err instanceof BudgetExceededError || isDailyLimitRefusal(err)) {
            return stoppedBeforeStart(options, runId, err);
        }
        throw err;
    }
    try {
        // the run stops cleanly on SIGTERM, and as soon as a heartbeat finds the lease lost
        const signal = options.signal ? AbortSignal.any([options.signal, lease.lost]) : lease.lost;
        const report = await runSync({ ...options, runId, leased: true, signal, subjects });
        if (lease.takenOverFrom) {
            report.warnings.push(
                `took over the stale lease of run ${lease.takenOverFrom} (marked Failed in the org)`
            );
        }
        return report;
    } finally {
        await lease.stop();
    }
}

/** The report of a run that could not even take its lease because the org refused requests. */
function stoppedBeforeStart(
    options: Omit<RunOptions, 'leased'>,
    runId: string,
    err: Error
): Report {
    const now = (options.now ?? (() => new Date()))().toISOString();
    const builder = new ReportBuilder(
        {
            runId,
            mode: options.mode,
            dryRun: false,
            reconcile: options.reconcile,
            startedAt: now,
            source: options.source.description
        },
        options.config.maxListed
    );
    builder.report.status = 'Stopped';
    builder.report.finishedAt = now;
    builder.report.apiCalls = options.client.calls;
    builder.warn(
        `the org refused further API requests (${err instanceof SfHttpError ? err.errorCode : err.message}) before the run could take its lease: nothing was done; the next run does it`
    );
    return builder.settle(options.config.health);
}
