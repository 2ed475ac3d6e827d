// `fse-sync campaign send` on e-mail against real peers: the org emulator and an SMTP server
// (smtp-server) that receives and checks every message. Consent is re-checked at send time,
// erased and ceased professionals are skipped with their reason, every message carries a signed
// unsubscribe link whose hash is in the send log, no message carries a fiscal code, and a second
// run sends nothing.
import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { subjectHash } from '../../sync-worker/src/domain/subject-key.ts';
import {
    api,
    campaignConfig,
    campaignWorld,
    createAll,
    SUBJECT_KEY,
    type CampaignWorld
} from './campaign-fixture.ts';
import { startSmtpSink, type SmtpSink } from './campaign-peers.ts';
import { campaignCli } from './campaign-run.ts';

jest.setTimeout(120_000);

const FISCAL_CODE = /[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]/;

describe('campaign send: e-mail', () => {
    let world: CampaignWorld;
    let smtp: SmtpSink;
    let config: string;

    beforeAll(async () => {
        world = await campaignWorld({ professionals: 300, members: 120 });
        smtp = await startSmtpSink();
        config = await campaignConfig(world, { smtpPort: smtp.port });
    });
    afterAll(async () => {
        await smtp?.close();
        await world?.cleanup();
    });

    it('sends once to every member with an OptIn in force, skips the others by reason, records everything', async () => {
        const em = world.em;
        const contacts = new Map(em.records('Contact').map((c) => [c.Id as string, c]));
        // changes made after the audience was built: consent revoked, a professional ceased, one erased
        const [revoked, ceased, erased] = world.contactIds.slice(0, 3);
        const purpose = em
            .records('DataUsePurpose')
            .find((p) => p.PurposeCode__c === 'formazione')!.Id;
        const channel = em
            .records('EngagementChannelType')
            .find((c) => c.ChannelCode__c === 'email')!.Id;
        await createAll(em, 'ContactPointTypeConsent', [
            {
                Name: 'revoca dal portale',
                PartyId: contacts.get(revoked)!.IndividualId,
                DataUsePurposeId: purpose,
                EngagementChannelTypeId: channel,
                PrivacyConsentStatus: 'OptOut',
                CaptureDate: new Date(Date.now() + 60_000).toISOString(),
                CaptureSource: 'Portale FSE'
            }
        ]);
        await api(em, 'PATCH', `/sobjects/Contact/${ceased}`, { RegistryStatus__c: 'Ceased' });
        // the subject key the sync stamps on every Contact (docs/privacy.md), then its tombstone
        const key = subjectHash(SUBJECT_KEY, String(contacts.get(erased)!.FiscalCode__c));
        await api(em, 'PATCH', `/sobjects/Contact/${erased}`, { SubjectKey__c: key });
        await createAll(em, 'ErasureTombstone__c', [{ SubjectHash__c: key }]);

        const run = await campaignCli(em, [
            'send',
            '--campaign',
            'Nuovo corso documenti FSE',
            '--config',
            config
        ]);
        expect(run.stderr).toBe('');
        const r = run.report!;
        expect(r.counts.members).toBe(120);
        const skipped = Object.fromEntries(r.skipGroups.map((g) => [g.reason, g.count]));
        expect(skipped.NotOptIn).toBeGreaterThanOrEqual(1);
        expect(skipped.Ceased).toBe(1);
        expect(skipped.Erased).toBe(1);
        expect(r.counts.sent + r.counts.skipped).toBe(120);
        expect(r.counts.sent).toBeGreaterThan(60);
        expect(run.code).toBe(0);
        expect(r.status).toBe('Succeeded');

        // the SMTP server got exactly one message per sent member, none for the others
        expect(smtp.received).toBe(r.counts.sent);
        for (const n of smtp.perRecipient.values()) expect(n).toBe(1);
        for (const id of [revoked, ceased, erased]) {
            expect(
                smtp.perRecipient.get(String(contacts.get(id)!.Email).toLowerCase())
            ).toBeUndefined();
        }
    });

    it('every message: Italian subject and body, sanitised HTML, a text part, the unsubscribe link and headers, no fiscal code', async () => {
        const logs = world.em.records('SendLog__c');
        const hashes = new Set(logs.map((l) => l.TokenHash__c));
        const keys = new Set(logs.map((l) => l.Key__c));
        expect(smtp.messages.length).toBeGreaterThan(60);
        for (const m of smtp.messages) {
            const raw = m.raw.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
            expect(raw).not.toMatch(FISCAL_CODE);
            const mail: ParsedMail = await simpleParser(m.raw);
            expect(mail.subject).toMatch(/, un nuovo corso per /);
            expect(mail.headers.get('content-language')).toBe('it');
            const html = String(mail.html);
            expect(html).toContain('<h2>Nuovo corso FSE 2.0</h2>');
            expect(html).toContain('consultazione dei documenti');
            expect(html).toContain(
                `href="https://portale.fse.example.org/fse/s/contenuto?c__contentId=${world.courseId}"`
            );
            expect(html).not.toMatch(/<script|onclick|alert\(1\)/);
            expect(mail.text).toContain('Gentile ');
            expect(mail.text).toContain(
                `Vai al corso [https://portale.fse.example.org/fse/s/contenuto?c__contentId=${world.courseId}]`
            );
            expect(mail.text).not.toMatch(/<script|alert\(1\)|\*\*/);
            expect(mail.text).toContain(
                "Per annullare l'iscrizione: https://portale.fse.example.org/fse/s/disiscrizione?t="
            );
            const token = /disiscrizione\?t=([A-Za-z0-9_-]{43})/.exec(mail.text!)![1];
            expect(hashes.has(createHash('sha256').update(token).digest('hex'))).toBe(true);
            const list = String(raw.match(/^List-Unsubscribe: (.*)$/m)?.[1]);
            // no one-click endpoint configured: the page link, and no List-Unsubscribe-Post
            // (Apex REST refuses the multipart/form-data POST some mail clients send)
            expect(list).toBe(`<https://portale.fse.example.org/fse/s/disiscrizione?t=${token}>`);
            expect(raw).not.toMatch(/^List-Unsubscribe-Post:/m);
            expect(keys.has(m.envelopeId)).toBe(true);
        }
    });

    it('writes the send log, each member status and the campaign counts; SyncRun__c records the run', async () => {
        const em = world.em;
        const logs = em.records('SendLog__c');
        const sent = logs.filter((l) => l.Status__c === 'Sent');
        expect(sent.length).toBe(smtp.received);
        for (const l of sent) expect(l.ProviderMessageId__c).toMatch(/^<.+@.+>$/);
        const members = em
            .records('CampaignMember')
            .filter((m) => m.CampaignId === world.campaignId);
        const byStatus = (s: string) => members.filter((m) => m.SendStatus__c === s).length;
        expect(byStatus('Sent')).toBe(sent.length);
        expect(byStatus('Sent') + byStatus('Skipped')).toBe(120);
        expect(members.find((m) => m.ContactId === world.contactIds[1])!.SendReason__c).toMatch(
            /^Ceased: ceased professional/
        );
        const campaign = em.records('Campaign').find((c) => c.Id === world.campaignId)!;
        expect(campaign.SendSent__c).toBe(sent.length);
        expect(campaign.SendSkipped__c).toBe(120 - sent.length);
        expect(campaign.LastSendStatus__c).toBe('Succeeded');
        const summary = JSON.parse(String(campaign.SendSummary__c));
        expect(summary.channels.email.skippedBy.Ceased).toBe(1);
        const runs = em.records('SyncRun__c').filter((s) => s.Mode__c === 'Campaign');
        expect(runs).toHaveLength(1);
        expect(runs[0].Status__c).toBe('Succeeded');
        expect(JSON.parse(String(runs[0].Report__c)).counts.sent).toBe(sent.length);
    });

    it('a second run sends nothing and writes no member', async () => {
        const before = smtp.received;
        const writes = world.em.stats().writes.CampaignMember ?? 0;
        const run = await campaignCli(world.em, [
            'send',
            '--campaign',
            world.campaignId,
            '--config',
            config
        ]);
        expect(run.code).toBe(0);
        expect(run.report!.counts.sent).toBe(0);
        expect(run.report!.counts.alreadySent).toBe(before);
        expect(smtp.received).toBe(before);
        expect(world.em.stats().writes.CampaignMember ?? 0).toBe(writes);
    });
});
