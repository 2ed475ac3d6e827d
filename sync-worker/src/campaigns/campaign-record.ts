// The Campaign record of a send: found by Id or by name, with its purpose, channel, templates and
// course; and the counts the worker writes back on it (progress during the run, totals at the
// end) for the Campaign page (consoleCampaignProgress).
import { ConfigError } from '../config/errors.ts';
import type { SfClient } from '../salesforce/http.ts';
import { queryFirstPage, soqlString } from '../salesforce/query.ts';
import type { Channel } from './types.ts';

export interface CampaignRecord {
    id: string;
    name: string;
    purpose: string;
    channel: string;
    emailSubject: string;
    emailBody: string;
    smsBody: string;
    pushTitle: string;
    pushBody: string;
    courseId: string;
    courseName: string;
    summary: string;
}

interface CampaignRow {
    Id: string;
    Name?: string | null;
    Purpose__c?: string | null;
    Channel__c?: string | null;
    EmailSubject__c?: string | null;
    EmailBody__c?: string | null;
    SmsBody__c?: string | null;
    PushTitle__c?: string | null;
    PushBody__c?: string | null;
    Course__c?: string | null;
    Course__r?: { Name?: string | null } | null;
    SendSummary__c?: string | null;
}

const FIELDS =
    'Id, Name, Purpose__c, Channel__c, EmailSubject__c, EmailBody__c, SmsBody__c, PushTitle__c, PushBody__c, Course__c, Course__r.Name, SendSummary__c';

const looksLikeId = (s: string) => /^701[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(s);

/** The campaign `ref` names (an Id, else an exact name); a ConfigError when none or several. */
export async function findCampaign(client: SfClient, ref: string): Promise<CampaignRecord> {
    const where = looksLikeId(ref) ? `Id = ${soqlString(ref)}` : `Name = ${soqlString(ref)}`;
    const page = await queryFirstPage<CampaignRow>(
        client,
        `SELECT ${FIELDS} FROM Campaign WHERE ${where} LIMIT 2`
    );
    if (page.records.length === 0)
        throw new ConfigError(`no campaign with ${looksLikeId(ref) ? 'Id' : 'name'} "${ref}"`);
    if (page.records.length > 1)
        throw new ConfigError(`several campaigns are named "${ref}": give the campaign's Id`);
    const r = page.records[0];
    return {
        id: r.Id,
        name: r.Name ?? '',
        purpose: r.Purpose__c ?? '',
        channel: r.Channel__c ?? '',
        emailSubject: r.EmailSubject__c ?? '',
        emailBody: r.EmailBody__c ?? '',
        smsBody: r.SmsBody__c ?? '',
        pushTitle: r.PushTitle__c ?? '',
        pushBody: r.PushBody__c ?? '',
        courseId: r.Course__c ?? '',
        courseName: r.Course__r?.Name ?? '',
        summary: r.SendSummary__c ?? ''
    };
}

/** The counts of one channel, as SendSummary__c keeps them. */
export interface ChannelCounts {
    members: number;
    sent: number;
    failed: number;
    skipped: number;
    bounced: number;
    unknown: number;
    pending: number;
    skippedBy: Record<string, number>;
    at: string;
    status: string;
}

export type Summary = { channels: Partial<Record<Channel, ChannelCounts>> };

export function parseSummary(text: string): Summary {
    try {
        const parsed = JSON.parse(text) as Summary;
        if (parsed && typeof parsed === 'object' && parsed.channels) return parsed;
    } catch {
        /* empty or written by hand: start again */
    }
    return { channels: {} };
}

/** The Campaign fields of a summary: totals over its channels. */
export function campaignFields(
    summary: Summary,
    status: string,
    at: string
): Record<string, unknown> {
    const total = (
        k: 'members' | 'sent' | 'failed' | 'skipped' | 'bounced' | 'unknown' | 'pending'
    ) => Object.values(summary.channels).reduce((n, c) => n + (c?.[k] ?? 0), 0);
    return {
        SendTotal__c: total('members'),
        SendSent__c: total('sent'),
        SendFailed__c: total('failed'),
        SendSkipped__c: total('skipped'),
        SendBounced__c: total('bounced'),
        SendUnknown__c: total('unknown'),
        SendPending__c: total('pending'),
        LastSendStatus__c: status,
        LastSendAt__c: at,
        SendSummary__c: JSON.stringify(summary)
    };
}

/** One PATCH of the Campaign by Id (safe to repeat). */
export async function writeCampaign(
    client: SfClient,
    id: string,
    fields: Record<string, unknown>,
    essential = false
): Promise<void> {
    await client.json('PATCH', `${client.dataPath}/sobjects/Campaign/${id}`, fields, {
        idempotent: true,
        essential
    });
}
