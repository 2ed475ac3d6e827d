// `fse-sync campaign send`: one campaign on one channel (docs/campaigns.md), under the lease; the
// report on stdout (JSON or a summary) and in --report. `fse-sync campaign bounces`: delivery
// status notifications (RFC 3464) from a folder, each bounced send marked in the org.
// Exit codes as the sync's: 0 every eligible member has the message; 3 some failed, have an
// unknown outcome or are left for the next run; 5 the channel refused most sends (stopped early);
// 2 usage, configuration or template error (nothing sent); 4 another send of the campaign holds
// the lease; 1 fatal (the relay unreachable before anything was sent, the org unreachable).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ConfigError } from '../../config/errors.ts';
import { resolveAuth } from '../../salesforce/auth.ts';
import { clientFor } from '../../salesforce/http.ts';
import { configFrom, effectiveConfig, loggerFor, type CliIo } from '../options.ts';
import { ttyCountProgress } from '../progress.ts';
import { authOptions, type AuthFlags } from './auth-flags.ts';
import { bouncesCommand } from './bounces.ts';

interface SendFlags extends AuthFlags {
    campaign: string;
    channel?: string;
    dryRun?: boolean;
    resendUnknown?: boolean;
    retryFailed?: boolean;
    report?: string;
    config?: string;
    json?: boolean;
    apiBudgetShare?: string;
    runId?: string;
}

async function send(flags: SendFlags, io: CliIo): Promise<number> {
    // the campaign modules (mail, templates, HTML) only for this command: a sync run does not load
    // them (issue 22: start-up CPU)
    const { runCampaignWithLease } = await import('../../ops/campaign-with-lease.ts');
    const { campaignExitCode, formatCampaignReport } = await import('../../campaigns/report.ts');
    if (flags.channel && !['email', 'sms', 'push'].includes(flags.channel))
        throw new ConfigError(`--channel must be email, sms or push (calls stay with the agents)`);
    const config = effectiveConfig(await configFrom(flags.config), flags);
    const logger = loggerFor(io, io.stderr.isTTY ? 'warn' : 'info');
    const auth = await resolveAuth(flags, io.env);
    const client = clientFor(config, auth, logger);
    logger.info(
        { event: 'campaign-start', channel: flags.channel ?? 'campaign', dryRun: !!flags.dryRun },
        'campaign send starting'
    );
    const report = await runCampaignWithLease({
        client,
        config,
        campaign: flags.campaign,
        channel: flags.channel,
        dryRun: !!flags.dryRun,
        resendUnknown: !!flags.resendUnknown,
        retryFailed: !!flags.retryFailed,
        logger,
        env: io.env,
        signal: io.signal,
        progress: flags.json ? undefined : ttyCountProgress(io.stderr),
        runId: flags.runId
    });
    if (flags.report) {
        await mkdir(dirname(resolve(flags.report)), { recursive: true });
        await writeFile(flags.report, JSON.stringify(report, null, 2) + '\n');
    }
    io.stdout.write(
        (flags.json ? JSON.stringify(report, null, 2) : formatCampaignReport(report)) + '\n'
    );
    logger.info(
        {
            event: 'campaign-finish',
            status: report.status,
            sent: report.counts.sent,
            apiCalls: report.apiCalls
        },
        'campaign send finished'
    );
    return campaignExitCode(report);
}

export function campaignCommand(program: Command, io: CliIo, done: (code: number) => void): void {
    const campaign = program
        .command('campaign')
        .description('outbound campaigns: e-mail, SMS and push (docs/campaigns.md)');
    const sendCommand = campaign
        .command('send')
        .description(
            'send a campaign to its members on one channel, consent checked at send time, never twice'
        )
        .requiredOption('--campaign <id|name>', 'the campaign (Id or exact name)')
        .addOption(
            new Option(
                '--channel <channel>',
                "email, sms or push (default: the campaign's Canale)"
            ).choices(['email', 'sms', 'push'])
        );
    authOptions(sendCommand)
        .option(
            '--dry-run',
            'read the org and decide, send and write nothing; report what would be sent'
        )
        .option(
            '--resend-unknown',
            'send again to members whose outcome is unknown (after checking they did not receive it)'
        )
        .option(
            '--retry-failed',
            'send again to members a permanent failure left out (after fixing the cause)'
        )
        .option('--report <file>', 'write the JSON report to this file')
        .option('--config <file>', 'configuration file (default config/sync.config.json)')
        .option('--json', 'print the JSON report on stdout')
        .option(
            '--api-budget-share <share>',
            'share of the remaining daily API requests this run may use'
        )
        .addOption(new Option('--run-id <uuid>').hideHelp())
        .action(async (flags: SendFlags) => done(await send(flags, io)));
    bouncesCommand(campaign, io, done);
}
