// Delivery status notifications (RFC 3464): a multipart/report; report-type=delivery-status whose
// message/delivery-status part has per-message fields (Original-Envelope-Id: the ENVID the worker
// set, RFC 3461 — the send log key) and one block of fields per recipient (Final-Recipient,
// Action: failed | delayed | delivered | relayed | expanded, Status: 5.1.1, Diagnostic-Code), and
// usually the original headers (text/rfc822-headers or message/rfc822: the Message-ID). mailparser
// reads the message's own headers; the report parts are split here (mailparser folds
// message/delivery-status into the text).
import { simpleParser } from 'mailparser';

export interface DsnRecipient {
    finalRecipient: string;
    action: string;
    status: string;
    diagnostic: string;
}

export interface Dsn {
    /** Original-Envelope-Id: the send log key the worker gave the message */
    envelopeId?: string;
    /** Message-ID of the original message, from the returned headers */
    messageId?: string;
    recipients: DsnRecipient[];
}

interface Part {
    headers: Map<string, string>;
    body: string;
}

/** Header fields of a block (continuation lines folded), names in lower case. */
export function fields(block: string): Map<string, string> {
    const out = new Map<string, string>();
    let last = '';
    for (const line of block.split(/\r?\n/)) {
        if (/^[ \t]/.test(line) && last) {
            out.set(last, `${out.get(last)} ${line.trim()}`);
            continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        last = line.slice(0, colon).trim().toLowerCase();
        out.set(last, line.slice(colon + 1).trim());
    }
    return out;
}

function decode(body: string, encoding: string | undefined): string {
    const e = (encoding ?? '').toLowerCase();
    if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (e === 'quoted-printable')
        return body
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return body;
}

function boundaryOf(contentType: string | undefined): string | undefined {
    return /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
}

/** The parts of a multipart body (nested multiparts flattened). */
function parts(body: string, boundary: string): Part[] {
    const out: Part[] = [];
    const chunks = body.split(
        new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?$`, 'm')
    );
    for (const chunk of chunks.slice(1)) {
        const text = chunk.replace(/^\r?\n/, '');
        const split = /\r?\n\r?\n/.exec(text);
        if (!split) continue;
        const headers = fields(text.slice(0, split.index));
        const raw = text.slice(split.index + split[0].length);
        const inner = boundaryOf(headers.get('content-type'));
        if (/^multipart\//i.test(headers.get('content-type') ?? '') && inner)
            out.push(...parts(raw, inner));
        else out.push({ headers, body: decode(raw, headers.get('content-transfer-encoding')) });
    }
    return out;
}

const typeOf = (p: Part) =>
    (p.headers.get('content-type') ?? 'text/plain').split(';')[0].trim().toLowerCase();
const strip = (v: string | undefined) => (v ?? '').replace(/^[^;]*;\s*/, '').trim();

/** The DSN in `source`, or null when it is not a delivery status notification. */
export async function parseDsn(source: Buffer | string): Promise<Dsn | null> {
    const mail = await simpleParser(source);
    const ct = mail.headers.get('content-type') as
        { value?: string; params?: Record<string, string> } | undefined;
    const text = Buffer.isBuffer(source) ? source.toString('utf8') : source;
    const split = /\r?\n\r?\n/.exec(text);
    if (!split) return null;
    const boundary = ct?.params?.boundary;
    if (!boundary || !/^multipart\//i.test(ct?.value ?? '')) return null;
    const all = parts(text.slice(split.index + split[0].length), boundary);
    const status = all.find((p) => typeOf(p) === 'message/delivery-status');
    if (!status) return null;
    const blocks = status.body.split(/\r?\n[ \t]*\r?\n/).filter((b) => b.trim());
    const perMessage = fields(blocks[0] ?? '');
    const recipients = blocks.slice(1).map((b) => {
        const f = fields(b);
        return {
            finalRecipient: strip(f.get('final-recipient')),
            action: (f.get('action') ?? '').toLowerCase(),
            status: f.get('status') ?? '',
            diagnostic: strip(f.get('diagnostic-code'))
        };
    });
    const original = all.find((p) => ['text/rfc822-headers', 'message/rfc822'].includes(typeOf(p)));
    const messageId = original
        ? fields(original.body.split(/\r?\n\r?\n/)[0]).get('message-id')
        : undefined;
    return {
        envelopeId: perMessage.get('original-envelope-id')?.trim() || undefined,
        messageId,
        recipients
    };
}
