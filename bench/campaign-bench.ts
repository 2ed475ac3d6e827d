// npm run bench:campaign -- [--members 95000] [--professionals 100000] [--rate 100000]
//   [--concurrency 10] [--connections 10] [--work .tmp/bench-campaign]
//
// One e-mail campaign to `members` professionals, end to end on this machine: the org emulator
// (in this process) holding a registry synced by the worker itself, a campaign with the Italian
// test template, its members, an OptIn e-mail consent for every member (so every member is sent
// to: the benchmark measures sending, not skipping); a local SMTP sink (smtp-server, in this
// process, messages counted, not kept). The worker runs as its own process under GNU time
// (`fse-sync campaign send --json`): wall and CPU time, peak RSS of the worker alone, its API
// calls (emulator's counter and the report's), messages per second, and the checks that every
// member received exactly one message and that the org's counts match. Prints a Markdown
// section for docs/benchmarks.md (hand-written part) and writes the JSON next to it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import {
    campaignConfig,
    campaignWorld,
    api,
    createAll,
    SUBJECT_KEY
} from '../test/integration/campaign-fixture.ts';
import { startSmtpSink } from '../test/integration/campaign-peers.ts';
import { hasGnuTime, measure } from './measure.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
    options: {
        members: { type: 'string', default: '95000' },
        professionals: { type: 'string', default: '100000' },
        rate: { type: 'string', default: '100000' },
        concurrency: { type: 'string', default: '10' },
        connections: { type: 'string', default: '10' },
        work: { type: 'string', default: '.tmp/bench-campaign' },
        out: { type: 'string', default: 'docs/benchmarks-campaign.json' }
    }
});
const MEMBERS = Number(opt.members);
const work = resolve(ROOT, opt.work!);
mkdirSync(work, { recursive: true });
if (!hasGnuTime()) throw new Error('bench:campaign needs GNU time (/usr/bin/time)');

const log = (s: string) => process.stderr.write(`bench:campaign: ${s}\n`);
const t0 = performance.now();
log(`preparing: ${opt.professionals} professionals synced into the emulator`);
const world = await campaignWorld({
    professionals: Number(opt.professionals),
    members: 0,
    bulkStepMs: 1
});
const em = world.em;
const contacts = em
    .records('Contact')
    .filter((c) => c.IndividualId && c.Email && c.RegistryStatus__c !== 'Ceased')
    .slice(0, MEMBERS);
log(
    `synced in ${((performance.now() - t0) / 1000).toFixed(1)} s; adding ${contacts.length} members`
);
// the emulator closes idle keep-alive connections after 5 s: a GET (safe to repeat) first, so a
// stale pooled socket is not met by the first POST
await api(em, 'GET', '/limits').catch(() => api(em, 'GET', '/limits'));
if (contacts.length < MEMBERS)
    throw new Error(`only ${contacts.length} active professionals with an e-mail`);
await createAll(
    em,
    'CampaignMember',
    contacts.map((c) => ({ CampaignId: world.campaignId, ContactId: c.Id }))
);
log(`members added at ${((performance.now() - t0) / 1000).toFixed(1)} s; adding their consents`);
// an OptIn for formazione × email, captured now, for every member (through the API, as the
// portal would write them; not counted in the send's API calls)
const purposeId = em.records('DataUsePurpose').find((p) => p.PurposeCode__c === 'formazione')!.Id;
const channelId = em.records('EngagementChannelType').find((c) => c.ChannelCode__c === 'email')!.Id;
const now = new Date().toISOString();
await createAll(
    em,
    'ContactPointTypeConsent',
    contacts.map((c) => ({
        Name: 'Formazione - E-mail (benchmark)',
        PartyId: c.IndividualId,
        DataUsePurposeId: purposeId,
        EngagementChannelTypeId: channelId,
        PrivacyConsentStatus: 'OptIn',
        CaptureDate: now,
        CaptureSource: 'Benchmark',
        EffectiveFrom: now
    }))
);
const smtp = await startSmtpSink({ keep: false });
const config = await campaignConfig(
    world,
    { smtpPort: smtp.port },
    {},
    {
        claimBatchSize: 200,
        progressEveryMs: 15_000,
        email: {
            host: '127.0.0.1',
            port: smtp.port,
            from: 'FSE 2.0 <noreply@fse-engage.example.org>',
            returnPath: 'bounces@fse-engage.example.org',
            ratePerMinute: Number(opt.rate),
            concurrency: Number(opt.concurrency),
            maxConnections: Number(opt.connections),
            dailyCap: 1_000_000,
            quietHours: null
        }
    }
);
const prepareS = (performance.now() - t0) / 1000;
log(`prepared in ${prepareS.toFixed(1)} s: ${contacts.length} members; sending`);

