// What the commands share: the configuration file and the flags on top of it, the sources
// opened from `--source`, the log.
import { existsSync } from 'node:fs';
import { ConfigError } from '../config/errors.ts';
import { loadConfig } from '../config/load.ts';
import { parseConfig, retryOptions, type SyncConfig } from '../config/schema.ts';
import { EXIT_CODES } from '../pipeline/run-health.ts';
import { openSources } from '../sources/composite.ts';
import type { RegistrySource } from '../sources/types.ts';
import { createLogger, type Logger } from '../util/log.ts';

/** Exit codes (docs/sync-worker.md, "Exit codes"): 5 = the run is above a health threshold. */
export const EXIT = EXIT_CODES;

export interface CliIo {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    env: NodeJS.ProcessEnv;
    /** aborted on SIGTERM/SIGINT (bin/fse-sync.js): runs stop between steps */
    signal?: AbortSignal;
}

/** The flags that change a run's configuration. */
export interface ConfigFlags {
    entities?: string;
    apiBudgetShare?: string;
    bulkThreshold?: string;
}

export function numberFlag(value: string | undefined, name: string): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number`);
    return n;
}

export function effectiveConfig(base: SyncConfig, flags: ConfigFlags): SyncConfig {
    const entities = flags.entities
        ? flags.entities
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
        : base.entities;
    return parseConfig(
        {
            ...base,
            entities,
            ...(flags.apiBudgetShare !== undefined
                ? { apiBudgetShare: numberFlag(flags.apiBudgetShare, '--api-budget-share') }
                : {}),
            ...(flags.bulkThreshold !== undefined
                ? { bulkThreshold: numberFlag(flags.bulkThreshold, '--bulk-threshold') }
                : {})
        },
        'options'
    );
}

/** `--config FILE` (must exist), else config/sync.config.json when present, else defaults. */
export async function configFrom(flag: string | undefined): Promise<SyncConfig> {
    const file =
        flag ?? (existsSync('config/sync.config.json') ? 'config/sync.config.json' : undefined);
    return loadConfig(file, flag !== undefined);
}

/** The `--source` values opened with the configuration's FHIR settings. */
export function sourcesFrom(
    specs: readonly string[],
    config: SyncConfig,
    fhirToken: string | undefined
): Promise<RegistrySource> {
    return openSources(specs, {
        token: fhirToken,
        pageSize: config.fhirPageSize,
        retry: retryOptions(config),
        timeoutMs: config.requestTimeoutMs
    });
}

/** JSON lines on stderr (a terminal gets warnings only unless `level` says otherwise). */
export function loggerFor(io: CliIo, level: string): Logger {
    return createLogger({
        destination: io.stderr,
        level: io.env.FSE_SYNC_LOG_LEVEL ?? level
    });
}
