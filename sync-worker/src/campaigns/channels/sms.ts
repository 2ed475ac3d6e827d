// SMS through one generic HTTP gateway (docs/campaigns.md, "SMS gateway contract"):
//   POST {url}   Content-Type: application/json   {authHeader}: {authScheme}{FSE_SMS_TOKEN}
//                Idempotency-Key: <send log key>
//   {"from": sender, "to": "+393331234567", "text": "...", "reference": "<send log key>"}
//   2xx {"id": "gateway message id"}         accepted
//   429, 5xx, 408                            not accepted now: retried with backoff
//   other 4xx {"error": {"code", "message"}} refused (invalid number...): failed
// A request whose answer never came (timeout, reset once sent) leaves the outcome unknown — never
// sent again, unless the gateway honours Idempotency-Key (`idempotencyKey: true`), in which case
// the same request is repeated safely.
import type { SmsChannelConfig } from '../../config/schema.ts';
import { scrubContact } from '../../domain/mask.ts';
import type { RetryOptions } from '../../util/backoff.ts';
import { neverSent } from '../../salesforce/retry.ts';
import type { SendOutcome } from '../types.ts';
import { withSendRetries } from './retry.ts';
import type { ChannelSender, Outgoing } from './types.ts';

interface GatewayAnswer {
    id?: string;
    messageId?: string;
    error?: { code?: string; message?: string } | string;
    code?: string;
    message?: string;
}

async function answerOf(response: Response): Promise<GatewayAnswer> {
    const text = await response.text().catch(() => '');
    try {
        return (text ? JSON.parse(text) : {}) as GatewayAnswer;
    } catch {
        return { message: text.slice(0, 200) };
    }
}

/** What an HTTP answer of the gateway means for the message. */
export async function classifyGatewayAnswer(response: Response): Promise<SendOutcome> {
    const answer = await answerOf(response);
    if (response.ok) {
        const id = answer.id ?? answer.messageId;
        return { kind: 'sent', messageId: id ? String(id) : '' };
    }
    const error = typeof answer.error === 'object' ? answer.error : undefined;
    const code = `SMS_${error?.code ?? answer.code ?? response.status}`;
    const detail = scrubContact(
        String(
            error?.message ??
                (typeof answer.error === 'string' ? answer.error : (answer.message ?? ''))
        )
    ).slice(0, 200);
    const transient = response.status >= 500 || response.status === 429 || response.status === 408;
    return {
        kind: 'failed',
        code,
        reason: `the gateway answered ${response.status}${transient ? ' (not now)' : ''}: ${detail}`,
        retryable: transient
    };
}

export class SmsSender implements ChannelSender {
    readonly batchSize = 1;
    private readonly config: SmsChannelConfig;
    private readonly token: string;
    private readonly retry: RetryOptions;
    private readonly signal?: AbortSignal;

    constructor(
        config: SmsChannelConfig,
        o: { env: NodeJS.ProcessEnv; retry: RetryOptions; signal?: AbortSignal }
    ) {
        this.config = config;
        this.token = o.env.FSE_SMS_TOKEN ?? '';
        this.retry = o.retry;
        this.signal = o.signal;
    }

    async verify(): Promise<void> {
        if (!this.token)
            throw new Error('FSE_SMS_TOKEN is not set: the SMS gateway needs it; nothing was sent');
    }

    private async once(m: Outgoing): Promise<SendOutcome> {
        let response: Response;
        try {
            response = await fetch(this.config.url, {
                method: 'POST',
                headers: {
                    'Content-Type': 'application/json',
                    Accept: 'application/json',
                    [this.config.authHeader]: `${this.config.authScheme}${this.token}`,
                    'Idempotency-Key': m.key
                },
                body: JSON.stringify({
                    from: this.config.sender,
                    to: m.to,
                    text: m.text,
                    reference: m.key
                }),
                signal: AbortSignal.timeout(this.config.timeoutMs)
            });
        } catch (err) {
            if (neverSent(err))
                return {
                    kind: 'failed',
                    code: 'GATEWAY_UNREACHABLE',
                    reason: 'no connection to the SMS gateway',
                    retryable: true
                };
            if (this.config.idempotencyKey)
                return {
                    kind: 'failed',
                    code: 'SMS_NO_REPLY',
                    reason: 'no answer from the gateway (Idempotency-Key: safe to repeat)',
                    retryable: true
                };
            return {
                kind: 'unknown',
                code: 'SMS_NO_REPLY',
                reason: 'no answer from the gateway: it may have been accepted'
            };
        }
        const outcome = await classifyGatewayAnswer(response);
        return outcome.kind === 'sent' ? { ...outcome, segments: m.segments } : outcome;
    }

    async send(batch: readonly Outgoing[]): Promise<SendOutcome[]> {
        return Promise.all(
            batch.map((m) => withSendRetries(() => this.once(m), this.retry, this.signal))
        );
    }

    async close(): Promise<void> {}
}
