// fse-sync command line (commander). Exit codes: 0 every valid record is in the org; 3 the run
// finished but some valid records failed to load (or the API budget or SIGTERM stopped it); 2 usage
// or configuration error (nothing written); 4 another run holds the lease (nothing written);
// 1 fatal.
import { writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ApiBudget } from '../salesforce/budget.ts';
import { ConfigError, loadConfig, parseConfig, type SyncConfig } from '../config/schema.ts';
import { resolveAuth } from '../salesforce/auth.ts';
import { type Progress } from '../pipeline/run.ts';
import { LeaseConflictError, runWithLease } from '../ops/run-with-lease.ts';
import { schedule } from '../ops/scheduler.ts';
import { formatStatusTable, readRunStatus } from '../ops/status.ts';
import { createLogger, type Logger } from '../util/log.ts';
import { formatReport, type Report } from '../pipeline/report.ts';
import { SfClient, describe } from '../salesforce/http.ts';
import { scrubText } from '../domain/mask.ts';
import { openSources } from '../sources/composite.ts';
import { resolveEntities, type EntityName } from '../entities/registry.ts';

export const EXIT = { OK: 0, FATAL: 1, USAGE: 2, PARTIAL: 3, LOCKED: 4 } as const;

export interface CliIo {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    env: NodeJS.ProcessEnv;
    /** aborted on SIGTERM/SIGINT (bin/fse-sync.js): runs stop between steps */
    signal?: AbortSignal;
}

interface RunFlags {
    /** repeatable: one registry source (ndjson:/fhir:) and/or one content: source */
    source: string | string[];
    targetOrg?: string;
    instanceUrl?: string;
    accessToken?: string;
    entities?: string;
    full?: boolean;
    incremental?: boolean;
    reconcile?: boolean;
    dryRun?: boolean;
    report?: string;
    config?: string;
    json?: boolean;
    fhirToken?: string;
    apiBudgetShare?: string;
    bulkThreshold?: string;
    runId?: string;
}

