// `fse-sync schedule`: a long-running process that runs the configured jobs on cron expressions
// (croner) and the runs requested from the org (SyncRequest__e), and the campaign sends
// (campaignJobs, CampaignSendRequest__e), one at a time, each under its single-flight lease. JSON logs. On SIGTERM it stops taking new work, asks the current run to
// stop between steps (a load already started is finished and counted, so no batch is left
// half-written and unreported), waits for it and returns.
import { Cron } from 'croner';
import { ConfigError } from '../config/errors.ts';
import type { CampaignJob, ScheduledJob, SyncConfig } from '../config/schema.ts';
import { campaignExitCode, type CampaignReport } from '../campaigns/report.ts';
import { scrubText } from '../domain/mask.ts';
import type { EntityName } from '../entities/types.ts';
import type { Report } from '../pipeline/report.ts';
import { exitCodeOf } from '../pipeline/run-health.ts';
import type { ResolvedAuth } from '../salesforce/auth.ts';
import { clientFor } from '../salesforce/http.ts';
import type { RegistrySource } from '../sources/types.ts';
import { describeError } from '../util/http-error.ts';
import type { Logger } from '../util/log.ts';
import { LeaseConflictError } from './lease.ts';
import { runCampaignWithLease } from './campaign-with-lease.ts';
import { runWithLease } from './run-with-lease.ts';
// sync-requests.ts (jsforce's streaming client, ~250 ms to load) is imported only when listening
import type { CampaignSendRequest, RequestListener, SyncRequest } from './sync-requests.ts';

export interface JobRun {
    /** job name, or "request" for a SyncRequest__e / CampaignSendRequest__e */
    name: string;
    trigger: 'schedule' | 'request';
    mode: 'full' | 'incremental';
    reconcile: boolean;
    /** undefined: the configured default */
    entities?: string[];
    /** a campaign send instead of a sync */
    campaign?: { campaign: string; channel?: 'email' | 'sms' | 'push'; dryRun: boolean };
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
    campaignReport?: CampaignReport;
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
    onOutcome?: (outcome: JobOutcome) => void;
    /** called when the scheduler is ready (jobs armed, subscription acknowledged) */
    onReady?: () => void;
    /** environment of the campaign channels' secrets (FSE_SMTP_PASSWORD, FSE_SMS_TOKEN, ...) */
    env?: NodeJS.ProcessEnv;
}

/** Validates the jobs against the configuration once, at start-up (ConfigError = exit 2). */
export async function checkJobs(config: SyncConfig, prepare: PrepareRun): Promise<void> {
    const names = new Set<string>();
    for (const job of config.jobs) {
        if (names.has(job.name)) throw new ConfigError(`jobs: duplicate job name "${job.name}"`);
        names.add(job.name);
        try {
            await prepare(job.entities);
        } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            throw new ConfigError(`jobs.${job.name}: ${(e as Error).message}`);
        }
    }
    await prepare(); // the default run (SyncRequest__e without entities)
    for (const job of config.campaignJobs) {
        if (names.has(job.name)) throw new ConfigError(`jobs: duplicate job name "${job.name}"`);
        names.add(job.name);
        if (!config.campaigns)
            throw new ConfigError(
                `campaignJobs.${job.name}: add a "campaigns" section (relay, gateway) to the configuration`
            );
    }
}

/** Two triggers of the same run (same job, mode, entities) are not queued twice. */
function runKey(job: JobRun): string {
    if (job.campaign)
        return `campaign|${job.campaign.campaign}|${job.campaign.channel ?? '*'}|${job.campaign.dryRun}`;
    return `${job.trigger === 'schedule' ? job.name : 'request'}|${job.mode}|${job.reconcile}|${job.entities?.join(',') ?? '*'}`;
}

/** The run queue: one run at a time, in trigger order. */
class RunQueue {
    private readonly queue: JobRun[] = [];
    private current: { job: JobRun; abort: AbortController; done: Promise<void> } | undefined;
    private stopping = false;
    private readonly options: ScheduleOptions;
    private readonly prepare: PrepareRun;

    constructor(options: ScheduleOptions, prepare: PrepareRun) {
        this.options = options;
        this.prepare = prepare;
    }

