// What a campaign send does when things go wrong, each the way a real peer or a person makes it
// go wrong: a relay that refuses for now (retried) or for good (reported), a relay that takes a
// message and drops the line before answering (unknown: never sent twice), a relay refusing
// everything (stopped early, exit 5), a template with a forbidden merge field (exit 2, nothing
// claimed), a dry run (nothing written), a second send of the same campaign while one runs
// (exit 4), and delivery status notifications processed into bounces.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api, campaignConfig, campaignWorld, type CampaignWorld } from './campaign-fixture.ts';
import { startSmtpSink, type SmtpSink } from './campaign-peers.ts';
import { campaignCli } from './campaign-run.ts';
import type { BounceReport } from '../../sync-worker/src/campaigns/bounces.ts';
import { Lease } from '../../sync-worker/src/ops/lease.ts';
import { clientOf } from './helpers.ts';
import { parseConfig } from '../../sync-worker/src/config/schema.ts';

jest.setTimeout(180_000);

describe('campaign send: faults', () => {
    let world: CampaignWorld;
    let smtp: SmtpSink;
    let emails: Map<string, string>;

    beforeEach(async () => {
        world = await campaignWorld({ professionals: 120, members: 40 });
        smtp = await startSmtpSink();
        const contacts = new Map(world.em.records('Contact').map((c) => [c.Id as string, c]));
        emails = new Map(
            world.memberIds.map((m, i) => [
                m,
                String(contacts.get(world.contactIds[i])!.Email).toLowerCase()
            ])
        );
    });
    afterEach(async () => {
        await smtp.close();
        await world.cleanup();
    });

    const send = async (extra: string[] = [], campaigns: Record<string, unknown> = {}) =>
        campaignCli(world.em, [
            'send',
            '--campaign',
            world.campaignId,
            '--config',
            await campaignConfig(world, { smtpPort: smtp.port }, {}, campaigns),
            ...extra
        ]);

    it('a 451 is retried with backoff and the message goes out once; a 550 fails that member only, with its reason', async () => {
        let bad = '';
        smtp.behaviour.tempFailFirst = 3;
        smtp.behaviour.rejectRecipient = (a) => {
            bad ||= a; // the first address the relay sees has no mailbox
            return a === bad ? [550, '5.1.1 User unknown'] : undefined;
        };
        const run = await send();
        const r = run.report!;
        const badMember = [...emails].find(([, e]) => e === bad)![0];
        expect(run.code).toBe(3);
        expect(r.counts.failed).toBe(1);
        expect(r.failureGroups[0]).toEqual(
            expect.objectContaining({ code: 'SMTP_550', count: 1, examples: [badMember] })
        );
        expect(r.failureGroups[0].cause).not.toContain('@');
        expect(smtp.received).toBe(r.counts.sent);
        for (const n of smtp.perRecipient.values()) expect(n).toBe(1);
        const member = world.em.records('CampaignMember').find((m) => m.Id === badMember)!;
        expect(member.SendStatus__c).toBe('Failed');
        expect(String(member.SendReason__c)).toMatch(
            /^SMTP_550: the relay refused it: 550 5\.1\.1 User unknown/
        );
        // a permanent failure is not retried by the next run, unless asked
        const again = await send();
        expect(again.report!.counts.sent).toBe(0);
        expect(smtp.perRecipient.get(bad)).toBeUndefined();
        smtp.behaviour.rejectRecipient = undefined;
        const retried = await send(['--retry-failed']);
        expect(retried.report!.counts.sent).toBe(1);
        expect(smtp.perRecipient.get(bad)).toBe(1);
        expect(
            world.em
                .records('SendLog__c')
                .filter((l) => l.CampaignMemberId__c === badMember)
                .map((l) => l.Status__c)
                .sort()
        ).toEqual(['Sent', 'Superseded']);
    });

    it('a message the relay took without answering is unknown: reported, never sent again unless an admin asks', async () => {
        const lost = emails.get(world.memberIds[2])!;
        smtp.behaviour.dropAfterData = (a) => a === lost;
        const run = await send();
        expect(run.code).toBe(3);
        expect(run.report!.counts.unknown).toBe(1);
        expect(run.report!.headline).toMatch(
            /1 with an unknown outcome \(not sent again automatically\)/
        );
        expect(smtp.perRecipient.get(lost)).toBe(1);
        const log = world.em
            .records('SendLog__c')
            .find((l) => l.CampaignMemberId__c === world.memberIds[2])!;
        expect(log.Status__c).toBe('Unknown');
        smtp.behaviour.dropAfterData = undefined;
        const again = await send();
        expect(again.report!.counts.unknown).toBe(1);
        expect(smtp.perRecipient.get(lost)).toBe(1);
        const resent = await send(['--resend-unknown']);
        expect(resent.report!.counts.sent).toBe(1);
        expect(smtp.perRecipient.get(lost)).toBe(2);
    });

    it('a relay refusing everything stops the run early (exit 5) instead of failing every member', async () => {
        smtp.behaviour.rejectRecipient = () => [554, '5.7.1 Relay access denied'];
        const run = await send([], {});
        expect(run.code).toBe(5);
        const r = run.report!;
        // the breaker trips at the 20th failure; the sends already in flight (concurrency 5) end
        expect(r.breaker).toMatch(
            /^email: (\d+) of the first \1 sends failed — \1 × SMTP_554: the relay refused it: 554 5\.7\.1 Relay access denied/
        );
        expect(r.headline).toMatch(/^Stopped early: /);
        expect(r.counts.failed).toBeGreaterThanOrEqual(20);
        expect(r.counts.failed).toBeLessThan(25);
        expect(r.counts.pending).toBe(r.counts.members - r.counts.skipped - r.counts.failed);
        expect(smtp.received).toBe(0);
    });

    it('a template with a merge field other than name, role, course, link is refused before anything is claimed (exit 2)', async () => {
        await api(world.em, 'PATCH', `/sobjects/Campaign/${world.campaignId}`, {
            EmailBody__c: 'Gentile {{name}},\nil suo codice fiscale {{codiceFiscale}} è registrato.'
        });
        const run = await send();
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(
            'Campaign.EmailBody__c line 2: merge field {{codiceFiscale}} is not allowed; a template may use only {{name}}, {{role}}, {{course}}, {{link}}'
        );
        expect(world.em.records('SendLog__c')).toHaveLength(0);
        expect(world.em.records('SyncRun__c').filter((s) => s.Mode__c === 'Campaign')).toHaveLength(
            0
        );
        expect(smtp.received).toBe(0);
    });

    it('a dry run reads and decides, and writes and sends nothing', async () => {
        const writes = world.em.stats().writes;
        const run = await send(['--dry-run']);
        expect(run.code).toBe(0);
        expect(run.report!.dryRun).toBe(true);
        expect(run.report!.headline).toMatch(/^Succeeded: email: would send \d+/);
        expect(run.report!.counts.sent).toBeGreaterThan(20);
        expect(smtp.received).toBe(0);
        expect(world.em.stats().writes).toEqual(writes);
    });

    it('a second send of the same campaign while one holds the lease is refused (exit 4), nothing sent', async () => {
        const config = parseConfig({});
        const holder = await Lease.acquire(clientOf({ em: world.em } as never, config), {
            runId: 'a-live-send',
            entities: [`campaign:${world.campaignId}`],
            mode: 'Campaign',
            source: 'test',
            staleAfterMs: 600_000,
            heartbeatMs: 0
        });
        try {
            const run = await send();
            expect(run.code).toBe(4);
            expect(run.stderr).toMatch(/another sync run holds the lease for campaign:701/);
            expect(smtp.received).toBe(0);
        } finally {
            await holder.stop();
        }
    });

    it('delivery status notifications (RFC 3464) from a folder mark the sends Bounced and move the counts', async () => {
        const run = await send();
        expect(run.code).toBe(0);
        const [first, second] = smtp.messages;
        const dir = join(world.root, 'dsn');
        await mkdir(dir, { recursive: true });
        const dsn = (
            envid: string | null,
            to: string,
            messageId: string,
            action: string,
            status: string
        ) =>
            [
                'From: Mail Delivery System <MAILER-DAEMON@relay.example.org>',
                'To: bounces@fse-engage.example.org',
                'Subject: Undelivered Mail Returned to Sender',
                'MIME-Version: 1.0',
                'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
                '',
                '--B1',
                'Content-Type: text/plain',
                '',
                'Your message could not be delivered.',
                '--B1',
                'Content-Type: message/delivery-status',
                '',
                'Reporting-MTA: dns; relay.example.org',
                ...(envid ? [`Original-Envelope-Id: ${envid}`] : []),
                '',
                `Final-Recipient: rfc822; ${to}`,
                `Action: ${action}`,
                `Status: ${status}`,
                `Diagnostic-Code: smtp; 550 ${status} <${to}>: Recipient address`,
                '    rejected: User unknown',
                '--B1',
                'Content-Type: text/rfc822-headers',
                '',
                `Message-ID: ${messageId}`,
                '--B1--',
                ''
            ].join('\r\n');
        const idOf = (m: typeof first) => /^Message-ID: (.*)$/m.exec(m.raw.toString())![1].trim();
        await writeFile(
            join(dir, 'a.eml'),
            dsn(first.envelopeId, first.to[0], idOf(first), 'failed', '5.1.1')
        );
        // a relay that did not keep the envelope id: matched by Message-ID
        await writeFile(
            join(dir, 'b.eml'),
            dsn(null, second.to[0], idOf(second), 'failed', '5.2.2')
        );
        await writeFile(
            join(dir, 'c.eml'),
            dsn(
                smtp.messages[2].envelopeId,
                smtp.messages[2].to[0],
                idOf(smtp.messages[2]),
                'delayed',
                '4.4.1'
            )
        );
        await writeFile(join(dir, 'note.txt'), 'not a message at all');
        const out = await campaignCli<BounceReport>(world.em, ['bounces', '--from', dir]);
        expect(out.code).toBe(0);
        expect(out.report).toEqual(
            expect.objectContaining({ bounced: 2, delayed: 1, unmatched: 0, notDsn: 1 })
        );
        expect(JSON.stringify(out.report)).not.toContain('@example.org');
        const logs = world.em.records('SendLog__c').filter((l) => l.Status__c === 'Bounced');
        expect(logs.map((l) => String(l.Reason__c).slice(0, 13)).sort()).toEqual([
            'BOUNCED_5.1.1',
            'BOUNCED_5.2.2'
        ]);
        const bounced = world.em
            .records('CampaignMember')
            .filter((m) => m.SendStatus__c === 'Bounced');
        expect(bounced).toHaveLength(2);
        const campaign = world.em.records('Campaign').find((c) => c.Id === world.campaignId)!;
        expect(campaign.SendBounced__c).toBe(2);
        expect(campaign.SendSent__c).toBe(run.report!.counts.sent - 2);
        expect((await readdir(join(dir, 'processed'))).sort()).toEqual(['a.eml', 'b.eml', 'c.eml']);
        // a bounced member is not sent to again
        const again = await send();
        expect(again.report!.counts.bounced).toBe(2);
        expect(again.report!.counts.sent).toBe(0);
    });
});
