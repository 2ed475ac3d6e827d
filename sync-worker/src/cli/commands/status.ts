// `fse-sync status`: the last runs recorded in the org, as a table or JSON.
import type { Command } from 'commander';
import { formatStatusTable, readRunStatus } from '../../ops/status.ts';
import { resolveAuth } from '../../salesforce/auth.ts';
import { clientFor } from '../../salesforce/http.ts';
import { configFrom, EXIT, numberFlag, type CliIo } from '../options.ts';
import { authOptions, type AuthFlags } from './auth-flags.ts';

interface StatusFlags extends AuthFlags {
    config?: string;
    json?: boolean;
    limit?: string;
}

async function showStatus(flags: StatusFlags, io: CliIo): Promise<number> {
    const config = await configFrom(flags.config);
    const limit = numberFlag(flags.limit, '--limit') ?? 10;
    const auth = await resolveAuth(flags, io.env);
    const client = clientFor(config, auth);
    const runs = await readRunStatus(client, { limit, staleAfterMs: config.leaseStaleAfterMs });
    if (flags.json) io.stdout.write(JSON.stringify({ runs }, null, 2) + '\n');
    else io.stdout.write(formatStatusTable(runs) + '\n');
    return EXIT.OK;
}

export function statusCommand(program: Command, io: CliIo, done: (code: number) => void): void {
    const command = program
        .command('status')
        .description('the last sync runs recorded in the org with their outcome');
    authOptions(command)
        .option('--config <file>', 'configuration file (default config/sync.config.json)')
        .option('--limit <n>', 'how many runs (default 10, at most 200)')
        .option('--json', 'print JSON instead of a table')
        .action(async (flags: StatusFlags) => done(await showStatus(flags, io)));
}
