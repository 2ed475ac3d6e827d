// The configuration's shape (config/sync.config.json, flags on top), validated by zod at
// start-up: unknown keys and bad values are ConfigErrors (exit 2).
import { z } from 'zod';
import type * as cronerType from 'croner';
import { lazy } from '../util/lazy.ts';
import { formatPath } from '../util/validation.ts';
import { ConfigError } from './errors.ts';

// croner only to check a configured job's cron expression, not at every start (issue 22)
const croner = lazy<typeof cronerType>('croner');

/** One scheduled job of `fse-sync schedule` (croner syntax: 5 fields, or 6 with seconds). */
export const JobSchema = z
    .object({
        name: z.string().regex(/^[\w.-]{1,40}$/, 'letters, digits, "_", "-" or "." (max 40)'),
        cron: z.string().refine((expr) => {
            try {
                new (croner().Cron)(expr, { paused: true }).stop();
                return true;
            } catch {
                return false;
            }
        }, 'not a valid cron expression'),
        timezone: z.string().optional(),
        mode: z.enum(['full', 'incremental']).default('incremental'),
        reconcile: z.boolean().default(false),
        /** entities of this job (default: the configured entities); checked like --entities */
        entities: z.array(z.string()).min(1).optional()
    })
    .strict();

export type ScheduledJob = z.infer<typeof JobSchema>;

const Share = z.number().min(0).max(1);

/** One vocabulary (docs/anagrafe-contract.md, "Vocabularies"): registry code -> picklist value. */
const VocabularySchema = z
    .object({
        /** registry code (compared case-, accent- and punctuation-insensitively) -> the
         *  picklist's API name (or label) */
        map: z.record(z.string().min(1), z.string().min(1)).optional(),
        /** the value of codes nothing matches; null: none, unknown codes are rejected */
        fallback: z.string().min(1).nullable().optional(),
        /** the coding system (channel: the extension URL) the code is read from */
        system: z.string().min(1).optional()
    })
    .strict();

const ChannelVocabularySchema = VocabularySchema.extend({
    /** channel value -> ContactPointTypeConsent.ContactPointType (null: none) */
    contactPointTypes: z.record(z.string().min(1), z.string().min(1).nullable()).optional()
}).strict();

export const VocabulariesSchema = z
    .object({
        fseRole: VocabularySchema.optional(),
        targetCategory: VocabularySchema.optional(),
        orgType: VocabularySchema.optional(),
        consentPurpose: VocabularySchema.optional(),
        channel: ChannelVocabularySchema.optional(),
        consentStatus: VocabularySchema.optional()
    })
    .strict();

/** Run health (docs/sync-worker.md, "Run health"): above these shares of rejects, Partial, exit 5. */
export const HealthSchema = z
    .object({
        /** the default share of rejected records (per entity) and parts (per entity and part) */
        maxRejectedShare: Share.default(0.05),
        /** shares are judged from this many rejects on (a whole entity or part rejected always is) */
        minRejected: z.number().int().min(1).default(10),
        /** per entity: `{"consents": 0.1}` */
        entities: z
            .partialRecord(z.enum(['organizations', 'professionals', 'consents', 'content']), Share)
            .default({}),
        /** per part: `{"professionals.roles": 0.02}` */
        parts: z
            .record(
                z.string().regex(/^[a-z]+\.[a-z]+$/, 'must look like "professionals.roles"'),
                Share
            )
            .default({})
    })
    .strict();

export type HealthConfig = z.infer<typeof HealthSchema>;

/** `HH:MM` on a 24-hour clock. */
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must look like "21:00"');

/** A URL the worker links to or calls: https, or http on this machine (tests, the demo). */
const ServiceUrl = z
    .string()
    .url()
    .refine(
        (u) =>
            /^https:\/\//i.test(u) ||
            /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(u),
        'must be an https URL (http only on 127.0.0.1 / localhost)'
    );

