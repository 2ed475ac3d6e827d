// `fse-sync campaign bounces --from DIR`: delivery status notifications (RFC 3464) from a folder.
import type { Command } from 'commander';
import { resolveAuth } from '../../salesforce/auth.ts';
import { clientFor } from '../../salesforce/http.ts';
import { configFrom, loggerFor, type CliIo } from '../options.ts';
import { authOptions, type AuthFlags } from './auth-flags.ts';

interface BounceFlags extends AuthFlags {
    from: string;
    keep?: boolean;
    config?: string;
    json?: boolean;
}

async function bounces(flags: BounceFlags, io: CliIo): Promise<number> {
    // loaded only for this command (mailparser): see send in campaign.ts
    const { processBounces } = await import('../../campaigns/bounces.ts');
    const config = await configFrom(flags.config);
    const logger = loggerFor(io, io.stderr.isTTY ? 'warn' : 'info');
    const client = clientFor(config, await resolveAuth(flags, io.env), logger);
    const report = await processBounces(client, flags.from, { keep: flags.keep });
    io.stdout.write(
        (flags.json
            ? JSON.stringify(report, null, 2)
            : [report.headline, ...report.warnings.map((w) => `  warning: ${w}`)].join('\n')) + '\n'
    );
    return report.warnings.length ? 3 : 0;
}

export function bouncesCommand(campaign: Command, io: CliIo, done: (code: number) => void): void {
    const command = campaign
        .command('bounces')
        .description('record the delivery status notifications (RFC 3464) in a folder as bounces')
        .requiredOption(
            '--from <dir>',
            'folder of notices, one message a file (handled ones move to <dir>/processed)'
        );
    authOptions(command)
        .option('--keep', 'leave the handled files where they are')
        .option('--config <file>', 'configuration file (default config/sync.config.json)')
        .option('--json', 'print the JSON report on stdout')
        .action(async (flags: BounceFlags) => done(await bounces(flags, io)));
}
