// `npm start`: the embedded default. Generates (if absent) a deterministic synthetic registry of
// 5,000 professionals with their consents (3 purposes x 2 channels), starts the org emulator
// in-process, runs a full sync of professionals, consents and the sample training content
// (config/content-sample), changes a few registry records (updates, a ceased professional, new
// ones), syncs incrementally and prints both reports. Then a small campaign (docs/campaigns.md):
// a course, a campaign with Italian templates and 60 of the synced professionals as members,
// sent on e-mail, SMS and push to local in-process peers (an SMTP server, an HTTP SMS gateway,
// the emulator's custom notifications), consent re-checked at send time; a second e-mail send
// shows that nobody receives it twice.
import { cp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startOrgEmulator } from '../test/org-emulator/index.ts';
import { applyChanges, generateRegistry } from '../sync-worker/src/generator/generator.ts';
import { main } from '../sync-worker/src/cli/main.ts';
import {
    addPortalUsers,
    addPushConsents,
    campaignConfig,
    createAll,
    EMAIL_BODY
} from '../test/integration/campaign-fixture.ts';
import { startSmsGateway, startSmtpSink } from '../test/integration/campaign-peers.ts';
import type { OrgEmulator } from '../test/org-emulator/index.ts';

const root = resolve(import.meta.dirname, '..');
const pristine = join(root, '.demo', 'registry');
const work = join(root, '.demo', 'run');
const reports = join(root, '.demo', 'reports');

async function demo(): Promise<number> {
    if (!existsSync(join(pristine, 'Consent.ndjson'))) {
        process.stdout.write(
            'Generating a synthetic registry of 5,000 professionals with their consents in .demo/registry ...\n'
        );
        await generateRegistry({ count: 5000, out: pristine, seed: 1, consents: true });
    }
    await rm(work, { recursive: true, force: true });
    await cp(pristine, work, { recursive: true });

    // the worker logs in as the integration user (FSE_Sync_Integration only, as in production):
    // the emulator enforces its object, field and record access, and only it may stamp subject keys
    const em = await startOrgEmulator({
        metadataDir: join(root, 'force-app', 'main', 'default'),
        user: 'integration'
    });
    process.stdout.write(`Org emulator listening on ${em.instanceUrl}\n\n`);
    const io = {
        stdout: process.stdout,
        stderr: process.stderr,
        env: {
            ...process.env,
            FSE_SYNC_LOG_LEVEL: process.env.FSE_SYNC_LOG_LEVEL ?? 'warn',
            // a demo-only key for the subject hashes (consents, tombstones); never use it for real
            FSE_SUBJECT_HASH_KEY:
                process.env.FSE_SUBJECT_HASH_KEY ?? 'demo-only-subject-key-not-a-secret'
        }
    };
    const base = [
        'run',
        '--source',
        `ndjson:${work}`,
        '--source',
        `content:${join(root, 'config', 'content-sample')}`,
        '--instance-url',
        em.instanceUrl,
        '--access-token',
        em.accessToken,
        '--config',
        join(root, 'config', 'sync.config.json')
    ];
    try {
        process.stdout.write('1) Full sync\n');
        const full = await main([...base, '--full', '--report', join(reports, 'full.json')], io);
        const s1 = em.stats();
        process.stdout.write(
            `   exit code ${full}; org now holds ${s1.records.Account ?? 0} Accounts, ${s1.records.Contact ?? 0} Contacts, ${s1.records.Individual ?? 0} Individuals, ${s1.records.ContactPointTypeConsent ?? 0} consents and ${s1.records.LearningContent__c ?? 0} training contents\n\n`
        );

        const changes = await applyChanges(work, {
            update: 25,
            cease: 1,
            add: 3,
            at: new Date().toISOString()
        });
        process.stdout.write(
            `2) Registry changed: ${changes.updated.length} professionals updated, ${changes.ceased.length} ceased, ${changes.added.length} new\n\n`
        );
        process.stdout.write('3) Incremental sync\n');
        const before = em.stats().apiUsage.used;
        const inc = await main(
            [...base, '--incremental', '--report', join(reports, 'incremental.json')],
            io
        );
        process.stdout.write(
            `   exit code ${inc}; ${em.stats().apiUsage.used - before} API calls\n\n`
        );
        const sent = await demoCampaign(em, io);
        process.stdout.write(
            `JSON reports: ${reports}/full.json, incremental.json and campaign-*.json\n`
        );
        return full === 0 && inc === 0 && sent === 0 ? 0 : full || inc || sent;
    } finally {
        await em.stop();
    }
}