const apiBefore = em.stats().apiUsage.used;
const m = await measure(
    process.execPath,
    [
        join(ROOT, 'sync-worker/bin/fse-sync.js'),
        'campaign',
        'send',
        '--campaign',
        world.campaignId,
        '--config',
        config,
        '--instance-url',
        em.instanceUrl,
        '--access-token',
        em.accessToken,
        '--json'
    ],
    {
        env: { ...process.env, FSE_SUBJECT_HASH_KEY: SUBJECT_KEY, FSE_SYNC_LOG_LEVEL: 'warn' },
        stderrLog: join(work, 'worker.stderr.log'),
        timeFile: join(work, 'time.txt')
    }
);
const apiCalls = em.stats().apiUsage.used - apiBefore;
const report = JSON.parse(m.stdout) as {
    status: string;
    apiCalls: number;
    counts: { sent: number; skipped: number; failed: number; unknown: number; members: number };
};
const twice = [...smtp.perRecipient.values()].filter((n) => n > 1).length;
const campaign = em.records('Campaign').find((c) => c.Id === world.campaignId)!;
const membersSent = em.records('CampaignMember').filter((x) => x.SendStatus__c === 'Sent').length;
const logsSent = em.records('SendLog__c').filter((x) => x.Status__c === 'Sent').length;
const checks = {
    exitCode: m.code,
    received: smtp.received,
    recipientsTwice: twice,
    campaignSendSent: campaign.SendSent__c,
    membersSent,
    sendLogsSent: logsSent
};
const ok =
    m.code === 0 &&
    smtp.received === MEMBERS &&
    twice === 0 &&
    report.counts.sent === MEMBERS &&
    campaign.SendSent__c === MEMBERS &&
    membersSent === MEMBERS &&
    logsSent === MEMBERS;
await smtp.close();
await world.cleanup();

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
    .toString()
    .trim();
const result = {
    commit,
    at: new Date().toISOString(),
    members: MEMBERS,
    config: {
        ratePerMinute: Number(opt.rate),
        concurrency: Number(opt.concurrency),
        maxConnections: Number(opt.connections),
        claimBatchSize: 200
    },
    prepareS: Math.round(prepareS * 10) / 10,
    wallS: Math.round(m.wallMs / 100) / 10,
    cpuS: Math.round(m.cpuMs / 100) / 10,
    peakRssMb: Math.round(m.peakRssMb),
    messagesPerSecond: Math.round(report.counts.sent / (m.wallMs / 1000)),
    apiCalls,
    apiCallsReported: report.apiCalls,
    counts: report.counts,
    skipGroups: (report as { skipGroups?: unknown }).skipGroups,
    checks,
    ok
};
writeFileSync(resolve(ROOT, opt.out!), JSON.stringify(result, null, 2) + '\n');
const n = (x: number) => x.toLocaleString('en');
process.stdout.write(
    [
        `| Members | Sent | Wall s | CPU s | Peak RSS MB | Messages/s | API calls | Checks |`,
        `| ------: | ---: | -----: | ----: | ----------: | ---------: | --------: | ------ |`,
        `| ${n(MEMBERS)} | ${n(report.counts.sent)} | ${result.wallS} | ${result.cpuS} | ${n(result.peakRssMb)} | ${n(result.messagesPerSecond)} | ${apiCalls} | ${ok ? 'every member received exactly one message; org counts match' : 'FAILED: ' + JSON.stringify(checks)} |`,
        ''
    ].join('\n')
);
if (!ok) process.exitCode = 1;