    /** One run of `job`, its outcome (never throws). */
    private async execute(job: JobRun, abort: AbortController): Promise<JobOutcome> {
        const { auth, logger } = this.options;
        try {
            if (job.campaign) return await this.executeCampaign(job, abort);
            const { config, source, entities } = await this.prepare(job.entities);
            const refresh = auth.refresh
                ? async () => (auth.accessToken = await auth.refresh!())
                : undefined;
            const client = clientFor(config, { ...auth, refresh }, logger);
            const report = await runWithLease({
                source,
                client,
                config,
                mode: job.mode,
                reconcile: job.reconcile,
                dryRun: false,
                entities,
                logger,
                signal: abort.signal
            });
            return { job, code: exitCodeOf(report), report };
        } catch (err) {
            if (err instanceof LeaseConflictError) return { job, code: 4, error: err.message };
            if (err instanceof ConfigError) return { job, code: 2, error: err.message };
            const error = scrubText(`${describeError(err)} ${(err as Error)?.message ?? ''}`);
            return { job, code: 1, error };
        }
    }

    /** A campaign send (`fse-sync campaign send` with the scheduler's configuration). */
    private async executeCampaign(job: JobRun, abort: AbortController): Promise<JobOutcome> {
        const { auth, logger, config } = this.options;
        const refresh = auth.refresh
            ? async () => (auth.accessToken = await auth.refresh!())
            : undefined;
        const client = clientFor(config, { ...auth, refresh }, logger);
        const campaignReport = await runCampaignWithLease({
            client,
            config,
            campaign: job.campaign!.campaign,
            channel: job.campaign!.channel,
            dryRun: job.campaign!.dryRun,
            logger,
            env: this.options.env ?? process.env,
            signal: abort.signal
        });
        return { job, code: campaignExitCode(campaignReport), campaignReport };
    }

    private finished(job: JobRun, outcome: JobOutcome): void {
        const log = this.options.logger;
        const report = outcome.report ?? outcome.campaignReport;
        const fields = {
            event: 'job-finish',
            job: job.name,
            trigger: job.trigger,
            code: outcome.code,
            ...(report
                ? { runId: report.runId, status: report.status, apiCalls: report.apiCalls }
                : {}),
            ...(outcome.error ? { error: outcome.error } : {})
        };
        if (outcome.code === 4) log.warn(fields, 'run refused: another run holds the lease');
        else if (outcome.code === 0) log.info(fields, 'run finished');
        else log.error(fields, 'run did not complete');
        try {
            this.options.onOutcome?.(outcome);
        } catch {
            /* a listener's problem is not the scheduler's */
        }
        this.current = undefined;
        this.pump();
    }

    private pump(): void {
        if (this.current || this.stopping) return;
        const job = this.queue.shift();
        if (!job) return;
        const abort = new AbortController();
        this.options.logger.info(
            {
                event: 'job-start',
                job: job.name,
                trigger: job.trigger,
                mode: job.campaign ? 'campaign' : job.mode,
                reconcile: job.reconcile,
                entities: job.entities,
                ...(job.campaign ? { channel: job.campaign.channel ?? 'campaign' } : {})
            },
            'run starting'
        );
        const done = this.execute(job, abort).then((outcome) => this.finished(job, outcome));
        this.current = { job, abort, done };
    }

    trigger(job: JobRun): void {
        if (this.stopping) return;
        const key = runKey(job);
        const current = this.current;
        if ((current && runKey(current.job) === key) || this.queue.some((q) => runKey(q) === key)) {
            this.options.logger.info(
                { event: 'job-skipped', job: job.name, trigger: job.trigger },
                'the same run is already running or queued'
            );
            return;
        }
        this.queue.push(job);
        this.pump();
    }

    /** Takes no more work; asks the current run to stop between steps and waits for it. */
    async stop(): Promise<void> {
        this.stopping = true;
        this.options.logger.info(
            {
                event: 'schedule-stopping',
                running: this.current?.job.name ?? null,
                queued: this.queue.length
            },
            'stop requested: finishing the current step'
        );
        this.queue.length = 0;
    }

    async finishCurrent(): Promise<void> {
        const current = this.current;
        if (!current) return;
        current.abort.abort();
        await current.done;
    }
}

/** The org connection both request listeners use (token refreshed in place when it expires). */
function listenerConnection(options: ScheduleOptions) {
    const { auth, logger } = options;
    return {
        instanceUrl: auth.instanceUrl,
        accessToken: auth.accessToken,
        apiVersion: options.config.apiVersion,
        refresh: auth.refresh ? async () => (auth.accessToken = await auth.refresh!()) : undefined,
        logger
    };
}