/** 4) A small campaign on e-mail, SMS and push; the exit code of the worst send. */
async function demoCampaign(
    em: OrgEmulator,
    io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv }
): Promise<number> {
    const [courseId] = await createAll(em, 'LearningContent__c', [
        {
            Name: 'FSE 2.0: consultazione dei documenti',
            Type__c: 'Course',
            Status__c: 'Published',
            ContentKey__c: 'demo-corso-fse-documenti'
        }
    ]);
    const [campaignId] = await createAll(em, 'Campaign', [
        {
            Name: 'Demo: nuovo corso documenti FSE',
            Purpose__c: 'formazione',
            Channel__c: 'email',
            Course__c: courseId,
            EmailSubject__c: '{{name}}, un nuovo corso per {{role}}',
            EmailBody__c: EMAIL_BODY,
            SmsBody__c: 'FSE 2.0: {{name}}, nuovo corso "{{course}}". Iscriviti: {{link}}',
            PushTitle__c: 'Nuovo corso FSE 2.0',
            PushBody__c: '{{name}}, è disponibile il corso {{course}}.'
        }
    ]);
    const contactIds = em
        .records('Contact')
        .filter((c) => c.IndividualId && c.Email)
        .slice(0, 60)
        .map((c) => c.Id as string);
    await createAll(
        em,
        'CampaignMember',
        contactIds.map((id) => ({ CampaignId: campaignId, ContactId: id }))
    );
    // 15 of them use the Salesforce mobile app (a portal user) and agreed to push notifications
    addPortalUsers(em, contactIds.slice(0, 15));
    await addPushConsents(em, contactIds.slice(0, 15), 'formazione');
    const smtp = await startSmtpSink();
    const sms = await startSmsGateway();
    const env = { ...io.env, FSE_SMS_TOKEN: sms.token };
    const config = await campaignConfig(
        { root: join(root, '.demo') },
        { smtpPort: smtp.port, smsUrl: sms.url },
        { retries: 3 },
        { stateDir: join(root, '.demo', 'campaign-state') }
    );
    const send = (channel: string, tag = channel) =>
        main(
            [
                'campaign',
                'send',
                '--campaign',
                campaignId,
                '--channel',
                channel,
                '--instance-url',
                em.instanceUrl,
                '--access-token',
                em.accessToken,
                '--config',
                config,
                '--report',
                join(reports, `campaign-${tag}.json`)
            ],
            { ...io, env }
        );
    try {
        await rm(join(root, '.demo', 'campaign-state'), { recursive: true, force: true });
        process.stdout.write(
            `4) Campaign "Demo: nuovo corso documenti FSE": ${contactIds.length} members, consent re-checked at send time\n`
        );
        const codes: number[] = [];
        for (const channel of ['email', 'sms', 'push']) {
            const before = em.stats().apiUsage.used;
            process.stdout.write(`\n   ${channel}:\n`);
            codes.push(await send(channel));
            process.stdout.write(
                `   exit code ${codes.at(-1)}; ${em.stats().apiUsage.used - before} API calls\n`
            );
        }
        process.stdout.write(
            `\n   peers received: ${smtp.received} e-mails (SMTP), ${sms.messages.length} SMS (gateway), ${em.org.notifications.length} push notifications (customNotificationAction)\n`
        );
        process.stdout.write('\n5) The same e-mail send again: nobody receives it twice\n');
        const before = smtp.received;
        codes.push(await send('email', 'email-again'));
        const twice = [...smtp.perRecipient.values()].filter((n) => n > 1).length;
        process.stdout.write(
            `   exit code ${codes.at(-1)}; ${smtp.received - before} new e-mails, ${twice} recipients with two\n\n`
        );
        return codes.find((c) => c !== 0) ?? (twice ? 1 : 0);
    } finally {
        await smtp.close();
        await sms.close();
    }
}

demo().then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`demo failed: ${(err as Error).message}\n`);
        process.exitCode = 1;
    }
);
