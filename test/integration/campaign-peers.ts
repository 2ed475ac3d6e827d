// Real protocol peers for the campaign tests, the demo and the benchmark: an SMTP server
// (smtp-server, the nodemailer project's) that receives every message, keeps it and counts it per
// recipient; an HTTP server standing in for the SMS gateway of docs/campaigns.md. Both can be told
// to misbehave the ways real peers do (temporary and permanent refusals, a connection dropped
// after the message, slow answers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
    from: string;
    to: string[];
    envelopeId: string | null;
    raw: Buffer;
}

export interface SmtpBehaviour {
    /** RCPT TO answered with this code and text (e.g. [550, '5.1.1 User unknown']) */
    rejectRecipient?: (address: string) => [number, string] | undefined;
    /** answer the first N messages 451 after DATA (temporary) */
    tempFailFirst?: number;
    /** ms to wait before answering a message */
    delayMs?: number;
    /** for these recipients the connection is dropped once the message arrived: no answer */
    dropAfterData?: (address: string) => boolean;
    /** keep the raw messages (tests check them; the benchmark does not) */
    keep?: boolean;
}

export interface SmtpSink {
    port: number;
    messages: ReceivedMail[];
    /** messages received by each recipient address */
    perRecipient: Map<string, number>;
    received: number;
    behaviour: SmtpBehaviour;
    /** server errors other than a client's reset connection */
    errors: string[];
    close(): Promise<void>;
}

export async function startSmtpSink(behaviour: SmtpBehaviour = {}): Promise<SmtpSink> {
    const sink: SmtpSink = {
        port: 0,
        messages: [],
        perRecipient: new Map(),
        received: 0,
        behaviour,
        errors: [],
        close: async () => undefined
    };
    let tempFails = 0;
    const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        // a relay that offers DSN (RFC 3461), so the envelope id travels
        hideDSN: false,
        logger: false,
        size: 10 * 1024 * 1024,
        onRcptTo(address, _session, callback) {
            const rejected = sink.behaviour.rejectRecipient?.(address.address);
            if (!rejected) return callback();
            const err = new Error(rejected[1]) as Error & { responseCode: number };
            err.responseCode = rejected[0];
            callback(err);
        },
        onData(stream, session: SMTPServerSession, callback) {
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('end', () => {
                const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
                const answer = () => {
                    if (to.some((a) => sink.behaviour.dropAfterData?.(a))) {
                        // the message arrived, the answer never leaves: count it, cut the line
                        record();
                        for (const c of server.connections) {
                            const conn = c as unknown as {
                                session: SMTPServerSession;
                                _socket: { destroy(): void };
                            };
                            if (conn.session.id === session.id) conn._socket.destroy();
                        }
                        return;
                    }
                    if (tempFails < (sink.behaviour.tempFailFirst ?? 0)) {
                        tempFails++;
                        const err = new Error('4.3.0 Try again later') as Error & {
                            responseCode: number;
                        };
                        err.responseCode = 451;
                        return callback(err);
                    }
                    record();
                    callback(null, 'Message queued');
                };
                const record = () => {
                    sink.received++;
                    for (const a of to)
                        sink.perRecipient.set(a, (sink.perRecipient.get(a) ?? 0) + 1);
                    if (sink.behaviour.keep !== false)
                        sink.messages.push({
                            from: session.envelope.mailFrom
                                ? session.envelope.mailFrom.address
                                : '',
                            to,
                            envelopeId: session.envelope.dsn?.envid ?? null,
                            raw: Buffer.concat(chunks)
                        });
                };
                if (sink.behaviour.delayMs) setTimeout(answer, sink.behaviour.delayMs);
                else answer();
            });
        }
    });
    // a client killed mid-conversation resets its connection (ECONNRESET): a relay carries on
    server.on('error', (err: Error & { code?: string }) => {
        if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') sink.errors.push(err.message);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    sink.port = (server.server.address() as AddressInfo).port;
    sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    return sink;
}

export interface SmsMessage {
    from: string;
    to: string;
    text: string;
    reference: string;
    idempotencyKey: string | undefined;
}

export interface SmsGateway {
    url: string;
    token: string;
    messages: SmsMessage[];
    perRecipient: Map<string, number>;
    /** answer this status (and body) to the next N requests */
    failNext: { count: number; status: number; body?: unknown };
    /** numbers refused for good (400 invalid number) */
    invalid: Set<string>;
    /** requests refused because of a wrong token */
    unauthorised: number;
    close(): Promise<void>;
}

export async function startSmsGateway(token = 'test-sms-token'): Promise<SmsGateway> {
    let n = 0;
    const gw: SmsGateway = {
        url: '',
        token,
        messages: [],
        perRecipient: new Map(),
        failNext: { count: 0, status: 503 },
        invalid: new Set(),
        unauthorised: 0,
        close: async () => undefined
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const send = (status: number, body: unknown) => {
                res.writeHead(status, { 'Content-Type': 'application/json' });
                res.end(JSON.stringify(body));
            };
            if (req.headers.authorization !== `Bearer ${gw.token}`) {
                gw.unauthorised++;
                return send(401, { error: { code: 'UNAUTHORIZED', message: 'bad token' } });
            }
            if (gw.failNext.count > 0) {
                gw.failNext.count--;
                return send(
                    gw.failNext.status,
                    gw.failNext.body ?? { error: { code: 'BUSY', message: 'try later' } }
                );
            }
            const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsMessage;
            if (gw.invalid.has(m.to))
                return send(400, {
                    error: { code: 'INVALID_NUMBER', message: `not a mobile number: ${m.to}` }
                });
            gw.messages.push({
                ...m,
                idempotencyKey: req.headers['idempotency-key'] as string | undefined
            });
            gw.perRecipient.set(m.to, (gw.perRecipient.get(m.to) ?? 0) + 1);
            send(202, { id: `sms-${++n}` });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    gw.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`;
    gw.close = () =>
        new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        });
    return gw;
}