function numberFlag(v: string | undefined, name: string): number | undefined {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number`);
    return n;
}

export function effectiveConfig(base: SyncConfig, f: RunFlags): SyncConfig {
    const entities = f.entities
        ? f.entities
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
        : base.entities;
    return parseConfig(
        {
            ...base,
            entities,
            ...(f.apiBudgetShare !== undefined
                ? { apiBudgetShare: numberFlag(f.apiBudgetShare, '--api-budget-share') }
                : {}),
            ...(f.bulkThreshold !== undefined
                ? { bulkThreshold: numberFlag(f.bulkThreshold, '--bulk-threshold') }
                : {})
        },
        'options'
    );
}

function ttyProgress(stderr: CliIo['stderr']): Progress | undefined {
    if (!stderr.isTTY) return undefined;
    let bar: cliProgress.SingleBar | undefined;
    return {
        start(label) {
            bar?.stop();
            bar = new cliProgress.SingleBar(
                { format: `${label} {value} records`, stream: stderr as NodeJS.WriteStream },
                cliProgress.Presets.shades_classic
            );
            bar.start(0, 0);
        },
        update(v) {
            bar?.update(v);
        },
        stop() {
            bar?.stop();
            bar = undefined;
        }
    };
}

async function run(f: RunFlags, io: CliIo): Promise<number> {
    if (f.full && f.incremental)
        throw new ConfigError('--full and --incremental are mutually exclusive');
    const configFile =
        f.config ?? (existsSync('config/sync.config.json') ? 'config/sync.config.json' : undefined);
    const cfg = effectiveConfig(await loadConfig(configFile, f.config !== undefined), f);
    const logger: Logger = createLogger({
        destination: io.stderr,
        level: io.env.FSE_SYNC_LOG_LEVEL ?? (io.stderr.isTTY ? 'warn' : 'info')
    });
    const source = await openSources(typeof f.source === 'string' ? [f.source] : f.source, {
        token: f.fhirToken ?? io.env.FHIR_TOKEN,
        pageSize: cfg.fhirPageSize,
        retry: { retries: cfg.retries, baseMs: cfg.retryBaseMs, capMs: cfg.retryCapMs },
        timeoutMs: cfg.requestTimeoutMs
    });
    // default: every entity the sources provide (exit 2 when a requested one is not provided)
    const entities = await resolveEntities(source, cfg.entities as EntityName[] | undefined);
    const auth = await resolveAuth(
        { targetOrg: f.targetOrg, instanceUrl: f.instanceUrl, accessToken: f.accessToken },
        io.env
    );
    const client = new SfClient({
        instanceUrl: auth.instanceUrl,
        accessToken: auth.accessToken,
        refresh: auth.refresh,
        apiVersion: cfg.apiVersion,
        budget: new ApiBudget(cfg.apiBudgetShare),
        retry: { retries: cfg.retries, baseMs: cfg.retryBaseMs, capMs: cfg.retryCapMs },
        timeoutMs: cfg.requestTimeoutMs,
        logger
    });
    logger.info(
        {
            event: 'start',
            source: source.description,
            auth: auth.method,
            entities,
            dryRun: !!f.dryRun
        },
        'sync starting'
    );
    const report: Report = await runWithLease({
        source,
        client,
        config: cfg,
        mode: f.incremental ? 'incremental' : 'full',
        reconcile: !!f.reconcile,
        dryRun: !!f.dryRun,
        entities,
        logger,
        progress: f.json ? undefined : ttyProgress(io.stderr),
        runId: f.runId,
        signal: io.signal,
        // the subject hash key: environment first, then the config; never logged
        subjectHashKey: io.env.FSE_SUBJECT_HASH_KEY || undefined
    });
    if (f.report) {
        await mkdir(dirname(resolve(f.report)), { recursive: true });
        await writeFile(f.report, JSON.stringify(report, null, 2) + '\n');
    }
    if (f.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else io.stdout.write(formatReport(report) + '\n');
    logger.info(
        { event: 'finish', status: report.status, apiCalls: report.apiCalls },
        'sync finished'
    );
    return report.status === 'Succeeded' ? EXIT.OK : EXIT.PARTIAL;
}

function defaultConfigFile(flag: string | undefined): string | undefined {
    return flag ?? (existsSync('config/sync.config.json') ? 'config/sync.config.json' : undefined);
}

interface ScheduleFlags {
    source?: string[];
    targetOrg?: string;
    instanceUrl?: string;
    accessToken?: string;
    config?: string;
    fhirToken?: string;
    requests?: boolean;
}

async function scheduleCommand(f: ScheduleFlags, io: CliIo): Promise<number> {
    const base = await loadConfig(defaultConfigFile(f.config), f.config !== undefined);
    const specs = f.source?.length ? f.source : [base.source ?? []].flat();
    if (!specs.length)
        throw new ConfigError('No registry source: pass --source or set "source" in the config');
    // a daemon logs JSON lines, on a terminal too
    const logger = createLogger({
        destination: io.stderr,
        level: io.env.FSE_SYNC_LOG_LEVEL ?? 'info'
    });
    const auth = await resolveAuth(
        { targetOrg: f.targetOrg, instanceUrl: f.instanceUrl, accessToken: f.accessToken },
        io.env
    );
    return schedule(
        {
            config: base,
            auth,
            logger,
            signal: io.signal ?? new AbortController().signal,
            requests: f.requests === false ? false : undefined
        },
        // each run: the same rules as `fse-sync run --source ... --entities ...`
        async (entities) => {
            const config = effectiveConfig(base, { source: specs, entities: entities?.join(',') });
            const source = await openSources(specs, {
                token: f.fhirToken ?? io.env.FHIR_TOKEN,
                pageSize: config.fhirPageSize,
                retry: {
                    retries: config.retries,
                    baseMs: config.retryBaseMs,
                    capMs: config.retryCapMs
                },
                timeoutMs: config.requestTimeoutMs
            });
            const resolved = await resolveEntities(
                source,
                config.entities as EntityName[] | undefined
            );
            return { config, source, entities: resolved };
        }
    );
}

interface StatusFlags {
    targetOrg?: string;
    instanceUrl?: string;
    accessToken?: string;
    config?: string;
    json?: boolean;
    limit?: string;
}

async function statusCommand(f: StatusFlags, io: CliIo): Promise<number> {
    const cfg = await loadConfig(defaultConfigFile(f.config), f.config !== undefined);
    const limit = numberFlag(f.limit, '--limit') ?? 10;
    const auth = await resolveAuth(
        { targetOrg: f.targetOrg, instanceUrl: f.instanceUrl, accessToken: f.accessToken },
        io.env
    );
    const client = new SfClient({
        instanceUrl: auth.instanceUrl,
        accessToken: auth.accessToken,
        refresh: auth.refresh,
        apiVersion: cfg.apiVersion,
        budget: new ApiBudget(cfg.apiBudgetShare),
        retry: { retries: cfg.retries, baseMs: cfg.retryBaseMs, capMs: cfg.retryCapMs },
        timeoutMs: cfg.requestTimeoutMs
    });
    const runs = await readRunStatus(client, { limit, staleAfterMs: cfg.leaseStaleAfterMs });
    if (f.json) io.stdout.write(JSON.stringify({ runs }, null, 2) + '\n');
    else io.stdout.write(formatStatusTable(runs) + '\n');
    return EXIT.OK;
}

export function buildProgram(io: CliIo, done: (code: number) => void): Command {
    const program = new Command('fse-sync')
        .description('Keep the Salesforce org in step with the regional registry (FHIR R4)')
        .exitOverride()
        .configureOutput({
            writeOut: (s) => io.stdout.write(s),
            writeErr: (s) => io.stderr.write(s)
        });
    program
        .command('run')
        .description('extract, validate, map, diff and load the registry into the org')
        .requiredOption(
            '--source <source>',
            'ndjson:<dir> (FHIR Bulk Data export), fhir:<baseUrl> or content:<dir>; repeatable',
            (v: string, prev: string[] | undefined) => [...(prev ?? []), v]
        )
        .option('--target-org <alias|username>', 'org authorised with the sf CLI')
        .option('--instance-url <url>', 'org instance URL (or SF_INSTANCE_URL)')
        .option('--access-token <token>', 'access token (or SF_ACCESS_TOKEN)')
        .option(
            '--entities <list>',
            'comma-separated: organizations,professionals,consents,content (default: all the sources provide)'
        )
        .addOption(
            new Option(
                '--full',
                'full snapshot: also cease Active professionals absent from it (default)'
            ).conflicts('incremental')
        )
        .addOption(
            new Option('--incremental', 'only records updated since the last successful run')
        )
        .option(
            '--reconcile',
            'compare real field values instead of SyncHash__c (repairs edits made in the org)'
        )
        .option('--dry-run', 'read the org, write nothing, report what would be done')
        .option('--report <file>', 'write the JSON report to this file')
        .option('--config <file>', 'configuration file (default config/sync.config.json)')
        .option('--json', 'print the JSON report on stdout')
        .option('--fhir-token <token>', 'bearer token for a fhir: source (or FHIR_TOKEN)')
        .option(
            '--api-budget-share <share>',
            'share of the remaining daily API requests this run may use'
        )
        .option(
            '--bulk-threshold <n>',
            'records from which Bulk API 2.0 is used instead of sObject Collections'
        )
        .addOption(new Option('--run-id <uuid>').hideHelp())
        .action(async (flags: RunFlags) => {
            done(await run(flags, io));
        });
    program
        .command('schedule')
        .description(
            'long-running: run the configured jobs on their cron expressions and the runs requested in the org (SyncRequest__e); stops gracefully on SIGTERM'
        )
        .option(
            '--source <source>',
            'ndjson:<dir>, fhir:<baseUrl> or content:<dir>; repeatable (default: "source" in the config)',
            (v: string, prev: string[] | undefined) => [...(prev ?? []), v]
        )
        .option('--target-org <alias|username>', 'org authorised with the sf CLI')
        .option('--instance-url <url>', 'org instance URL (or SF_INSTANCE_URL)')
        .option('--access-token <token>', 'access token (or SF_ACCESS_TOKEN)')
        .option(
            '--config <file>',
            'configuration file with "jobs" (default config/sync.config.json)'
        )
        .option('--fhir-token <token>', 'bearer token for a fhir: source (or FHIR_TOKEN)')
        .option('--no-requests', 'do not listen for SyncRequest__e published in the org')
        .action(async (flags: ScheduleFlags) => {
            done(await scheduleCommand(flags, io));
        });
    program
        .command('status')
        .description('the last sync runs recorded in the org with their outcome')
        .option('--target-org <alias|username>', 'org authorised with the sf CLI')
        .option('--instance-url <url>', 'org instance URL (or SF_INSTANCE_URL)')
        .option('--access-token <token>', 'access token (or SF_ACCESS_TOKEN)')
        .option('--config <file>', 'configuration file (default config/sync.config.json)')
        .option('--limit <n>', 'how many runs (default 10, at most 200)')
        .option('--json', 'print JSON instead of a table')
        .action(async (flags: StatusFlags) => {
            done(await statusCommand(flags, io));
        });
    return program;
}

export async function main(
    argv: string[],
    io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }
): Promise<number> {
    let code: number = EXIT.OK;
    const program = buildProgram(io, (c) => (code = c));
    try {
        await program.parseAsync(argv, { from: 'user' });
        return code;
    } catch (err) {
        if (err instanceof CommanderError) {
            return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
        }
        if (err instanceof ConfigError) {
            io.stderr.write(`fse-sync: ${err.message}\n`);
            return EXIT.USAGE;
        }
        if (err instanceof LeaseConflictError) {
            io.stderr.write(`fse-sync: ${err.message}\n`);
            return EXIT.LOCKED;
        }
        io.stderr.write(
            `fse-sync: fatal: ${scrubText(describe(err) + ' ' + ((err as Error)?.message ?? ''))}\n`
        );
        return EXIT.FATAL;
    }
}
