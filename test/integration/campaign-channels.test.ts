// SMS through the HTTP gateway and push through Salesforce custom notifications, against real
// peers (a local HTTP server as the gateway, the org emulator's customNotificationAction), and
// what a send does when a peer misbehaves: temporary refusals retried, permanent ones reported,
// quiet hours and the daily cap leaving members for the next run.
import { campaignConfig, campaignWorld, type CampaignWorld } from './campaign-fixture.ts';
import { startSmsGateway, type SmsGateway } from './campaign-peers.ts';
import { campaignCli } from './campaign-run.ts';
import { smsLength } from '../../sync-worker/src/domain/sms-segments.ts';
import { toE164 } from '../../sync-worker/src/campaigns/phone.ts';

jest.setTimeout(120_000);

describe('campaign send: SMS and push', () => {
    let world: CampaignWorld;
    let gw: SmsGateway;

    beforeAll(async () => {
        world = await campaignWorld({ professionals: 300, members: 100, portalUsers: 40 });
        gw = await startSmsGateway();
    });
    afterAll(async () => {
        await gw?.close();
        await world?.cleanup();
    });

    it('SMS: one per member with a mobile and an SMS OptIn, parts counted, 503 retried, an invalid number failed for good', async () => {
        const em = world.em;
        const contacts = new Map(em.records('Contact').map((c) => [c.Id as string, c]));
        const mobiles = world.contactIds
            .map((id) => toE164(String(contacts.get(id)!.MobilePhone ?? '')))
            .filter((m): m is string => !!m);
        gw.invalid.add(mobiles[0]);
        gw.failNext = { count: 2, status: 503 };
        const config = await campaignConfig(world, { smsUrl: gw.url });
        const run = await campaignCli(em, [
            'send',
            '--campaign',
            world.campaignId,
            '--channel',
            'sms',
            '--config',
            config
        ]);
        const r = run.report!;
        expect(r.channel).toBe('sms');
        const skipped = Object.fromEntries(r.skipGroups.map((g) => [g.reason, g.count]));
        expect(skipped.NoContactPoint).toBeGreaterThan(10); // about 30% have no mobile
        expect(r.counts.failed).toBe(1);
        expect(r.failureGroups[0].code).toBe('SMS_INVALID_NUMBER');
        expect(JSON.stringify(r)).not.toContain(mobiles[0].slice(3)); // no phone number in a report
        expect(r.counts.sent).toBe(gw.messages.length);
        expect(r.counts.sent + r.counts.skipped + r.counts.failed).toBe(100);
        expect(run.code).toBe(3); // a failure is listed: partial
        for (const n of gw.perRecipient.values()) expect(n).toBe(1);
        const m = gw.messages[0];
        expect(m.from).toBe('FSE20');
        expect(m.text).toMatch(
            /^FSE 2\.0: .+, nuovo corso "FSE 2\.0: consultazione dei documenti"\. Iscriviti: https:\/\/portale/
        );
        expect(m.idempotencyKey).toBe(m.reference);
        const parts = gw.messages.reduce((n, x) => n + smsLength(x.text).segments, 0);
        expect(r.counts.segments).toBe(parts);
        const logs = em
            .records('SendLog__c')
            .filter((l) => l.Channel__c === 'sms' && l.Status__c === 'Sent');
        expect(logs).toHaveLength(r.counts.sent);
        expect(logs.every((l) => Number(l.Segments__c) >= 1 && !l.TokenHash__c)).toBe(true);

        const again = await campaignCli(em, [
            'send',
            '--campaign',
            world.campaignId,
            '--channel',
            'sms',
            '--config',
            config
        ]);
        expect(again.report!.counts.sent).toBe(0);
        expect(again.report!.counts.alreadySent).toBe(r.counts.sent);
        expect(gw.messages.length).toBe(r.counts.sent);
        // the permanent failure is not tried again without --retry-failed
        expect(again.report!.counts.failed).toBe(1);
    });

    it('SMS: in quiet hours nothing is claimed; every eligible member is left for the next run (exit 3)', async () => {
        const fresh = await campaignWorld({ professionals: 60, members: 20 });
        try {
            const config = await campaignConfig(
                fresh,
                {},
                {},
                {
                    sms: {
                        url: gw.url,
                        sender: 'FSE20',
                        ratePerMinute: 60_000,
                        quietHours: { start: '00:00', end: '23:59' }
                    }
                }
            );
            const before = gw.messages.length;
            const run = await campaignCli(fresh.em, [
                'send',
                '--campaign',
                fresh.campaignId,
                '--channel',
                'sms',
                '--config',
                config
            ]);
            expect(run.code).toBe(3);
            expect(run.report!.counts.sent).toBe(0);
            expect(run.report!.deferred).toEqual([
                expect.objectContaining({ reason: 'QuietHours', count: run.report!.counts.pending })
            ]);
            expect(run.report!.counts.pending).toBeGreaterThan(0);
            expect(gw.messages.length).toBe(before);
            expect(fresh.em.records('SendLog__c')).toHaveLength(0);
            const pending = fresh.em
                .records('CampaignMember')
                .filter((m) => m.SendStatus__c === 'Pending');
            expect(pending).toHaveLength(run.report!.counts.pending);
            expect(String(pending[0].SendReason__c)).toMatch(/^QuietHours: quiet hours/);
        } finally {
            await fresh.cleanup();
        }
    });

    it('push: a custom notification to each member with an active portal user and a push OptIn', async () => {
        const em = world.em;
        const config = await campaignConfig(world, {});
        const run = await campaignCli(em, [
            'send',
            '--campaign',
            world.campaignId,
            '--channel',
            'push',
            '--config',
            config
        ]);
        const r = run.report!;
        expect(run.code).toBe(0);
        expect(r.counts.sent).toBe(40);
        const skipped = Object.fromEntries(r.skipGroups.map((g) => [g.reason, g.count]));
        // the others have no push consent (the registry has none: it comes from the portal)
        expect(skipped.NoConsent).toBe(60);
        const sent = em.org.notifications;
        expect(sent).toHaveLength(40);
        expect(new Set(sent.map((n) => n.recipientId))).toEqual(new Set(world.users.values()));
        const type = em
            .records('CustomNotificationType')
            .find((t) => t.DeveloperName === 'FSE_Campaign')!;
        expect(sent.every((n) => n.typeId === type.Id && n.targetId === world.courseId)).toBe(true);
        expect(sent[0].title).toBe('Nuovo corso FSE 2.0');
        expect(sent[0].body).toMatch(
            /^.+, è disponibile il corso FSE 2\.0: consultazione dei documenti\.$/
        );

        const again = await campaignCli(em, [
            'send',
            '--campaign',
            world.campaignId,
            '--channel',
            'push',
            '--config',
            config
        ]);
        expect(again.report!.counts.sent).toBe(0);
        expect(em.org.notifications).toHaveLength(40);
    });

    it('push: a member whose portal user was deactivated is skipped NoUser', async () => {
        const fresh = await campaignWorld({ professionals: 40, members: 10, portalUsers: 10 });
        try {
            const user = [...fresh.users.values()][0];
            const table = fresh.em.org.store.table('User');
            table.set(
                table.rowOf(user),
                fresh.em.org.schema.get('User')!.byName.get('isactive')!,
                false
            );
            const config = await campaignConfig(fresh, {});
            const run = await campaignCli(fresh.em, [
                'send',
                '--campaign',
                fresh.campaignId,
                '--channel',
                'push',
                '--config',
                config
            ]);
            expect(run.report!.counts.sent).toBe(9);
            expect(run.report!.skipGroups).toEqual([
                expect.objectContaining({ reason: 'NoUser', count: 1 })
            ]);
        } finally {
            await fresh.cleanup();
        }
    });

    it('the daily cap: what is left over waits for the next run, which sends it without a duplicate', async () => {
        const fresh = await campaignWorld({ professionals: 80, members: 30 });
        gw.invalid.clear();
        try {
            const capped = await campaignConfig(
                fresh,
                { smsUrl: gw.url },
                {},
                {
                    sms: {
                        url: gw.url,
                        sender: 'FSE20',
                        ratePerMinute: 60_000,
                        quietHours: null,
                        dailyCap: 5
                    }
                }
            );
            const first = await campaignCli(fresh.em, [
                'send',
                '--campaign',
                fresh.campaignId,
                '--channel',
                'sms',
                '--config',
                capped
            ]);
            expect(first.code).toBe(3);
            expect(first.report!.counts.sent).toBe(5);
            expect(first.report!.deferred[0].reason).toBe('DailyCap');
            // the same day: the cap counts the claims already made
            const second = await campaignCli(fresh.em, [
                'send',
                '--campaign',
                fresh.campaignId,
                '--channel',
                'sms',
                '--config',
                capped
            ]);
            expect(second.report!.counts.sent).toBe(0);
            const open = await campaignConfig(fresh, { smsUrl: gw.url });
            const third = await campaignCli(fresh.em, [
                'send',
                '--campaign',
                fresh.campaignId,
                '--channel',
                'sms',
                '--config',
                open
            ]);
            expect(third.code).toBe(0);
            expect(third.report!.counts.alreadySent).toBe(5);
            expect(third.report!.counts.sent).toBe(first.report!.counts.pending);
            const to = fresh.em.records('SendLog__c').map((l) => l.CampaignMemberId__c);
            expect(new Set(to).size).toBe(to.length);
        } finally {
            await fresh.cleanup();
        }
    });
});