/** Sends of one channel: how fast, how many a day, when not, how many at once. */
const ChannelLimitsShape = {
    /** messages per minute (the relay's or gateway's agreed rate) */
    ratePerMinute: z.number().int().min(1).max(100_000),
    /** messages per day for this channel, all campaigns together (Europe/Rome days) */
    dailyCap: z.number().int().min(1),
    /** messages in flight at once */
    concurrency: z.number().int().min(1).max(50),
    /** no sends between `start` and `end` (Europe/Rome; may span midnight) */
    quietHours: z.object({ start: ClockTime, end: ClockTime }).strict().nullable()
};

/** E-mail through the region's SMTP relay (nodemailer). User and password come from the
 *  environment (FSE_SMTP_USER, FSE_SMTP_PASSWORD), never from this file. */
const EmailChannelSchema = z
    .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        /** TLS from the start (465); otherwise STARTTLS when the relay offers it */
        secure: z.boolean().default(false),
        /** refuse to send without STARTTLS (production relays) */
        requireTls: z.boolean().default(false),
        from: z.string().min(3),
        replyTo: z.string().min(3).optional(),
        /** the envelope sender (MAIL FROM): where delivery status notifications go */
        returnPath: z.string().min(3).optional(),
        /** connections kept open to the relay */
        maxConnections: z.number().int().min(1).max(50).default(5),
        /** messages per connection before it is renewed (the relay's limit) */
        maxMessagesPerConnection: z.number().int().min(1).default(100),
        /** DKIM signing by the worker (RFC 8058 one-click needs a DKIM signature covering the
         *  List-Unsubscribe headers); the relay may sign instead */
        dkim: z
            .object({
                domainName: z.string().min(1),
                keySelector: z.string().min(1),
                privateKeyFile: z.string().min(1)
            })
            .strict()
            .optional(),
        ...ChannelLimitsShape,
        ratePerMinute: ChannelLimitsShape.ratePerMinute.default(600),
        dailyCap: ChannelLimitsShape.dailyCap.default(100_000),
        concurrency: ChannelLimitsShape.concurrency.default(5),
        quietHours: ChannelLimitsShape.quietHours.default(null)
    })
    .strict();

/** SMS through one generic HTTP gateway (docs/campaigns.md, "SMS gateway contract"). The token
 *  comes from the environment (FSE_SMS_TOKEN). */
const SmsChannelSchema = z
    .object({
        url: ServiceUrl,
        /** the sender shown on the phone (alphanumeric, at most 11 characters, or a number) */
        sender: z
            .string()
            .regex(
                /^([A-Za-z0-9 ]{1,11}|\+?\d{3,15})$/,
                'at most 11 letters/digits, or a phone number'
            ),
        /** header carrying FSE_SMS_TOKEN */
        authHeader: z.string().min(1).default('Authorization'),
        /** prefix of the header value ("Bearer " by default) */
        authScheme: z.string().default('Bearer '),
        /** the gateway honours Idempotency-Key: a request whose answer was lost may be sent again */
        idempotencyKey: z.boolean().default(false),
        /** refuse texts longer than this many segments */
        maxSegments: z.number().int().min(1).max(10).default(3),
        timeoutMs: z.number().int().min(1000).default(15_000),
        ...ChannelLimitsShape,
        ratePerMinute: ChannelLimitsShape.ratePerMinute.default(300),
        dailyCap: ChannelLimitsShape.dailyCap.default(50_000),
        concurrency: ChannelLimitsShape.concurrency.default(4),
        quietHours: ChannelLimitsShape.quietHours.default({ start: '20:00', end: '09:00' })
    })
    .strict();

/** Salesforce custom notifications (REST customNotificationAction) to portal users. */
const PushChannelSchema = z
    .object({
        /** CustomNotificationType DeveloperName (force-app/main/default/notificationtypes) */
        notificationType: z.string().min(1).default('FSE_Campaign'),
        /** inputs per customNotificationAction call (one member each) */
        batchSize: z.number().int().min(1).max(200).default(50),
        ...ChannelLimitsShape,
        // an org sends at most 10,000 Android and 20,000 iOS pushes an hour (Push Notification Limits)
        ratePerMinute: ChannelLimitsShape.ratePerMinute.default(150),
        dailyCap: ChannelLimitsShape.dailyCap.default(100_000),
        concurrency: ChannelLimitsShape.concurrency.default(1),
        quietHours: ChannelLimitsShape.quietHours.default({ start: '21:00', end: '08:00' })
    })
    .strict();

