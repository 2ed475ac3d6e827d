// The world of a campaign test (also the demo and the benchmark): an org emulator holding a
// synced registry with consents (the worker's own sync), a campaign with Italian templates and a
// course, its members, portal users and push consents for some of them; the configuration file
// pointing the worker at the test's SMTP server and SMS gateway.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrgEmulator, type OrgEmulator } from '../org-emulator/index.ts';
import type { FieldDef } from '../org-emulator/schema.ts';
import type { Value } from '../org-emulator/store.ts';
import { generateRegistry } from '../../sync-worker/src/generator/generator.ts';
import { runCli } from './helpers.ts';

export const SUBJECT_KEY = 'campaign-test-subject-key-0123456789';

/** An Italian e-mail template with every merge field and a link. */
export const EMAIL_BODY = [
    '# Nuovo corso FSE 2.0',
    '',
    'Gentile {{name}},',
    '',
    'in qualità di **{{role}}** può iscriversi al corso *{{course}}*.',
    '',
    '[Vai al corso]({{link}})',
    '',
    '<script>alert(1)</script>',
    '<a href="https://www.example.org/guida" onclick="steal()">Guida</a>'
].join('\n');

const adminTokens = new WeakMap<object, string>();
/** A token of the emulator's administrator (cached per emulator). */
export function adminToken(em: OrgEmulator): string {
    let token = adminTokens.get(em);
    if (!token) adminTokens.set(em, (token = em.tokenFor('admin')));
    return token;
}

