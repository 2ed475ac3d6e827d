// Runs requested from the org: an admin publishes SyncRequest__e (the adminSyncRunMonitor LWC's
// "Run now"); the scheduled worker subscribes to /event/SyncRequest__e through jsforce's
// Streaming API client (CometD long polling on /cometd/<version>) and starts the requested run.
// Replay -1: only requests published while the worker listens (a request made while no worker
// was listening is not replayed hours later). The same client listens on
// /event/CampaignSendRequest__e for the campaign sends requested from the Campaign page
// (consoleCampaignProgress's "Invia ora").
import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import type { Logger } from '../util/log.ts';

export const SYNC_REQUEST_CHANNEL = '/event/SyncRequest__e';
export const CAMPAIGN_REQUEST_CHANNEL = '/event/CampaignSendRequest__e';

export interface CampaignSendRequest {
    /** Campaign Id (or exact name) */
    campaign: string;
    /** undefined: the campaign's own channel */
    channel?: 'email' | 'sms' | 'push';
    dryRun: boolean;
    replayId: number | null;
    requestedBy: string | null;
}

interface EventEnvelope {
    payload: Record<string, unknown>;
    replayId: number | null;
    requestedBy: string | null;
}

/** The payload, replay id and requester of a platform-event message (either request event). */
function eventEnvelope(message: unknown): EventEnvelope | { error: string } {
    const m = message as {
        payload?: Record<string, unknown>;
        event?: { replayId?: number };
        data?: { payload?: Record<string, unknown>; event?: { replayId?: number } };
    };
    // faye hands listeners the message's `data`; accept the full message too
    const data = m?.data ?? m;
    const p = data?.payload;
    if (!p || typeof p !== 'object') return { error: 'event without payload' };
    return {
        payload: p,
        replayId: typeof data?.event?.replayId === 'number' ? data.event.replayId : null,
        requestedBy: typeof p.RequestedBy__c === 'string' ? p.RequestedBy__c.slice(0, 18) : null
    };
}

/** Reads a CampaignSendRequest__e message; an error when it cannot be run. */
export function parseCampaignSendRequest(
    message: unknown
): CampaignSendRequest | { error: string } {
    const envelope = eventEnvelope(message);
    if ('error' in envelope) return envelope;
    const { payload: p, replayId, requestedBy } = envelope;
    const campaign = typeof p.Campaign__c === 'string' ? p.Campaign__c.trim() : '';
    if (!campaign) return { error: 'Campaign__c is empty' };
    const rawChannel = String(p.Channel__c ?? '')
        .trim()
        .toLowerCase();
    const channel = rawChannel === 'e-mail' ? 'email' : rawChannel;
    if (channel && !['email', 'sms', 'push'].includes(channel))
        return { error: `unknown Channel__c "${String(p.Channel__c).slice(0, 20)}"` };
    return {
        campaign: campaign.slice(0, 80),
        channel: (channel || undefined) as CampaignSendRequest['channel'],
        dryRun: p.DryRun__c === true,
        replayId,
        requestedBy
    };
}

export interface SyncRequest {
    mode: 'full' | 'incremental';
    reconcile: boolean;
    /** undefined: the configured entities */
    entities?: string[];
    replayId: number | null;
    requestedBy: string | null;
}

/** Reads the event message ({data: {payload, event: {replayId}}, channel}); null if unusable. */
export function parseSyncRequest(message: unknown): SyncRequest | { error: string } {
    const envelope = eventEnvelope(message);
    if ('error' in envelope) return envelope;
    const { payload: p, replayId, requestedBy } = envelope;
    const rawMode = String(p.Mode__c ?? 'Incremental')
        .trim()
        .toLowerCase();
    if (!['full', 'incremental', 'reconcile'].includes(rawMode))
        return { error: `unknown Mode__c "${String(p.Mode__c).slice(0, 20)}"` };
    const entities = String(p.Entities__c ?? '')
        .split(/[,;]/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
    return {
        mode: rawMode === 'incremental' ? 'incremental' : 'full',
        reconcile: rawMode === 'reconcile' || p.Reconcile__c === true,
        entities: entities.length ? entities : undefined,
        replayId,
        requestedBy
    };
}

export interface RequestListener {
    close(): Promise<void>;
}

export interface ListenOptions<R = SyncRequest> {
    instanceUrl: string;
    accessToken: string;
    apiVersion: string;
    logger: Logger;
    onRequest(request: R): void;
    /** a fresh token when the session expires (sf CLI auth / JWT); absent for raw tokens */
    refresh?: () => Promise<string>;
    /** -1 new events only (default), -2 every retained event */
    replayId?: number;
    subscribeTimeoutMs?: number;
}

interface FayeClient {
    subscribe(channel: string, cb: (m: unknown) => void): PromiseLike<unknown> & { cancel(): void };
    disconnect(): PromiseLike<unknown> | undefined;
}

/** Resolves once the org acknowledged the subscription `sub`; rejects after `timeoutMs`. */
function acknowledged(
    sub: PromiseLike<unknown>,
    timeoutMs: number,
    channel: string
): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`the org did not acknowledge the ${channel} subscription`)),
            timeoutMs
        );
        sub.then(
            () => {
                clearTimeout(timer);
                resolve();
            },
            (err: unknown) => {
                clearTimeout(timer);
                reject(
                    new Error(
                        `subscription to ${channel} refused: ${(err as Error)?.message ?? String(err)}`
                    )
                );
            }
        );
    });
}

