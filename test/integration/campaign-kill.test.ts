// Never twice (docs/campaigns.md): a campaign send killed with SIGKILL in the middle of sending,
// then run again. The SMTP server counts what every recipient received: nobody gets the message
// twice. On the same machine the rerun reads the dead run's local journal: what it sent is
// confirmed, what it claimed but never attempted is sent now, and only what was in flight when it
// died is left "unknown" (at most the channel's concurrency). Without the journal (a rerun on
// another machine) every claim of the dead run is unknown — still never sent twice.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
    campaignConfig,
    campaignWorld,
    SUBJECT_KEY,
    type CampaignWorld
} from './campaign-fixture.ts';
import { startSmtpSink, type SmtpSink } from './campaign-peers.ts';
import { campaignCli } from './campaign-run.ts';

jest.setTimeout(240_000);

const LEASE = { leaseStaleAfterMs: 2000, heartbeatMs: 500 };
const SETTINGS = { claimBatchSize: 25 };

async function killMidway(
    world: CampaignWorld,
    smtp: SmtpSink,
    config: string,
    after: number
): Promise<void> {
    const child = spawn(
        process.execPath,
        [
            join(__dirname, '../../sync-worker/bin/fse-sync.js'),
            'campaign',
            'send',
            '--campaign',
            world.campaignId,
            '--config',
            config,
            '--instance-url',
            world.em.instanceUrl,
            '--access-token',
            world.em.accessToken
        ],
        { stdio: 'ignore', env: { ...process.env, FSE_SUBJECT_HASH_KEY: SUBJECT_KEY } }
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while (smtp.received < after && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    // the dead run's lease goes stale (no heartbeat), so the rerun can take it over
    await new Promise((r) => setTimeout(r, LEASE.leaseStaleAfterMs + 500));
}

function expectNobodyTwice(smtp: SmtpSink): void {
    const twice = [...smtp.perRecipient.values()].filter((n) => n > 1);
    expect(twice).toEqual([]);
    expect(smtp.errors).toEqual([]);
}

describe('campaign send: SIGKILL mid-campaign, then rerun', () => {
    let world: CampaignWorld;
    let smtp: SmtpSink;

    beforeEach(async () => {
        world = await campaignWorld({ professionals: 500, members: 300 });
        smtp = await startSmtpSink({ delayMs: 15, keep: false });
    });
    afterEach(async () => {
        await smtp.close();
        await world.cleanup();
    });

    it('with the local journal: the sent are confirmed, the never attempted sent now, at most the in-flight unknown', async () => {
        const config = await campaignConfig(world, { smtpPort: smtp.port }, LEASE, SETTINGS);
        await killMidway(world, smtp, config, 80);
        const received = smtp.received;
        expect(received).toBeGreaterThanOrEqual(80);
        const claims = world.em.records('SendLog__c');
        expect(claims.filter((l) => l.Status__c === 'Sending').length).toBeGreaterThan(0);

        const rerun = await campaignCli(world.em, [
            'send',
            '--campaign',
            world.campaignId,
            '--config',
            config
        ]);
        const r = rerun.report!;
        expect(rerun.stderr).toBe('');
        expect(r.warnings.join(' ')).toMatch(/took over the stale lease of run/);
        expectNobodyTwice(smtp);
        // in flight when killed: the channel's concurrency (5) at most
        expect(r.counts.unknown).toBeLessThanOrEqual(5);
        expect(
            r.recovered.sent + r.recovered.retried + r.recovered.unknown + r.recovered.failed
        ).toBeGreaterThan(0);
        const eligible = r.counts.members - r.counts.skipped;
        expect(r.counts.sent + r.counts.alreadySent + r.counts.unknown).toBe(eligible);
        // every eligible member got the message once, except the unknown ones (who may have)
        expect(smtp.received).toBeGreaterThanOrEqual(eligible - r.counts.unknown);
        expect(smtp.received).toBeLessThanOrEqual(eligible);
        const logs = world.em.records('SendLog__c');
        expect(logs.filter((l) => l.Status__c === 'Sending')).toHaveLength(0);
        expect(logs.filter((l) => l.Status__c === 'Sent').length).toBe(
            r.counts.sent + r.counts.alreadySent
        );
        process.stdout.write(
            `SIGKILL test (journal): ${received} received before the kill; rerun: sent ${r.counts.sent}, confirmed ${r.recovered.sent}, never attempted and sent now ${r.recovered.retried}, unknown ${r.counts.unknown}; ${smtp.received} messages for ${eligible} eligible members, nobody twice\n`
        );
    });

    it('without the journal (a rerun elsewhere): every claim of the dead run is unknown, still nobody twice', async () => {
        const config = await campaignConfig(world, { smtpPort: smtp.port }, LEASE, SETTINGS);
        await killMidway(world, smtp, config, 80);
        await rm(join(world.root, 'state'), { recursive: true, force: true });
        const rerun = await campaignCli(world.em, [
            'send',
            '--campaign',
            world.campaignId,
            '--config',
            config
        ]);
        const r = rerun.report!;
        expectNobodyTwice(smtp);
        expect(rerun.code).toBe(3);
        expect(r.counts.unknown).toBe(r.recovered.unknown);
        // the unknown are the dead run's claims not confirmed: at most one claim batch
        expect(r.counts.unknown).toBeLessThanOrEqual(SETTINGS.claimBatchSize);
        const eligible = r.counts.members - r.counts.skipped;
        expect(r.counts.sent + r.counts.alreadySent + r.counts.unknown).toBe(eligible);
        process.stdout.write(
            `SIGKILL test (no journal): rerun sent ${r.counts.sent}, already sent ${r.counts.alreadySent}, unknown ${r.counts.unknown}; nobody twice\n`
        );
    });
});
