// The send log in the org (SendLog__c, docs/campaigns.md "Never twice"): one record per member,
// channel and attempt, CREATED with status Sending before the message goes out — created, never
// upserted: the unique Key__c (memberId:channel:attempt) makes the create of a second claim fail
// with DUPLICATE_VALUE, so two workers, or a rerun, can never both own a send. Confirmed after
// the channel answered (Sent, Failed with reason, Unknown), by Id.
import type { SfClient } from '../salesforce/http.ts';
import { ReplyLostError } from '../salesforce/retry.ts';
import { queryByKeys, queryRows, soqlString, type BulkQueryOptions } from '../salesforce/query.ts';
import type { Channel, LogRecord } from './types.ts';

export const logKey = (memberId: string, channel: Channel, attempt: number) =>
    `${memberId}:${channel}:${attempt}`;

const LOG_FIELDS =
    'Id, Key__c, CampaignMemberId__c, Attempt__c, Status__c, Retryable__c, RunId__c, Reason__c, ProviderMessageId__c';

function recordOf(row: Record<string, string>): LogRecord {
    return {
        id: row.Id,
        key: row.Key__c ?? '',
        memberId: row.CampaignMemberId__c ?? '',
        attempt: Number(row.Attempt__c || 1),
        status: (row.Status__c || 'Sending') as LogRecord['status'],
        retryable: row.Retryable__c === 'true',
        runId: row.RunId__c ?? '',
        reason: row.Reason__c ?? '',
        messageId: row.ProviderMessageId__c ?? ''
    };
}

/** The latest attempt of every member of `campaignId` on `channel`. */
export async function readLog(
    client: SfClient,
    campaignId: string,
    channel: Channel,
    bulk: BulkQueryOptions
): Promise<Map<string, LogRecord>> {
    const latest = new Map<string, LogRecord>();
    await queryRows(
        client,
        `SELECT ${LOG_FIELDS} FROM SendLog__c WHERE Campaign__c = ${soqlString(campaignId)} AND Channel__c = ${soqlString(channel)}`,
        (row) => {
            const record = recordOf(row);
            const seen = latest.get(record.memberId);
            if (!seen || record.attempt > seen.attempt) latest.set(record.memberId, record);
        },
        bulk
    );
    return latest;
}

/** Claims made on this channel since `since` (all campaigns): what today's cap already used. */
export async function claimedSince(
    client: SfClient,
    channel: Channel,
    since: Date
): Promise<number> {
    const page = await client.json<{ totalSize?: number }>(
        'GET',
        `${client.dataPath}/query?q=${encodeURIComponent(
            `SELECT COUNT() FROM SendLog__c WHERE Channel__c = ${soqlString(channel)} AND ClaimedAt__c >= ${since.toISOString()}`
        )}`
    );
    return page?.totalSize ?? 0;
}

/** One claim to create. */
export interface Claim {
    key: string;
    memberId: string;
    contactId: string;
    attempt: number;
    tokenHash?: string;
    tokenExpiresAt?: string;
}

export type ClaimResult =
    | { key: string; id: string }
    | { key: string; taken: true }
    | { key: string; lost: true }
    | { key: string; error: string; message: string };

interface SaveResult {
    id?: string | null;
    success?: boolean;
    errors?: Array<{ statusCode?: string; message?: string }>;
}

/**
 * Creates the claims (one collections call, up to 200). A claim another run already holds fails
 * DUPLICATE_VALUE: `taken`. An answer lost on the way back is resolved by reading the keys back:
 * ours (RunId__c) are claimed, another run's are taken, absent ones were not created (`lost`: the
 * member stays pending, the next run claims it).
 */
export async function createClaims(
    client: SfClient,
    claims: readonly Claim[],
    o: { campaignId: string; channel: Channel; runId: string; at: string }
): Promise<ClaimResult[]> {
    const records = claims.map((c) => ({
        attributes: { type: 'SendLog__c' },
        Key__c: c.key,
        Campaign__c: o.campaignId,
        Contact__c: c.contactId,
        CampaignMemberId__c: c.memberId,
        Channel__c: o.channel,
        Attempt__c: c.attempt,
        Status__c: 'Sending',
        RunId__c: o.runId,
        ClaimedAt__c: o.at,
        ...(c.tokenHash ? { TokenHash__c: c.tokenHash, TokenExpiresAt__c: c.tokenExpiresAt } : {})
    }));
    let answers: SaveResult[];
    try {
        answers = await client.json<SaveResult[]>('POST', `${client.dataPath}/composite/sobjects`, {
            allOrNone: false,
            records
        });
    } catch (err) {
        if (!(err instanceof ReplyLostError)) throw err;
        return readBack(client, claims, o.runId);
    }
    return claims.map((c, i) => {
        const a = answers[i];
        if (a?.success && a.id) return { key: c.key, id: a.id };
        const code = a?.errors?.[0]?.statusCode ?? 'NO_RESULT';
        if (code === 'DUPLICATE_VALUE') return { key: c.key, taken: true };
        // refused for another reason (a field the integration user cannot write...): not sent
        return { key: c.key, error: code, message: a?.errors?.[0]?.message ?? '' };
    });
}

async function readBack(
    client: SfClient,
    claims: readonly Claim[],
    runId: string
): Promise<ClaimResult[]> {
    const found = new Map<string, { id: string; runId: string }>();
    await queryByKeys(
        client,
        'SELECT Id, Key__c, RunId__c FROM SendLog__c',
        'Key__c',
        claims.map((c) => c.key),
        (row) => found.set(row.Key__c, { id: row.Id, runId: row.RunId__c }),
        { concurrency: 1 }
    );
    return claims.map((c) => {
        const row = found.get(c.key);
        if (!row) return { key: c.key, lost: true };
        return row.runId === runId ? { key: c.key, id: row.id } : { key: c.key, taken: true };
    });
}

/** One update of the log (status and what goes with it), by Id. */
export interface LogUpdate {
    id: string;
    status: LogRecord['status'];
    reason?: string;
    retryable?: boolean;
    sentAt?: string;
    messageId?: string;
    segments?: number;
}

/** Updates log records by Id (collections, 200 a call, safe to repeat). Returns the failures. */
export async function updateLog(
    client: SfClient,
    updates: readonly LogUpdate[]
): Promise<string[]> {
    const failures: string[] = [];
    for (let i = 0; i < updates.length; i += 200) {
        const chunk = updates.slice(i, i + 200);
        const answers = await client.json<SaveResult[]>(
            'PATCH',
            `${client.dataPath}/composite/sobjects`,
            {
                allOrNone: false,
                records: chunk.map((u) => ({
                    attributes: { type: 'SendLog__c' },
                    Id: u.id,
                    Status__c: u.status,
                    ...(u.reason !== undefined ? { Reason__c: u.reason.slice(0, 255) } : {}),
                    ...(u.retryable !== undefined ? { Retryable__c: u.retryable } : {}),
                    ...(u.sentAt ? { SentAt__c: u.sentAt } : {}),
                    ...(u.messageId ? { ProviderMessageId__c: u.messageId.slice(0, 255) } : {}),
                    ...(u.segments ? { Segments__c: u.segments } : {})
                }))
            },
            { idempotent: true }
        );
        chunk.forEach((u, j) => {
            const a = answers[j];
            if (!a?.success) failures.push(`${u.id}: ${a?.errors?.[0]?.statusCode ?? 'NO_RESULT'}`);
        });
    }
    return failures;
}
