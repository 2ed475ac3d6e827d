// `fse-sync run`: one sync (full, incremental, reconcile, dry run) under the lease; the report
// on stdout (JSON or a summary) and in --report; exit 0 when every valid record is in the org.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ConfigError } from '../../config/errors.ts';
import { resolveEntities } from '../../entities/registry.ts';
import type { EntityName } from '../../entities/types.ts';
import { runWithLease } from '../../ops/run-with-lease.ts';
import { formatReport } from '../../pipeline/report.ts';
import { exitCodeOf } from '../../pipeline/run-health.ts';
import { resolveAuth } from '../../salesforce/auth.ts';
import { clientFor } from '../../salesforce/http.ts';
import { cpuMs } from '../../util/cpu.ts';
import { configFrom, effectiveConfig, loggerFor, sourcesFrom, type CliIo } from '../options.ts';
import { ttyProgress } from '../progress.ts';
import { authOptions, type AuthFlags } from './auth-flags.ts';

interface RunFlags extends AuthFlags {
    /** repeatable: one registry source (ndjson:/fhir:) and/or one content: source */
    source: string[];
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

async function run(flags: RunFlags, io: CliIo): Promise<number> {
    if (flags.full && flags.incremental)
        throw new ConfigError('--full and --incremental are mutually exclusive');
    const config = effectiveConfig(await configFrom(flags.config), flags);
    const logger = loggerFor(io, io.stderr.isTTY ? 'warn' : 'info');
    const source = await sourcesFrom(flags.source, config, flags.fhirToken ?? io.env.FHIR_TOKEN);
    // default: every entity the sources provide (exit 2 when a requested one is not provided)
    const entities = await resolveEntities(source, config.entities as EntityName[] | undefined);
    const auth = await resolveAuth(flags, io.env);
    const client = clientFor(config, auth, logger);
    logger.info(
        {
            event: 'start',
            source: source.description,
            auth: auth.method,
            entities,
            dryRun: !!flags.dryRun,
            // CPU so far: start-up (modules, configuration, authentication)
            cpuMs: cpuMs()
        },
        'sync starting'
    );
    const report = await runWithLease({
        source,
        client,
        config,
        mode: flags.incremental ? 'incremental' : 'full',
        reconcile: !!flags.reconcile,
        dryRun: !!flags.dryRun,
        entities,
        logger,
        progress: flags.json ? undefined : ttyProgress(io.stderr),
        runId: flags.runId,
        signal: io.signal,
        // the subject hash key: environment first, then the config; never logged
        subjectHashKey: io.env.FSE_SUBJECT_HASH_KEY || undefined
    });
    if (flags.report) {
        await mkdir(dirname(resolve(flags.report)), { recursive: true });
        await writeFile(flags.report, JSON.stringify(report, null, 2) + '\n');
    }
    if (flags.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else io.stdout.write(formatReport(report) + '\n');
    logger.info(
        { event: 'finish', status: report.status, apiCalls: report.apiCalls, cpuMs: cpuMs() },
        'sync finished'
    );
    if (!report.health.ok)
        logger.warn({ event: 'unhealthy', headline: report.headline }, 'run unhealthy');
    return exitCodeOf(report);
}

export function runCommand(program: Command, io: CliIo, done: (code: number) => void): void {
    const command = program
        .command('run')
        .description('extract, validate, map, diff and load the registry into the org')
        .requiredOption(
            '--source <source>',
            'ndjson:<dir> (FHIR Bulk Data export), fhir:<baseUrl> or content:<dir>; repeatable',
            (v: string, prev: string[] | undefined) => [...(prev ?? []), v]
        );
    authOptions(command)
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
        .action(async (flags: RunFlags) => done(await run(flags, io)));
}