export async function api<T = unknown>(
    em: OrgEmulator,
    method: string,
    path: string,
    body?: unknown
): Promise<T> {
    const response = await fetch(`${em.instanceUrl}/services/data/v62.0${path}`, {
        method,
        // test data is written as the administrator (the worker runs as the integration user)
        headers: {
            Authorization: `Bearer ${adminToken(em)}`,
            'Content-Type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    if (!response.ok && response.status !== 400)
        throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
}

/** Creates records through sObject Collections, 200 a call; their ids in order. */
export async function createAll(
    em: OrgEmulator,
    type: string,
    records: Record<string, unknown>[]
): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < records.length; i += 200) {
        const answers = await api<Array<{ id: string; success: boolean; errors: unknown[] }>>(
            em,
            'POST',
            '/composite/sobjects',
            {
                allOrNone: true,
                records: records.slice(i, i + 200).map((r) => ({ attributes: { type }, ...r }))
            }
        );
        for (const a of answers) {
            if (!a.success) throw new Error(`create ${type}: ${JSON.stringify(a.errors)}`);
            ids.push(a.id);
        }
    }
    return ids;
}

export interface CampaignWorld {
    em: OrgEmulator;
    root: string;
    campaignId: string;
    courseId: string;
    memberIds: string[];
    /** Contact id of each member, in the order of memberIds */
    contactIds: string[];
    /** portal user ids by Contact id (push) */
    users: Map<string, string>;
    cleanup(): Promise<void>;
}

/** Portal users (white-box: the emulator has no Profile) for `contactIds`. */
export function addPortalUsers(
    em: OrgEmulator,
    contactIds: readonly string[]
): Map<string, string> {
    const obj = em.org.schema.get('User')!;
    const table = em.org.store.table(obj);
    const f = (n: string) => obj.byName.get(n.toLowerCase())!;
    const users = new Map<string, string>();
    contactIds.forEach((contactId, i) => {
        const row = table.insert(
            new Map<FieldDef, Value>([
                [f('Username'), `portal${i}.${contactId}@fse-portal.example.org`],
                [f('LastName'), `Portale ${i}`],
                [f('Alias'), `p${i}`.slice(0, 8)],
                [f('Email'), `portal${i}@example.org`],
                [f('IsActive'), true],
                [f('UserType'), 'CspLitePortal'],
                [f('ContactId'), contactId],
                [f('TimeZoneSidKey'), 'Europe/Rome'],
                [f('LocaleSidKey'), 'it_IT'],
                [f('LanguageLocaleKey'), 'it'],
                [f('EmailEncodingKey'), 'UTF-8']
            ]),
            Date.now(),
            em.org.store.userId
        );
        users.set(contactId, table.idOf(row));
    });
    return users;
}

/** OptIn consents for `purpose` on push, as the portal writes them (CaptureSource 'Portale FSE'). */
export async function addPushConsents(
    em: OrgEmulator,
    contactIds: readonly string[],
    purpose: string
): Promise<void> {
    const contacts = new Map(em.records('Contact').map((c) => [c.Id as string, c]));
    const purposeId = em.records('DataUsePurpose').find((p) => p.PurposeCode__c === purpose)!
        .Id as string;
    let channel = em.records('EngagementChannelType').find((c) => c.ChannelCode__c === 'push')
        ?.Id as string | undefined;
    if (!channel)
        [channel] = await createAll(em, 'EngagementChannelType', [
            { Name: 'Notifica push', ChannelCode__c: 'push', IsActive: true }
        ]);
    const now = new Date().toISOString();
    await createAll(
        em,
        'ContactPointTypeConsent',
        contactIds.map((id) => ({
            Name: `push ${id}`,
            PartyId: contacts.get(id)!.IndividualId,
            DataUsePurposeId: purposeId,
            EngagementChannelTypeId: channel,
            PrivacyConsentStatus: 'OptIn',
            CaptureDate: now,
            CaptureSource: 'Portale FSE',
            EffectiveFrom: now
        }))
    );
}

export interface WorldOptions {
    professionals: number;
    members: number;
    /** members with a portal user and a push consent */
    portalUsers?: number;
    purpose?: string;
    seed?: number;
    bulkStepMs?: number;
}

/** A synced registry, a campaign of `members` professionals with an Individual, and its course. */
export async function campaignWorld(o: WorldOptions): Promise<CampaignWorld> {
    // the worker's token is the integration user's (FSE_Sync_Integration only), as in production
    const em = await startOrgEmulator({
        seed: o.seed ?? 1,
        bulkStepMs: o.bulkStepMs ?? 10,
        user: 'integration'
    });
    const root = await mkdtemp(join(tmpdir(), 'fse-campaign-it-'));
    const dir = join(root, 'registry');
    await generateRegistry({ count: o.professionals, out: dir, seed: o.seed ?? 1, consents: true });
    const sync = await runCli(
        em,
        `ndjson:${dir}`,
        ['--entities', 'organizations,professionals,consents'],
        {
            FSE_SUBJECT_HASH_KEY: SUBJECT_KEY
        }
    );
    if (sync.code !== 0)
        throw new Error(
            `the sync of the campaign fixture ended ${sync.code}: ${sync.report?.headline ?? sync.stderr}`
        );
    const [courseId] = await createAll(em, 'LearningContent__c', [
        {
            Name: 'FSE 2.0: consultazione dei documenti',
            Type__c: 'Course',
            Status__c: 'Published',
            ContentKey__c: 'corso-fse-documenti'
        }
    ]);
    const [campaignId] = await createAll(em, 'Campaign', [
        {
            Name: 'Nuovo corso documenti FSE',
            Purpose__c: o.purpose ?? 'formazione',
            Channel__c: 'email',
            Course__c: courseId,
            EmailSubject__c: '{{name}}, un nuovo corso per {{role}}',
            EmailBody__c: EMAIL_BODY,
            SmsBody__c: 'FSE 2.0: {{name}}, nuovo corso "{{course}}". Iscriviti: {{link}}',
            PushTitle__c: 'Nuovo corso FSE 2.0',
            PushBody__c: '{{name}}, è disponibile il corso {{course}}.'
        }
    ]);
    const contacts = em
        .records('Contact')
        .filter((c) => c.IndividualId && c.Email)
        .slice(0, o.members);
    const contactIds = contacts.map((c) => c.Id as string);
    const memberIds = await createAll(
        em,
        'CampaignMember',
        contactIds.map((id) => ({ CampaignId: campaignId, ContactId: id }))
    );
    const users = addPortalUsers(em, contactIds.slice(0, o.portalUsers ?? 0));
    if (o.portalUsers)
        await addPushConsents(em, contactIds.slice(0, o.portalUsers), o.purpose ?? 'formazione');
    return {
        em,
        root,
        campaignId,
        courseId,
        memberIds,
        contactIds,
        users,
        cleanup: async () => {
            await em.stop();
            await rm(root, { recursive: true, force: true });
        }
    };
}

/** A configuration file for `fse-sync campaign send` against the test's peers. */
export async function campaignConfig(
    world: Pick<CampaignWorld, 'root'>,
    peers: { smtpPort?: number; smsUrl?: string },
    extra: Record<string, unknown> = {},
    campaigns: Record<string, unknown> = {}
): Promise<string> {
    const file = join(world.root, `campaign-config-${Math.random().toString(36).slice(2)}.json`);
    await mkdir(join(world.root, 'state'), { recursive: true });
    const config = {
        retries: 3,
        retryBaseMs: 5,
        retryCapMs: 20,
        pollInitialMs: 20,
        pollMaxMs: 100,
        ...extra,
        campaigns: {
            portalUrl: 'https://portale.fse.example.org/fse/s',
            // no oneClickUrl: one-click is not advertised on Apex REST (docs/campaigns.md, "One click")
            stateDir: join(world.root, 'state'),
            progressEveryMs: 0,
            ...(peers.smtpPort
                ? {
                      email: {
                          host: '127.0.0.1',
                          port: peers.smtpPort,
                          from: 'FSE 2.0 <noreply@fse-engage.example.org>',
                          returnPath: 'bounces@fse-engage.example.org',
                          ratePerMinute: 60_000,
                          quietHours: null
                      }
                  }
                : {}),
            ...(peers.smsUrl
                ? {
                      sms: {
                          url: peers.smsUrl,
                          sender: 'FSE20',
                          ratePerMinute: 60_000,
                          quietHours: null
                      }
                  }
                : {}),
            push: { ratePerMinute: 60_000, quietHours: null },
            ...campaigns
        }
    };
    await writeFile(file, JSON.stringify(config, null, 2));
    return file;
}
