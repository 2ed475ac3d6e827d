// E-mail through the region's SMTP relay with nodemailer (a pool of connections). One message per
// member: the subject and the sanitised HTML body with the member's values escaped in, the text
// part, the unsubscribe footer, List-Unsubscribe (RFC 2369) and, with a one-click URL,
// List-Unsubscribe-Post (RFC 8058); the envelope id (DSN ENVID, RFC 3461) is the send log key, so
// a delivery status notification names the send it is about.
//
// What an error means (RFC 5321 reply codes): a 4xx reply is a refusal for now (not accepted:
// retried with backoff), a 5xx reply a permanent refusal (a bad mailbox: failed), a connection
// that never opened is not a send at all (retried). Anything else — the connection dropped or
// timed out once the message was on its way — leaves the outcome unknown: it is never sent again
// automatically (at most once: docs/campaigns.md).
import { readFileSync } from 'node:fs';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { EmailChannelConfig } from '../../config/schema.ts';
import { scrubContact } from '../../domain/mask.ts';
import type { RetryOptions } from '../../util/backoff.ts';
import { EmailBody, escapeHtml, mergeText } from '../templates.ts';
import type { SendOutcome } from '../types.ts';
import { withSendRetries } from './retry.ts';
import type { ChannelSender, Outgoing } from './types.ts';

export interface EmailContent {
    subject: string;
    body: EmailBody;
    /** the purpose as a person reads it, for the footer ("Formazione") */
    purposeLabel: string;
}

interface SmtpError {
    responseCode?: number;
    response?: string;
    code?: string;
    originalCode?: string;
    message?: string;
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** What an error of nodemailer means for the message (see the file's comment). */
export function classifySmtpError(err: unknown): SendOutcome {
    const e = err as SmtpError;
    const text = scrubContact(String(e?.response ?? e?.message ?? err)).slice(0, 200);
    if (e?.responseCode) {
        const code = `SMTP_${e.responseCode}`;
        return e.responseCode < 500
            ? {
                  kind: 'failed',
                  code,
                  reason: `the relay refused it for now: ${text}`,
                  retryable: true
              }
            : { kind: 'failed', code, reason: `the relay refused it: ${text}`, retryable: false };
    }
    if (NEVER_CONNECTED.has(e?.originalCode ?? '') || NEVER_CONNECTED.has(e?.code ?? ''))
        return {
            kind: 'failed',
            code: 'RELAY_UNREACHABLE',
            reason: `no connection to the relay: ${text}`,
            retryable: true
        };
    if (e?.code === 'EENVELOPE')
        return { kind: 'failed', code: 'INVALID_ADDRESS', reason: text, retryable: false };
    if (e?.code === 'EAUTH')
        return {
            kind: 'failed',
            code: 'SMTP_AUTH',
            reason: `the relay refused the credentials (FSE_SMTP_USER / FSE_SMTP_PASSWORD): ${text}`,
            retryable: true
        };
    return {
        kind: 'unknown',
        code: 'SMTP_NO_REPLY',
        reason: `the connection ended without the relay's answer (${e?.code ?? 'error'}): it may have been accepted`
    };
}

export function footerHtml(content: EmailContent, page: string): string {
    return `<hr><p style="font-size:12px;color:#555">Ricevi questa e-mail perché hai dato il consenso alle comunicazioni del programma FSE 2.0 per la finalità «${escapeHtml(content.purposeLabel)}». Se non vuoi più riceverle, <a href="${escapeHtml(page)}">annulla l'iscrizione</a>.</p>`;
}

export function footerText(content: EmailContent, page: string): string {
    return `\n\n--\nRicevi questa e-mail perché hai dato il consenso alle comunicazioni del programma FSE 2.0 per la finalità «${content.purposeLabel}». Per annullare l'iscrizione: ${page}\n`;
}

export class EmailSender implements ChannelSender {
    readonly batchSize = 1;
    private readonly transport: Transporter;
    private readonly config: EmailChannelConfig;
    private readonly content: EmailContent;
    private readonly retry: RetryOptions;
    private readonly signal?: AbortSignal;

    constructor(
        config: EmailChannelConfig,
        content: EmailContent,
        o: { env: NodeJS.ProcessEnv; retry: RetryOptions; signal?: AbortSignal }
    ) {
        this.config = config;
        this.content = content;
        this.retry = o.retry;
        this.signal = o.signal;
        const user = o.env.FSE_SMTP_USER;
        this.transport = nodemailer.createTransport({
            pool: true,
            host: config.host,
            port: config.port,
            secure: config.secure,
            requireTLS: config.requireTls,
            auth: user ? { user, pass: o.env.FSE_SMTP_PASSWORD ?? '' } : undefined,
            maxConnections: config.maxConnections,
            maxMessages: config.maxMessagesPerConnection,
            connectionTimeout: 30_000,
            greetingTimeout: 30_000,
            socketTimeout: 60_000,
            ...(config.dkim
                ? {
                      dkim: {
                          domainName: config.dkim.domainName,
                          keySelector: config.dkim.keySelector,
                          privateKey: readFileSync(config.dkim.privateKeyFile, 'utf8')
                      }
                  }
                : {})
        });
    }

    async verify(): Promise<void> {
        try {
            await this.transport.verify();
        } catch (err) {
            throw new Error(
                `the SMTP relay ${this.config.host}:${this.config.port} does not answer or refuses the worker (${scrubContact(String((err as Error)?.message ?? err)).slice(0, 200)}); nothing was sent`,
                { cause: err }
            );
        }
    }

    private message(m: Outgoing): SendMailOptions {
        const page = m.unsubscribe?.page ?? '';
        const subject = mergeText(this.content.subject, m.values).replace(/[\r\n]+/g, ' ');
        const envelopeFrom = this.config.returnPath ?? this.config.from;
        return {
            from: this.config.from,
            to: m.member.email,
            replyTo: this.config.replyTo,
            subject,
            text: this.content.body.text(m.values) + footerText(this.content, page),
            html: `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${this.content.body.html(m.values)}${footerHtml(this.content, page)}</body></html>`,
            headers: { 'Content-Language': 'it', ...(m.unsubscribe?.headers ?? {}) },
            envelope: { from: envelopeFrom, to: m.member.email },
            dsn: {
                id: m.key,
                return: 'headers',
                notify: ['failure', 'delay'],
                recipient: envelopeFrom
            }
        };
    }

    async send(batch: readonly Outgoing[]): Promise<SendOutcome[]> {
        return Promise.all(
            batch.map((m) =>
                withSendRetries(
                    async () => {
                        try {
                            const info = await this.transport.sendMail(this.message(m));
                            return {
                                kind: 'sent',
                                messageId: String(info.messageId ?? '')
                            } as const;
                        } catch (err) {
                            return classifySmtpError(err);
                        }
                    },
                    this.retry,
                    this.signal
                )
            )
        );
    }

    async close(): Promise<void> {
        this.transport.close();
    }
}
