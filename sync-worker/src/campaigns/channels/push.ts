// Push: Salesforce custom notifications to the members' portal users, through the standard
// invocable action (Actions Developer Guide, "Custom Notification Actions":
// POST /services/data/vXX.X/actions/standard/customNotificationAction, inputs
// {customNotifTypeId, recipientIds (users, up to 500), title (up to 250 characters), body (up
// to 750), targetId or targetPageRef}; one result per input: {actionName, errors, isSuccess,
// outputValues}). They reach the Salesforce mobile app (and the site's notification bell) of a
// user who is active; an org delivers at most 10,000 Android and 20,000 iOS pushes an hour
// ("Push Notification Limits"). The integration user needs the Send Custom Notifications
// permission (FSE_Sync_Integration). One input per member (the text is personal), `batchSize`
// inputs per call; a call whose answer was lost leaves its messages unknown (the POST is not
// safe to repeat).
import { ConfigError } from '../../config/errors.ts';
import type { PushChannelConfig } from '../../config/schema.ts';
import { scrubContact } from '../../domain/mask.ts';
import type { SfClient } from '../../salesforce/http.ts';
import { queryFirstPage, soqlString } from '../../salesforce/query.ts';
import { ReplyLostError, SfHttpError } from '../../salesforce/retry.ts';
import { mergeText } from '../templates.ts';
import type { SendOutcome } from '../types.ts';
import type { ChannelSender, Outgoing } from './types.ts';

interface ActionResult {
    actionName?: string;
    errors?: Array<{ statusCode?: string; message?: string }> | null;
    isSuccess?: boolean;
    outputValues?: Record<string, unknown> | null;
}

export interface PushContent {
    title: string;
    body: string;
    /** the record the notification opens (the campaign's course), else the portal home */
    targetId?: string;
}

const HOME = JSON.stringify({ type: 'comm__namedPage', attributes: { name: 'Home' } });

/** The Id of the CustomNotificationType `developerName` (deployed from force-app). */
export async function notificationTypeId(client: SfClient, developerName: string): Promise<string> {
    const page = await queryFirstPage<{ Id: string }>(
        client,
        `SELECT Id FROM CustomNotificationType WHERE DeveloperName = ${soqlString(developerName)} LIMIT 1`
    );
    const id = page.records[0]?.Id;
    if (!id)
        throw new ConfigError(
            `no custom notification type ${developerName} in the org: deploy force-app/main/default/notificationtypes (or set campaigns.push.notificationType)`
        );
    return id;
}

export class PushSender implements ChannelSender {
    readonly batchSize: number;
    private readonly client: SfClient;
    private readonly content: PushContent;
    private readonly config: PushChannelConfig;
    private typeId = '';

    constructor(client: SfClient, config: PushChannelConfig, content: PushContent) {
        this.client = client;
        this.config = config;
        this.content = content;
        this.batchSize = config.batchSize;
    }

    async verify(): Promise<void> {
        this.typeId = await notificationTypeId(this.client, this.config.notificationType);
    }

    private input(m: Outgoing): Record<string, unknown> {
        return {
            customNotifTypeId: this.typeId,
            recipientIds: [m.userId],
            title: mergeText(this.content.title, m.values).slice(0, 250),
            body: mergeText(this.content.body, m.values).slice(0, 750),
            ...(this.content.targetId
                ? { targetId: this.content.targetId }
                : { targetPageRef: HOME })
        };
    }

    async send(batch: readonly Outgoing[]): Promise<SendOutcome[]> {
        let results: ActionResult[];
        try {
            // an answered error is authoritative (the org rolled the call back: SfClient retries
            // 5xx); a 400 carries the per-input results when some input failed
            const response = await this.client.request(
                'POST',
                `${this.client.dataPath}/actions/standard/customNotificationAction`,
                {
                    body: JSON.stringify({ inputs: batch.map((m) => this.input(m)) }),
                    okStatuses: [400]
                }
            );
            const parsed = (await response.json().catch(() => null)) as unknown;
            if (!Array.isArray(parsed)) {
                const error = (parsed as Array<{ errorCode?: string }> | null)?.[0];
                return batch.map(() => ({
                    kind: 'failed',
                    code: `PUSH_${response.status}`,
                    reason: `the org refused the call: ${scrubContact(JSON.stringify(error ?? parsed)).slice(0, 200)}`,
                    retryable: false
                }));
            }
            results = parsed as ActionResult[];
        } catch (err) {
            if (err instanceof ReplyLostError)
                return batch.map(() => ({
                    kind: 'unknown',
                    code: 'PUSH_NO_REPLY',
                    reason: 'no answer from the org: the notification may have been sent'
                }));
            if (err instanceof SfHttpError)
                return batch.map(() => ({
                    kind: 'failed',
                    code: err.errorCode,
                    reason: scrubContact(err.message).slice(0, 200),
                    retryable: err.status >= 500 || err.status === 429
                }));
            throw err;
        }
        return batch.map((_m, i): SendOutcome => {
            const r = results[i];
            if (r?.isSuccess) return { kind: 'sent', messageId: '' };
            const e = r?.errors?.[0];
            return {
                kind: 'failed',
                code: e?.statusCode ?? 'NO_RESULT',
                reason: scrubContact(e?.message ?? 'no result for this input').slice(0, 200),
                retryable: false
            };
        });
    }

    async close(): Promise<void> {}
}