/** Tells the org (a held long poll ends); does not wait long for an answer. */
async function disconnect(client: FayeClient | undefined): Promise<void> {
    try {
        const done = client?.disconnect();
        if (done && typeof done.then === 'function') {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([
                new Promise((resolve) => done.then(resolve, resolve)),
                new Promise((resolve) => (timer = setTimeout(resolve, 2000)))
            ]);
            clearTimeout(timer);
        }
    } catch {
        /* already gone */
    }
}

/** Subscribes to SyncRequest__e; resolves once the org acknowledged the subscription. */
export function listenForSyncRequests(options: ListenOptions): Promise<RequestListener> {
    return listenForEvents(options, SYNC_REQUEST_CHANNEL, parseSyncRequest);
}

/** Subscribes to CampaignSendRequest__e; resolves once the org acknowledged the subscription. */
export function listenForCampaignSendRequests(
    options: ListenOptions<CampaignSendRequest>
): Promise<RequestListener> {
    return listenForEvents(options, CAMPAIGN_REQUEST_CHANNEL, parseCampaignSendRequest);
}

async function listenForEvents<R extends { replayId: number | null }>(
    options: ListenOptions<R>,
    channel: string,
    parse: (message: unknown) => R | { error: string }
): Promise<RequestListener> {
    const { logger } = options;
    const eventName = channel.replace('/event/', '');
    let closed = false;
    let client: FayeClient | undefined;
    let lastReplay = options.replayId ?? -1;

    /** The org said reconnect=none (session invalid): start over with a fresh token. */
    const onAuthFailure = () => {
        logger.warn({ event: 'requests-auth-failure' }, 'streaming session refused');
        const old = client;
        client = undefined;
        try {
            old?.disconnect();
        } catch {
            /* already gone */
        }
        if (closed || !options.refresh) {
            if (!options.refresh)
                logger.error(
                    { event: 'requests-stopped' },
                    `cannot listen for ${eventName} any longer: the access token expired and cannot be refreshed`
                );
            return;
        }
        options
            .refresh()
            .then((token) => connect(token))
            .catch((err) =>
                logger.error(
                    { event: 'requests-stopped', error: (err as Error)?.name },
                    `cannot resubscribe to ${eventName}`
                )
            );
    };

    const onMessage = (message: unknown) => {
        const request = parse(message);
        if ('error' in request) {
            logger.warn(
                { event: 'request-ignored', channel, reason: request.error },
                `unusable ${eventName}`
            );
            return;
        }
        if (request.replayId !== null) lastReplay = request.replayId;
        options.onRequest(request);
    };

    const connect = async (accessToken: string): Promise<void> => {
        const connection = new Connection({
            instanceUrl: options.instanceUrl,
            accessToken,
            version: options.apiVersion
        });
        const replay = new StreamingExtension.Replay(channel, lastReplay);
        const authFailure = new StreamingExtension.AuthFailure(onAuthFailure);
        const created = connection.streaming.createClient([
            authFailure,
            replay
        ]) as unknown as FayeClient;
        client = created;
        const sub = created.subscribe(channel, onMessage);
        await acknowledged(sub, options.subscribeTimeoutMs ?? 30_000, eventName);
        logger.info({ event: 'requests-listening', channel }, `listening for ${eventName}`);
    };

    await connect(options.accessToken);
    return {
        close: async () => {
            closed = true;
            const current = client;
            client = undefined;
            await disconnect(current);
        }
    };
}