/** `fse-sync campaign send` (docs/campaigns.md). */
export const CampaignsSchema = z
    .object({
        /** the portal's base URL (the {{link}} merge field, the unsubscribe page) */
        portalUrl: ServiceUrl,
        /** the guest page that honours unsubscribe tokens (default: portalUrl + /disiscrizione) */
        unsubscribePageUrl: ServiceUrl.optional(),
        /** an RFC 8058 one-click endpoint that accepts multipart/form-data (not Apex REST: docs/campaigns.md, "One click"); absent (the default): no List-Unsubscribe-Post */
        oneClickUrl: ServiceUrl.optional(),
        /** a mailto: also listed in List-Unsubscribe (a mailbox someone reads) */
        unsubscribeMailto: z.string().email().optional(),
        /** unsubscribe links stop working after this many days */
        tokenDays: z.number().int().min(1).max(3650).default(180),
        /** claims written to the send log per call, before sending (the most a crash can leave
         *  "unknown" when the local journal is lost) */
        claimBatchSize: z.number().int().min(1).max(200).default(100),
        /** local journal of sends, so a rerun on the same machine resolves what a crash left */
        stateDir: z.string().min(1).default('.fse-sync/campaigns'),
        /** stop the run when more than this share of the first sends fail (relay refusing) */
        breakerShare: z.number().gt(0).lte(1).default(0.5),
        /** ... judged from this many sends on */
        breakerMinSends: z.number().int().min(1).default(20),
        /** Campaign counts refreshed at most this often during a run (the progress bar) */
        progressEveryMs: z.number().int().min(0).default(15_000),
        email: EmailChannelSchema.optional(),
        sms: SmsChannelSchema.optional(),
        push: PushChannelSchema.prefault({})
    })
    .strict();

export type CampaignsConfig = z.infer<typeof CampaignsSchema>;
export type EmailChannelConfig = z.infer<typeof EmailChannelSchema>;
export type SmsChannelConfig = z.infer<typeof SmsChannelSchema>;
export type PushChannelConfig = z.infer<typeof PushChannelSchema>;

/** One scheduled campaign send of `fse-sync schedule`. */
export const CampaignJobSchema = z
    .object({
        name: z.string().regex(/^[\w.-]{1,40}$/, 'letters, digits, "_", "-" or "." (max 40)'),
        cron: JobSchema.shape.cron,
        timezone: z.string().optional(),
        /** campaign Id or name */
        campaign: z.string().min(1),
        channel: z.enum(['email', 'sms', 'push']).optional()
    })
    .strict();

export type CampaignJob = z.infer<typeof CampaignJobSchema>;

