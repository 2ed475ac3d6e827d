// Campaign sends started by `fse-sync schedule`: a campaign job on its cron expression, and a
// CampaignSendRequest__e published in the org (the Campaign page's "Invia ora",
// CampaignSendController.requestSend) — each a full `campaign send` under the campaign's lease,
// recorded in SyncRun__c (Mode Campaign), never sending a member twice.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
    adminToken,
    campaignConfig,
    campaignWorld,
    SUBJECT_KEY,
    type CampaignWorld
} from './campaign-fixture.ts';
import { startSmtpSink, type SmtpSink } from './campaign-peers.ts';
import { startScheduler as startSchedule, waitFor as waitUntil } from './helpers.ts';

const startScheduler = (world: CampaignWorld, cfgFile: string) =>
    startSchedule({
        source: `ndjson:${join(world.root, 'registry')}`,
        em: world.em,
        cfgFile,
        env: { FSE_SUBJECT_HASH_KEY: SUBJECT_KEY }
    });
const waitFor = (cond: () => boolean) => waitUntil(cond, 60_000);

jest.setTimeout(120_000);

describe('fse-sync schedule: campaign sends', () => {
    let world: CampaignWorld;
    let smtp: SmtpSink;

    beforeEach(async () => {
        world = await campaignWorld({ professionals: 120, members: 40 });
        smtp = await startSmtpSink();
    });
    afterEach(async () => {
        await smtp.close();
        await world.cleanup();
    });

    it('a campaign job fires on its cron expression and sends the campaign once', async () => {
        const file = await campaignConfig(world, { smtpPort: smtp.port });
        const { readFile } = await import('node:fs/promises');
        const config = JSON.parse(await readFile(file, 'utf8'));
        await writeFile(
            file,
            JSON.stringify({
                ...config,
                listenForRequests: false,
                campaignJobs: [
                    {
                        name: 'corso-documenti',
                        cron: '* * * * * *',
                        campaign: 'Nuovo corso documenti FSE',
                        channel: 'email'
                    }
                ]
            })
        );
        const s = startScheduler(world, file);
        await waitFor(() => s.logs().filter((l) => l.event === 'job-finish').length >= 2);
        expect(await s.stop()).toBe(0);
        const logs = s.logs();
        expect(logs.find((l) => l.event === 'schedule-start')!.campaignJobs).toEqual([
            expect.objectContaining({ name: 'corso-documenti', channel: 'email' })
        ]);
        const finishes = logs.filter((l) => l.event === 'job-finish');
        expect(finishes[0]).toMatchObject({
            job: 'corso-documenti',
            trigger: 'schedule',
            code: 0,
            status: 'Succeeded'
        });
        // the second firing finds everything sent: nobody receives it twice
        const sent = smtp.received;
        expect(sent).toBeGreaterThan(0);
        for (const n of smtp.perRecipient.values()) expect(n).toBe(1);
        const runs = world.em.records('SyncRun__c').filter((r) => r.Mode__c === 'Campaign');
        expect(runs.length).toBeGreaterThanOrEqual(2);
        expect(runs.filter((r) => r.Status__c === 'Running')).toHaveLength(0);
        expect(JSON.stringify(logs)).not.toMatch(/@example\.org/);
    });

    it('a CampaignSendRequest__e published in the org starts the send; an unusable one is logged and ignored', async () => {
        const file = await campaignConfig(world, { smtpPort: smtp.port });
        const s = startScheduler(world, file);
        await waitFor(() => s.logs().some((l) => l.event === 'schedule-start'));
        expect(world.em.org.events.subscriberCount('/event/CampaignSendRequest__e')).toBe(1);
        const publish = (payload: Record<string, unknown>) =>
            fetch(`${world.em.instanceUrl}/services/data/v62.0/sobjects/CampaignSendRequest__e`, {
                method: 'POST',
                headers: {
                    // "Invia ora" is the administrator's (FSE_Admin); the worker only reads the event
                    Authorization: `Bearer ${adminToken(world.em)}`,
                    'Content-Type': 'application/json'
                },
                body: JSON.stringify(payload)
            });
        expect((await publish({ Campaign__c: world.campaignId, Channel__c: 'fax' })).status).toBe(
            201
        );
        const res = await publish({
            Campaign__c: world.campaignId,
            Channel__c: 'email',
            RequestedBy__c: '005000000000001AAA'
        });
        expect(res.status).toBe(201);
        await waitFor(() => s.logs().some((l) => l.event === 'job-finish'));
        expect(await s.stop()).toBe(0);
        const logs = s.logs();
        expect(logs.find((l) => l.event === 'request-ignored')).toMatchObject({
            reason: 'unknown Channel__c "fax"'
        });
        expect(logs.find((l) => l.event === 'campaign-request-received')).toMatchObject({
            campaign: world.campaignId,
            channel: 'email',
            dryRun: false
        });
        expect(logs.find((l) => l.event === 'job-finish')).toMatchObject({
            trigger: 'request',
            code: 0
        });
        expect(smtp.received).toBeGreaterThan(0);
        const campaign = world.em.records('Campaign').find((c) => c.Id === world.campaignId)!;
        expect(campaign.SendSent__c).toBe(smtp.received);
        expect(campaign.LastSendStatus__c).toBe('Succeeded');
        expect(world.em.org.events.subscriberCount('/event/CampaignSendRequest__e')).toBe(0);
    });
});
