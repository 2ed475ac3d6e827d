// `fse-sync schedule`: the long-running scheduler (cron jobs from the configuration and runs
// requested in the org); each run follows the same rules as `fse-sync run`, each campaign send
// (campaignJobs, CampaignSendRequest__e) those of `fse-sync campaign send`.
import type { Command } from 'commander';
import { ConfigError } from '../../config/errors.ts';
import { resolveEntities } from '../../entities/registry.ts';
import type { EntityName } from '../../entities/types.ts';
import { resolveAuth } from '../../salesforce/auth.ts';
import { configFrom, effectiveConfig, loggerFor, sourcesFrom, type CliIo } from '../options.ts';
import { authOptions, type AuthFlags } from './auth-flags.ts';

interface ScheduleFlags extends AuthFlags {
    source?: string[];
    config?: string;
    fhirToken?: string;
    requests?: boolean;
}

async function scheduleRuns(flags: ScheduleFlags, io: CliIo): Promise<number> {
    const base = await configFrom(flags.config);
    const specs = flags.source?.length ? flags.source : [base.source ?? []].flat();
    if (!specs.length)
        throw new ConfigError('No registry source: pass --source or set "source" in the config');
    // a daemon logs JSON lines, on a terminal too
    const logger = loggerFor(io, 'info');
    const auth = await resolveAuth(flags, io.env);
    // the scheduler (and the campaign modules it runs) only for this command: a single run does
    // not load them (issue 22: start-up CPU)
    const { schedule } = await import('../../ops/scheduler.ts');
    return schedule(
        {
            config: base,
            auth,
            logger,
            signal: io.signal ?? new AbortController().signal,
            env: io.env,
            requests: flags.requests === false ? false : undefined
        },
        // each run: the same rules as `fse-sync run --source ... --entities ...`
        async (entities) => {
            const config = effectiveConfig(base, { entities: entities?.join(',') });
            const source = await sourcesFrom(specs, config, flags.fhirToken ?? io.env.FHIR_TOKEN);
            const resolved = await resolveEntities(
                source,
                config.entities as EntityName[] | undefined
            );
            return { config, source, entities: resolved };
        }
    );
}

export function scheduleCommand(program: Command, io: CliIo, done: (code: number) => void): void {
    const command = program
        .command('schedule')
        .description(
            'long-running: run the configured jobs and campaign sends on their cron expressions and the runs requested in the org (SyncRequest__e, CampaignSendRequest__e); stops gracefully on SIGTERM'
        )
        .option(
            '--source <source>',
            'ndjson:<dir>, fhir:<baseUrl> or content:<dir>; repeatable (default: "source" in the config)',
            (v: string, prev: string[] | undefined) => [...(prev ?? []), v]
        );
    authOptions(command)
        .option(
            '--config <file>',
            'configuration file with "jobs" (default config/sync.config.json)'
        )
        .option('--fhir-token <token>', 'bearer token for a fhir: source (or FHIR_TOKEN)')
        .option(
            '--no-requests',
            'do not listen for SyncRequest__e or CampaignSendRequest__e published in the org'
        )
        .action(async (flags: ScheduleFlags) => done(await scheduleRuns(flags, io)));
}