export const ConfigSchema = z
    .object({
        apiVersion: z
            .string()
            .regex(/^\d{2}\.0$/, 'must look like "62.0"')
            .default('62.0'),
        /** share of the org's remaining daily API requests this run may use (0 < share <= 1) */
        apiBudgetShare: z.number().gt(0).lte(1).default(0.2),
        /** Salesforce advises Bulk API 2.0 above ~2,000 records, collections below */
        bulkThreshold: z.number().int().min(1).default(2000),
        collectionSize: z.number().int().min(1).max(200).default(200),
        /** keep every Bulk upload below this many bytes (Salesforce's limit is 150 MB after base64) */
        maxUploadBytes: z
            .number()
            .int()
            .min(1024)
            .max(100 * 1024 * 1024)
            .default(100 * 1024 * 1024),
        concurrency: z.number().int().min(1).max(25).default(4),
        maxConcurrentJobs: z.number().int().min(1).max(10).default(2),
        queryPageSize: z.number().int().min(100).max(500000).default(100000),
        /** incremental runs: up to this many changed records, the org's copies are read by
         *  external id (REST queries) instead of one Bulk query of the whole object; 0: never */
        targetedReadMax: z.number().int().min(0).default(10000),
        /** incremental runs over ndjson: parse only the PractitionerRole lines of the
         *  practitioners the run processes (false: parse every role, as a full run) */
        incrementalRolePrefilter: z.boolean().default(true),
        requestTimeoutMs: z.number().int().min(1000).default(120000),
        retries: z.number().int().min(0).max(20).default(6),
        retryBaseMs: z.number().int().min(0).default(500),
        retryCapMs: z.number().int().min(0).default(30000),
        lockRetries: z.number().int().min(0).max(10).default(3),
        pollInitialMs: z.number().int().min(0).default(500),
        pollMaxMs: z.number().int().min(1).default(5000),
        jobTimeoutMs: z
            .number()
            .int()
            .min(1000)
            .default(30 * 60 * 1000),
        /** incremental runs read each entity from its watermark less this window, so a resource
         *  committed late with an older meta.lastUpdated is not skipped (re-reading is free:
         *  unchanged records are not written) */
        watermarkOverlapMs: z
            .number()
            .int()
            .min(0)
            .default(10 * 60 * 1000),
        /** refuse to cease more than this share of Active professionals in one full run */
        maxDeactivationShare: z.number().min(0).max(1).default(0.5),
        /** how many rejects/failures the report lists (all are counted) */
        maxListed: z.number().int().min(0).default(1000),
        fhirPageSize: z.number().int().min(1).max(1000).default(500),
        /** default for --entities; when absent, every entity the sources provide */
        entities: z
            .array(z.enum(['organizations', 'professionals', 'consents', 'content']))
            .min(1)
            .optional(),
        /** HMAC key of subject hashes (tombstones, Individual.SubjectKey__c); prefer the
         *  FSE_SUBJECT_HASH_KEY environment variable, which overrides it. Never logged. */
        subjectHashKey: z.string().min(16).optional(),
        writeSyncRun: z.boolean().default(true),
        /** also record runs that changed nothing (costs a write call) */
        syncRunOnNoChange: z.boolean().default(false),
        /** single-flight: hold a lease (a Running SyncRun__c with a heartbeat) during a run */
        lease: z.boolean().default(true),
        /** a lease whose heartbeat is older than this is taken over */
        leaseStaleAfterMs: z
            .number()
            .int()
            .min(1000)
            .default(10 * 60 * 1000),
        /** how often a running run refreshes SyncRun__c.Heartbeat__c (0 = never) */
        heartbeatMs: z.number().int().min(0).default(60_000),
        /** registry source for `fse-sync schedule` when --source is not given */
        source: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        /** jobs of `fse-sync schedule` */
        jobs: z.array(JobSchema).default([]),
        /** `fse-sync schedule` also starts runs requested in the org (SyncRequest__e) */
        listenForRequests: z.boolean().default(true),
        /** registry code -> Salesforce value, per coded element */
        vocabularies: VocabulariesSchema.prefault({}),
        /** where picklist values come from: auto = the repository's force-app when present,
         *  else the org's describe (run) or the bundled copy (validate) */
        picklists: z.enum(['auto', 'force-app', 'org', 'bundled']).default('auto'),
        /** force-app/main/default to read picklists from (default: the worker's checkout) */
        forceAppDir: z.string().min(1).optional(),
        /** run health thresholds */
        health: HealthSchema.prefault({}),
        /** outbound campaigns (`fse-sync campaign send`); absent: the command refuses (exit 2) */
        campaigns: CampaignsSchema.optional(),
        /** campaign sends of `fse-sync schedule` */
        campaignJobs: z.array(CampaignJobSchema).default([])
    })
    .strict();

export type SyncConfig = z.infer<typeof ConfigSchema>;

export function parseConfig(raw: unknown, origin = 'configuration'): SyncConfig {
    const r = ConfigSchema.safeParse(raw ?? {});
    if (!r.success) {
        const msg = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
        throw new ConfigError(`Invalid ${origin}: ${msg}`);
    }
    return r.data;
}

/** The retry options of every request (Salesforce and FHIR), from the configuration. */
export function retryOptions(config: SyncConfig): {
    retries: number;
    baseMs: number;
    capMs: number;
} {
    return { retries: config.retries, baseMs: config.retryBaseMs, capMs: config.retryCapMs };
}
