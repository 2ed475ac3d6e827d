// `fse-sync schedule`: a long-running process that runs the configured jobs on cron expressions
// (croner) and the runs requested from the org (SyncRequest__e), one at a time, each under the
// single-flight lease. JSON logs. On SIGTERM it stops taking new work, asks the current run to
// stop between steps (a load already started is finished and counted, so no batch is left
// half-written and unreported), waits for it and returns.
import { Cron } from 'croner';
import { ApiBudget } from '../salesforce/budget.ts';
import { ConfigError, type ScheduledJob, type SyncConfig } from '../config/schema.ts';
import type { ResolvedAuth } from '../salesforce/auth.ts';
import type { EntityName } from '../entities/registry.ts';
import type { Logger } from '../util/log.ts';
import { runWithLease, LeaseConflictError } from './run-with-lease.ts';
import type { Report } from '../pipeline/report.ts';
// requests.ts (jsforce's streaming client, ~250 ms to load) is imported only when listening
import type { RequestListener, SyncRequest } from './sync-requests.ts';
import { SfClient, describe } from '../salesforce/http.ts';
import type { RegistrySource } from '../sources/types.ts';
import { scrubText } from '../domain/mask.ts';

export interface JobRun {
    /** job name, or "request" for a SyncRequest__e */
    name: string;
    trigger: 'schedule' | 'request';
    mode: 'full' | 'incremental';
    reconcile: boolean;
    /** undefined: the configured default */
    entities?: string[];
}

/**
 * The configuration, opened source(s) and entity list of one run, by the same rules as
 * `fse-sync run --entities` (provided by the CLI). Usage errors are ConfigErrors.
 */
export type PrepareRun = (
    entities?: string[]
) => Promise<{ config: SyncConfig; source: RegistrySource; entities: EntityName[] }>;

export interface JobOutcome {
    job: JobRun;
    /** 0 ok, 3 partial/stopped, 4 refused (lease held), 2 configuration, 1 fatal */
    code: number;
    report?: Report;
    error?: string;
}

export interface ScheduleOptions {
    config: SyncConfig;
    auth: ResolvedAuth;
    logger: Logger;
    /** aborted on SIGTERM/SIGINT */
    signal: AbortSignal;
    /** listen for SyncRequest__e (default: config.listenForRequests) */
    requests?: boolean;
    /** called after every run (tests, metrics) */
    onOutcome?: (o: JobOutcome) => void;
    /** called when the scheduler is ready (jobs armed, subscription acknowledged) */
    onReady?: () => void;
}

/** Validates the jobs against the configuration once, at start-up (ConfigError = exit 2). */
export async function checkJobs(cfg: SyncConfig, prepare: PrepareRun): Promise<void> {
    const names = new Set<string>();
    for (const j of cfg.jobs) {
        if (names.has(j.name)) throw new ConfigError(`jobs: duplicate job name "${j.name}"`);
        names.add(j.name);
        try {
            await prepare(j.entities);
        } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            throw new ConfigError(`jobs.${j.name}: ${(e as Error).message}`);
        }
    }
    await prepare(); // the default run (SyncRequest__e without entities)
}

