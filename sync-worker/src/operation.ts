// A run as an operation: the engine wrapped in the single-flight lease (lease.ts). Used by
// `fse-sync run` and by each job of `fse-sync schedule`.
import { randomUUID } from 'node:crypto';
import { ConfigError } from './config.ts';
import { runSync, type RunOptions } from './engine.ts';
import { Lease } from './lease.ts';
import type { Report } from './report.ts';

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
    const lease = await Lease.acquire(o.client, {
        runId,
        entities: o.entities,
        mode: o.reconcile ? 'Reconcile' : o.mode === 'full' ? 'Full' : 'Incremental',
        source: o.source.description,
        staleAfterMs: cfg.leaseStaleAfterMs,
        heartbeatMs: cfg.heartbeatMs,
        now: o.now,
        logger: o.logger
    });
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
