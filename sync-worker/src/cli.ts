// fse-sync command line (commander). Exit codes: 0 every valid record is in the org; 3 the run
// finished but some valid records failed to load (or the API budget stopped it); 2 usage or
// configuration error (nothing written); 1 fatal.
import { writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ApiBudget } from './budget.ts';
import { ConfigError, loadConfig, parseConfig, type SyncConfig } from './config.ts';
import { resolveAuth } from './auth.ts';
import { runSync, type Progress } from './engine.ts';
import { createLogger, type Logger } from './log.ts';
import { formatReport, type Report } from './report.ts';
import { SfClient, describe } from './sf/client.ts';
import { scrubText } from './mask.ts';
import { openSource } from './sources/index.ts';
import type { EntityName } from './entities.ts';

export const EXIT = { OK: 0, FATAL: 1, USAGE: 2, PARTIAL: 3 } as const;

export interface CliIo {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    env: NodeJS.ProcessEnv;
}

interface RunFlags {
    source: string;
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
    const source = await openSource(f.source, {
        token: f.fhirToken ?? io.env.FHIR_TOKEN,
        pageSize: cfg.fhirPageSize,
        retry: { retries: cfg.retries, baseMs: cfg.retryBaseMs, capMs: cfg.retryCapMs },
        timeoutMs: cfg.requestTimeoutMs
    });
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
            entities: cfg.entities,
            dryRun: !!f.dryRun
        },
        'sync starting'
    );
    const report: Report = await runSync({
        source,
        client,
        config: cfg,
        mode: f.incremental ? 'incremental' : 'full',
        reconcile: !!f.reconcile,
        dryRun: !!f.dryRun,
        entities: cfg.entities as EntityName[],
        logger,
        progress: f.json ? undefined : ttyProgress(io.stderr),
        runId: f.runId
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
            'ndjson:<dir> (FHIR Bulk Data export) or fhir:<baseUrl>'
        )
        .option('--target-org <alias|username>', 'org authorised with the sf CLI')
        .option('--instance-url <url>', 'org instance URL (or SF_INSTANCE_URL)')
        .option('--access-token <token>', 'access token (or SF_ACCESS_TOKEN)')
        .option('--entities <list>', 'comma-separated: organizations,professionals')
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
        io.stderr.write(
            `fse-sync: fatal: ${scrubText(describe(err) + ' ' + ((err as Error)?.message ?? ''))}\n`
        );
        return EXIT.FATAL;
    }
}