/** Starts the campaign sends requested in the org (CampaignSendRequest__e). */
async function listenForCampaignRequests(
    options: ScheduleOptions,
    runs: RunQueue
): Promise<RequestListener> {
    const { logger } = options;
    const { listenForCampaignSendRequests } = await import('./sync-requests.ts');
    return listenForCampaignSendRequests({
        ...listenerConnection(options),
        onRequest: (request: CampaignSendRequest) => {
            logger.info(
                {
                    event: 'campaign-request-received',
                    replayId: request.replayId,
                    campaign: request.campaign,
                    channel: request.channel ?? 'campaign',
                    dryRun: request.dryRun
                },
                'CampaignSendRequest__e received'
            );
            runs.trigger({
                name: 'request',
                trigger: 'request',
                mode: 'incremental',
                reconcile: false,
                campaign: {
                    campaign: request.campaign,
                    channel: request.channel,
                    dryRun: request.dryRun
                }
            });
        }
    });
}

/** Starts the runs requested in the org (SyncRequest__e). */
async function listenForRequests(
    options: ScheduleOptions,
    runs: RunQueue
): Promise<RequestListener> {
    const { logger } = options;
    const { listenForSyncRequests } = await import('./sync-requests.ts');
    return listenForSyncRequests({
        ...listenerConnection(options),
        onRequest: (request: SyncRequest) => {
            logger.info(
                {
                    event: 'request-received',
                    replayId: request.replayId,
                    mode: request.mode,
                    reconcile: request.reconcile,
                    entities: request.entities ?? 'default'
                },
                'SyncRequest__e received'
            );
            runs.trigger({
                name: 'request',
                trigger: 'request',
                mode: request.mode,
                reconcile: request.reconcile,
                entities: request.entities
            });
        }
    });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
    });
}

export async function schedule(options: ScheduleOptions, prepare: PrepareRun): Promise<number> {
    const log = options.logger;
    const base = options.config;
    const listen = options.requests ?? base.listenForRequests;
    await checkJobs(base, prepare);
    if (base.jobs.length === 0 && base.campaignJobs.length === 0 && !listen)
        throw new ConfigError(
            'Nothing to schedule: add "jobs" or "campaignJobs" to the configuration or listen for SyncRequest__e'
        );
    const runs = new RunQueue(options, prepare);
    const crons = base.jobs.map(
        (job: ScheduledJob) =>
            new Cron(job.cron, { timezone: job.timezone, protect: true, catch: true }, () =>
                runs.trigger({
                    name: job.name,
                    trigger: 'schedule',
                    mode: job.mode,
                    reconcile: job.reconcile,
                    entities: job.entities
                })
            )
    );
    crons.push(
        ...base.campaignJobs.map(
            (job: CampaignJob) =>
                new Cron(job.cron, { timezone: job.timezone, protect: true, catch: true }, () =>
                    runs.trigger({
                        name: job.name,
                        trigger: 'schedule',
                        mode: 'incremental',
                        reconcile: false,
                        campaign: { campaign: job.campaign, channel: job.channel, dryRun: false }
                    })
                )
        )
    );
    const listeners: RequestListener[] = [];
    const stopAll = async () => {
        for (const cron of crons) cron.stop();
        for (const listener of listeners) await listener.close();
    };
    try {
        if (listen) {
            listeners.push(await listenForRequests(options, runs));
            // campaign sends requested in the org need the campaigns section to run at all
            if (base.campaigns) listeners.push(await listenForCampaignRequests(options, runs));
        }
    } catch (err) {
        await stopAll();
        throw err;
    }
    log.info(
        {
            event: 'schedule-start',
            jobs: base.jobs.map((job, i) => ({
                name: job.name,
                cron: job.cron,
                mode: job.mode,
                next: crons[i].nextRun()?.toISOString() ?? null
            })),
            campaignJobs: base.campaignJobs.map((job, i) => ({
                name: job.name,
                cron: job.cron,
                channel: job.channel ?? 'campaign',
                next: crons[base.jobs.length + i].nextRun()?.toISOString() ?? null
            })),
            requests: listen
        },
        'scheduler started'
    );
    options.onReady?.();
    await waitForAbort(options.signal);
    await runs.stop();
    await stopAll();
    await runs.finishCurrent();
    log.info({ event: 'schedule-stopped' }, 'scheduler stopped');
    return 0;
}
