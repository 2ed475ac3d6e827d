// A run as an operation: the engine wrapped in the single-flight lease (lease.ts). Used by
// `fse-sync run` and by each job of `fse-sync schedule`.
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../config/schema.ts';
import { runSync, type RunOptions } from '../pipeline/run.ts';
import { Lease } from './lease.ts';
import { ReportBuilder, type Report } from '../pipeline/report.ts';
import { BudgetExceededError } from '../salesforce/budget.ts';
import { SfHttpError } from '../salesforce/retry.ts';

export { LeaseConflictError } from './lease.ts';

/**
 * Runs the sync holding the lease when the run writes (not in a dry run, and only when
 * SyncRun__c records are written at all). Throws LeaseConflictError when another live run
 * holds the lease for an overlapping entity: nothing is written then.
 */
export async function runWithLease(o: Omit<RunOptions, 'leased'>): Promise<Report> {
    const cfg = o.config;
    if (o.dryRun || !cfg.lease || !cfg.writeSyncRun) return runSync(o);
    if (cfg.heartbeatMs > 0 && cfg.heartbeatMs * 2 > cfg.leaseStaleAfterMs) {
        throw new ConfigError(
            `heartbeatMs (${cfg.heartbeatMs}) must be at most half of leaseStaleAfterMs (${cfg.leaseStaleAfterMs}), or a live run would look stale`
        );
    }
    const runId = o.runId ?? randomUUID();
    const acquiring = Lease.acquire(o.client, {
        runId,
        entities: o.entities,
        mode: o.reconcile ? 'Reconcile' : o.mode === 'full' ? 'Full' : 'Incremental',
        source: o.source.description,
        staleAfterMs: cfg.leaseStaleAfterMs,
        heartbeatMs: cfg.heartbeatMs,
        now: o.now,
        logger: o.logger
    });
    let lease: Lease;
    try {
        lease = await acquiring;
    } catch (err) {
        // the org refuses requests (daily allocation used up): stop cleanly as the engine would
        if (
            err instanceof BudgetExceededError ||
            (err instanceof SfHttpError && err.errorCode === 'REQUEST_LIMIT_EXCEEDED')
        ) {
            return stoppedBeforeStart(o, runId, err);
        }
        throw err;
    }
    try {
        const report = await runSync({ ...o, runId, leased: true });
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
function stoppedBeforeStart(o: Omit<RunOptions, 'leased'>, runId: string, err: Error): Report {
    const now = (o.now ?? (() => new Date()))().toISOString();
    const rb = new ReportBuilder(
        {
            runId,
            mode: o.mode,
            dryRun: false,
            reconcile: o.reconcile,
            startedAt: now,
            source: o.source.description
        },
        o.config.maxListed
    );
    rb.report.status = 'Stopped';
    rb.report.finishedAt = now;
    rb.report.apiCalls = o.client.calls;
    rb.warn(
        `the org refused further API requests (${err instanceof SfHttpError ? err.errorCode : err.message}) before the run could take its lease: nothing was done; the next run does it`
    );
    return rb.report;
}