export async function schedule(o: ScheduleOptions, prepare: PrepareRun): Promise<number> {
    const log = o.logger;
    const base = o.config;
    const listen = o.requests ?? base.listenForRequests;
    await checkJobs(base, prepare);
    if (base.jobs.length === 0 && !listen)
        throw new ConfigError(
            'Nothing to schedule: add "jobs" to the configuration or listen for SyncRequest__e'
        );

    const queue: JobRun[] = [];
    let current: { job: JobRun; abort: AbortController; done: Promise<void> } | undefined;
    let stopping = false;
    const keyOf = (j: JobRun) =>
        `${j.trigger === 'schedule' ? j.name : 'request'}|${j.mode}|${j.reconcile}|${j.entities?.join(',') ?? '*'}`;

    const execute = async (job: JobRun, abort: AbortController): Promise<JobOutcome> => {
        try {
            const { config: cfg, source, entities } = await prepare(job.entities);
            const client = new SfClient({
                instanceUrl: o.auth.instanceUrl,
                accessToken: o.auth.accessToken,
                refresh: o.auth.refresh
                    ? async () => (o.auth.accessToken = await o.auth.refresh!())
                    : undefined,
                apiVersion: cfg.apiVersion,
                budget: new ApiBudget(cfg.apiBudgetShare),
                retry: { retries: cfg.retries, baseMs: cfg.retryBaseMs, capMs: cfg.retryCapMs },
                timeoutMs: cfg.requestTimeoutMs,
                logger: log
            });
            const report = await runWithLease({
                source,
                client,
                config: cfg,
                mode: job.mode,
                reconcile: job.reconcile,
                dryRun: false,
                entities,
                logger: log,
                signal: abort.signal
            });
            return { job, code: report.status === 'Succeeded' ? 0 : 3, report };
        } catch (err) {
            if (err instanceof LeaseConflictError) return { job, code: 4, error: err.message };
            if (err instanceof ConfigError) return { job, code: 2, error: err.message };
            return {
                job,
                code: 1,
                error: scrubText(`${describe(err)} ${(err as Error)?.message ?? ''}`)
            };
        }
    };

    const pump = (): void => {
        if (current || stopping) return;
        const job = queue.shift();
        if (!job) return;
        const abort = new AbortController();
        log.info(
            {
                event: 'job-start',
                job: job.name,
                trigger: job.trigger,
                mode: job.mode,
                reconcile: job.reconcile,
                entities: job.entities
            },
            'run starting'
        );
        const done = execute(job, abort).then((out) => {
            const r = out.report;
            const fields = {
                event: 'job-finish',
                job: job.name,
                trigger: job.trigger,
                code: out.code,
                ...(r ? { runId: r.runId, status: r.status, apiCalls: r.apiCalls } : {}),
                ...(out.error ? { error: out.error } : {})
            };
            if (out.code === 4) log.warn(fields, 'run refused: another run holds the lease');
            else if (out.code === 0) log.info(fields, 'run finished');
            else log.error(fields, 'run did not complete');
            try {
                o.onOutcome?.(out);
            } catch {
                /* a listener's problem is not the scheduler's */
            }
            current = undefined;
            pump();
        });
        current = { job, abort, done };
    };

    const trigger = (job: JobRun): void => {
        if (stopping) return;
        const key = keyOf(job);
        if ((current && keyOf(current.job) === key) || queue.some((q) => keyOf(q) === key)) {
            log.info(
                { event: 'job-skipped', job: job.name, trigger: job.trigger },
                'the same run is already running or queued'
            );
            return;
        }
        queue.push(job);
        pump();
    };

    const crons = base.jobs.map(
        (j: ScheduledJob) =>
            new Cron(j.cron, { timezone: j.timezone, protect: true, catch: true }, () =>
                trigger({
                    name: j.name,
                    trigger: 'schedule',
                    mode: j.mode,
                    reconcile: j.reconcile,
                    entities: j.entities
                })
            )
    );

    let listener: RequestListener | undefined;
    const stopAll = async () => {
        for (const c of crons) c.stop();
        await listener?.close();
    };
    try {
        if (listen) {
            const { listenForSyncRequests } = await import('./sync-requests.ts');
            listener = await listenForSyncRequests({
                instanceUrl: o.auth.instanceUrl,
                accessToken: o.auth.accessToken,
                apiVersion: base.apiVersion,
                refresh: o.auth.refresh
                    ? async () => (o.auth.accessToken = await o.auth.refresh!())
                    : undefined,
                logger: log,
                onRequest: (r: SyncRequest) => {
                    log.info(
                        {
                            event: 'request-received',
                            replayId: r.replayId,
                            mode: r.mode,
                            reconcile: r.reconcile,
                            entities: r.entities ?? 'default'
                        },
                        'SyncRequest__e received'
                    );
                    trigger({
                        name: 'request',
                        trigger: 'request',
                        mode: r.mode,
                        reconcile: r.reconcile,
                        entities: r.entities
                    });
                }
            });
        }
    } catch (err) {
        await stopAll();
        throw err;
    }

    log.info(
        {
            event: 'schedule-start',
            jobs: base.jobs.map((j, i) => ({
                name: j.name,
                cron: j.cron,
                mode: j.mode,
                next: crons[i].nextRun()?.toISOString() ?? null
            })),
            requests: listen
        },
        'scheduler started'
    );
    o.onReady?.();

    await new Promise<void>((resolve) => {
        if (o.signal.aborted) resolve();
        else o.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    stopping = true;
    log.info(
        { event: 'schedule-stopping', running: current?.job.name ?? null, queued: queue.length },
        'stop requested: finishing the current step'
    );
    queue.length = 0;
    await stopAll();
    if (current) {
        current.abort.abort();
        await current.done;
    }
    log.info({ event: 'schedule-stopped' }, 'scheduler stopped');
    return 0;
}
