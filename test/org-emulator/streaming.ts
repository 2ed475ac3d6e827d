// Platform events and the Streaming API (CometD / Bayeux 1.0 over HTTP long polling), as a
// real org offers them to jsforce's streaming client (faye):
// - publishing through REST: POST /services/data/vNN.N/sobjects/{Event__e} -> 201
//   {id: "e00xx0000000001AAA", success: true, errors: [{statusCode: "OPERATION_ENQUEUED",
//   message: <EventUuid>, fields: []}]} (high-volume events are published asynchronously);
// - POST /cometd/NN.N with a JSON array of Bayeux messages: /meta/handshake, /meta/connect
//   (long polling: held until an event arrives or `timeout`), /meta/subscribe (with the replay
//   extension: -1 new events only, -2 every retained event, N events after N),
//   /meta/unsubscribe, /meta/disconnect;
// - delivered messages: {channel: "/event/X__e", data: {schema, payload: {...fields,
//   CreatedDate, CreatedById}, event: {replayId, EventUuid}}}.
// Streaming requests are not API requests (they do not count against DailyApiRequests).
import { randomUUID, randomBytes, createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { customField, type FieldDef } from './schema.ts';
import { ApiError } from './validate.ts';

export interface EventDef {
    name: string;
    fields: FieldDef[];
    byName: Map<string, FieldDef>;
    schemaId: string;
}

interface EventMessage {
    channel: string;
    data: {
        schema: string;
        payload: Record<string, unknown>;
        event: { replayId: number; EventUuid: string };
    };
}

interface BayeuxMessage {
    channel?: string;
    id?: string;
    clientId?: string;
    subscription?: string;
    ext?: { replay?: Record<string, unknown> };
}

interface Subscriber {
    id: string;
    channels: Set<string>;
    queue: EventMessage[];
    connected: boolean;
    held?: { res: http.ServerResponse; reply: unknown; timer: NodeJS.Timeout };
    lastSeen: number;
}

/** Events stay replayable for 72 hours, as high-volume platform events in an org. */
const RETENTION_MS = 72 * 3600 * 1000;

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/** Platform event definitions (`objects/*__e`) from the same metadata folder as the schema. */
export function loadEventDefs(metadataDir: string | undefined): Map<string, EventDef> {
    const defs = new Map<string, EventDef>();
    if (!metadataDir) return defs;
    const root = [join(metadataDir, 'main', 'default'), metadataDir].find((c) =>
        existsSync(join(c, 'objects'))
    );
    if (!root) return defs;
    const objectsDir = join(root, 'objects');
    for (const dir of readdirSync(objectsDir).sort()) {
        if (!dir.endsWith('__e')) continue;
        const fields: FieldDef[] = [];
        const fieldsDir = join(objectsDir, dir, 'fields');
        if (existsSync(fieldsDir)) {
            for (const file of readdirSync(fieldsDir).sort()) {
                if (!file.endsWith('.field-meta.xml')) continue;
                const doc = xml.parse(readFileSync(join(fieldsDir, file), 'utf8'))?.CustomField;
                if (!doc) continue;
                if (!doc.fullName) doc.fullName = file.replace(/\.field-meta\.xml$/, '');
                const f = customField(doc, root);
                if (f) fields.push(f);
            }
        }
        const schemaId = createHash('sha256')
            .update(dir + fields.map((f) => `${f.name}:${f.type}`).join(','))
            .digest('base64url')
            .slice(0, 22);
        defs.set(dir.toLowerCase(), {
            name: dir,
            fields,
            byName: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
            schemaId
        });
    }
    return defs;
}

export class EventBus {
    readonly defs: Map<string, EventDef>;
    /** long-poll hold time (Salesforce: 110 s) */
    connectTimeoutMs: number;
    private readonly log = new Map<string, EventMessage[]>();
    private replaySeq = 0;
    private readonly clients = new Map<string, Subscriber>();
    private readonly userId: string;
    published = 0;

    constructor(defs: Map<string, EventDef>, userId: string, connectTimeoutMs = 110_000) {
        this.defs = defs;
        this.userId = userId;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    def(name: string): EventDef | undefined {
        return this.defs.get(name.toLowerCase());
    }

    /** REST publish of one event: validates like an insert, then delivers asynchronously. */
    publish(def: EventDef, input: Record<string, unknown>): { status: number; body: unknown } {
        const payload: Record<string, unknown> = {};
        for (const f of def.fields)
            payload[f.name] = f.type === 'boolean' ? !!f.defaultValue : null;
        for (const [k, v] of Object.entries(input ?? {})) {
            if (k === 'attributes') continue;
            const f = def.byName.get(k.toLowerCase());
            if (!f)
                throw new ApiError(
                    400,
                    'INVALID_FIELD',
                    `No such column '${k}' on sobject of type ${def.name}`
                );
            if (v === null) continue;
            if (f.type === 'boolean' && typeof v !== 'boolean')
                throw new ApiError(
                    400,
                    'JSON_PARSER_ERROR',
                    `Cannot deserialize instance of boolean from ${typeof v === 'string' ? 'VALUE_STRING' : 'VALUE_NUMBER_INT'} value ${String(v)} or request may be missing a required field`
                );
            if (['string', 'textarea', 'email', 'phone', 'url', 'picklist'].includes(f.type)) {
                const text = String(v);
                if (f.length > 0 && text.length > f.length)
                    return {
                        status: 400,
                        body: [
                            {
                                message: `${f.label}: data value too large: ${text} (max length=${f.length})`,
                                errorCode: 'STRING_TOO_LONG',
                                fields: [f.name]
                            }
                        ]
                    };
                payload[f.name] = text === '' ? null : text;
            } else payload[f.name] = v;
        }
        const uuid = randomUUID();
        const now = Date.now();
        const message: EventMessage = {
            channel: `/event/${def.name}`,
            data: {
                schema: def.schemaId,
                payload: {
                    ...payload,
                    CreatedDate: new Date(now).toISOString(),
                    CreatedById: this.userId
                },
                event: { replayId: ++this.replaySeq, EventUuid: uuid }
            }
        };
        this.published++;
        const list = this.log.get(message.channel) ?? [];
        list.push(message);
        this.log.set(message.channel, list);
        // published asynchronously, as high-volume events are
        setImmediate(() => this.deliver(message));
        return {
            status: 201,
            body: {
                id: 'e00xx0000000001AAA',
                success: true,
                errors: [{ statusCode: 'OPERATION_ENQUEUED', message: uuid, fields: [] }]
            }
        };
    }

    private retained(channel: string): EventMessage[] {
        const cutoff = Date.now() - RETENTION_MS;
        return (this.log.get(channel) ?? []).filter(
            (m) => Date.parse(String(m.data.payload.CreatedDate)) >= cutoff
        );
    }

    private deliver(m: EventMessage): void {
        for (const c of this.clients.values()) {
            if (!c.channels.has(m.channel)) continue;
            c.queue.push(m);
            this.flush(c);
        }
    }

    private flush(c: Subscriber): void {
        if (!c.held || c.queue.length === 0) return;
        const { res, reply, timer } = c.held;
        clearTimeout(timer);
        c.held = undefined;
        const events = c.queue.splice(0);
        send(res, 200, [...events, reply]);
        c.lastSeen = Date.now();
    }

    /** Subscribers that did not come back for a while are dropped (Salesforce: 40 s). */
    private sweep(): void {
        const limit = Date.now() - Math.max(40_000, this.connectTimeoutMs * 2);
        for (const [id, c] of this.clients)
            if (!c.held && c.lastSeen < limit) this.clients.delete(id);
    }

    /** Closes every held connection (emulator stop). */
    close(): void {
        for (const c of this.clients.values()) {
            if (c.held) {
                clearTimeout(c.held.timer);
                c.held.res.destroy();
            }
        }
        this.clients.clear();
    }

    subscriberCount(channel?: string): number {
        let n = 0;
        for (const c of this.clients.values()) if (!channel || c.channels.has(channel)) n++;
        return n;
    }

    /** One HTTP request to /cometd/NN.N (already authenticated). */
    handle(messages: unknown, res: http.ServerResponse): void {
        this.sweep();
        const list = (Array.isArray(messages) ? messages : [messages]) as BayeuxMessage[];
        const replies: unknown[] = [];
        let hold: { c: Subscriber; reply: Record<string, unknown> } | undefined;
        for (const m of list) {
            const base = { channel: m?.channel, id: m?.id };
            const channel = String(m?.channel ?? '');
            if (channel === '/meta/handshake') {
                const id = randomBytes(16).toString('base64url');
                this.clients.set(id, {
                    id,
                    channels: new Set(),
                    queue: [],
                    connected: false,
                    lastSeen: Date.now()
                });
                replies.push({
                    ...base,
                    version: '1.0',
                    minimumVersion: '1.0',
                    supportedConnectionTypes: ['long-polling'],
                    clientId: id,
                    successful: true,
                    ext: { replay: true, 'payload.format': true },
                    advice: { reconnect: 'retry', interval: 0, timeout: this.connectTimeoutMs }
                });
                continue;
            }
            const c = this.clients.get(String(m?.clientId ?? ''));
            if (!c) {
                replies.push({
                    ...base,
                    clientId: m?.clientId,
                    successful: false,
                    error: '403::Unknown client',
                    advice: { reconnect: 'handshake', interval: 0 }
                });
                continue;
            }
            c.lastSeen = Date.now();
            if (channel === '/meta/connect') {
                const reply = {
                    ...base,
                    clientId: c.id,
                    successful: true,
                    advice: { reconnect: 'retry', interval: 0, timeout: this.connectTimeoutMs }
                };
                if (!c.connected || c.queue.length > 0 || list.length > 1) {
                    c.connected = true;
                    replies.push(...c.queue.splice(0), reply);
                } else hold = { c, reply };
            } else if (channel === '/meta/subscribe') {
                const sub = String(m?.subscription ?? '');
                const ev = /^\/event\/(\w+__e)$/.exec(sub);
                const def = ev ? this.def(ev[1]) : undefined;
                if (!def || def.name !== ev![1]) {
                    replies.push({
                        ...base,
                        clientId: c.id,
                        subscription: sub,
                        successful: false,
                        error: `400::The channel you requested to subscribe to does not exist {${sub}}`
                    });
                    continue;
                }
                const replay = m?.ext?.replay?.[sub];
                const from = replay === undefined || replay === null ? -1 : Number(replay);
                const kept = this.retained(sub);
                if (from !== -1 && from !== -2) {
                    const valid =
                        Number.isInteger(from) &&
                        from >= 0 &&
                        from <= this.replaySeq &&
                        (kept.length === 0 || from >= kept[0].data.event.replayId - 1);
                    if (!valid) {
                        replies.push({
                            ...base,
                            clientId: c.id,
                            subscription: sub,
                            successful: false,
                            error: `400::The replayId {${String(replay)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`
                        });
                        continue;
                    }
                }
                c.channels.add(sub);
                if (from === -2) c.queue.push(...kept);
                else if (from >= 0)
                    c.queue.push(...kept.filter((k) => k.data.event.replayId > from));
                replies.push({ ...base, clientId: c.id, subscription: sub, successful: true });
            } else if (channel === '/meta/unsubscribe') {
                const sub = String(m?.subscription ?? '');
                c.channels.delete(sub);
                replies.push({ ...base, clientId: c.id, subscription: sub, successful: true });
            } else if (channel === '/meta/disconnect') {
                if (c.held) {
                    clearTimeout(c.held.timer);
                    send(c.held.res, 200, [c.held.reply]);
                }
                this.clients.delete(c.id);
                replies.push({ ...base, clientId: c.id, successful: true });
            } else {
                // clients cannot publish on /event channels through CometD
                replies.push({
                    ...base,
                    clientId: c.id,
                    successful: false,
                    error: `403::Publish denied for channel ${channel}`
                });
            }
        }
        if (!hold) {
            send(res, 200, replies);
            // subscribe answers may have queued replayed events for a held connect
            for (const c of this.clients.values()) this.flush(c);
            return;
        }
        const { c, reply } = hold;
        if (c.held) {
            // a newer connect replaces the held one, which is answered now
            clearTimeout(c.held.timer);
            send(c.held.res, 200, [c.held.reply]);
        }
        const timer = setTimeout(() => {
            if (c.held?.res !== res) return;
            c.held = undefined;
            c.lastSeen = Date.now();
            send(res, 200, [...replies, reply]);
        }, this.connectTimeoutMs);
        timer.unref();
        c.held = { res, reply, timer };
        res.on('close', () => {
            if (c.held?.res === res) {
                clearTimeout(timer);
                c.held = undefined;
            }
        });
    }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, {
        'Content-Type': 'application/json;charset=UTF-8',
        'Content-Length': String(Buffer.byteLength(payload))
    });
    res.end(payload);
}

/** The Bayeux answer to a request whose session is invalid (reconnect none). */
export function authFailure(messages: unknown): Record<string, unknown>[] {
    const list = (Array.isArray(messages) ? messages : [messages]) as BayeuxMessage[];
    return list.map((m) => ({
        channel: m?.channel,
        id: m?.id,
        clientId: m?.clientId,
        successful: false,
        error: '401::Authentication invalid',
        advice: { reconnect: 'none', interval: 0 }
    }));
}
