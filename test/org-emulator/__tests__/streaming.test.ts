/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read in assertions */
// Platform events and the CometD endpoint of the org emulator, driven through jsforce's own
// streaming client (faye long polling) and raw Bayeux messages.
import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

jest.setTimeout(30_000);

const CHANNEL = '/event/SyncRequest__e';
const json = async (r: Response): Promise<any> => r.json();

describe('org emulator: platform events and Streaming API', () => {
    let em: OrgEmulator;
    beforeAll(async () => {
        em = await startOrgEmulator({ streamingTimeoutMs: 2000 });
    });
    afterAll(() => em.stop());

    const publish = (body: unknown) =>
        fetch(`${em.instanceUrl}/services/data/v62.0/sobjects/SyncRequest__e`, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${em.accessToken}`,
                'Content-Type': 'application/json'
            },
            body: JSON.stringify(body)
        });
    const bayeux = (messages: unknown, token = em.accessToken) =>
        fetch(`${em.instanceUrl}/cometd/62.0`, {
            method: 'POST',
            headers: { Authorization: `OAuth ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(messages)
        });

    function subscribe(replayId: number, onMessage: (m: any) => void) {
        const conn = new Connection({
            instanceUrl: em.instanceUrl,
            accessToken: em.accessToken,
            version: '62.0'
        });
        const client = conn.streaming.createClient([
            new StreamingExtension.Replay(CHANNEL, replayId)
        ]) as any;
        const sub = client.subscribe(CHANNEL, onMessage);
        return {
            client,
            ready: new Promise<void>((resolve, reject) => sub.then(resolve, reject))
        };
    }

    const waitFor = async (cond: () => boolean, ms = 5000) => {
        const end = Date.now() + ms;
        while (!cond()) {
            if (Date.now() > end) throw new Error('timed out');
            await new Promise((r) => setTimeout(r, 20));
        }
    };

    it('publishing through REST answers 201 with OPERATION_ENQUEUED and the event UUID', async () => {
        const res = await publish({ Mode__c: 'Full', Entities__c: 'organizations' });
        expect(res.status).toBe(201);
        const body = await json(res);
        expect(body).toMatchObject({ success: true, id: expect.stringMatching(/^e00/) });
        expect(body.errors[0]).toMatchObject({ statusCode: 'OPERATION_ENQUEUED', fields: [] });
        expect(body.errors[0].message).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses unknown fields and text too long, like an insert; events are not queryable', async () => {
        const bad = await publish({ Nope__c: 1 });
        expect(bad.status).toBe(400);
        expect((await json(bad))[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
        const long = await publish({ Mode__c: 'x'.repeat(21) });
        expect(long.status).toBe(400);
        expect((await json(long))[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG' });
        const q = await fetch(
            `${em.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM SyncRequest__e')}`,
            { headers: { Authorization: `Bearer ${em.accessToken}` } }
        );
        expect(q.status).toBe(400);
    });

    it('jsforce receives a published event with the platform event message shape', async () => {
        const got: any[] = [];
        const { client, ready } = subscribe(-1, (m) => got.push(m));
        await ready;
        const before = em.stats().apiUsage.used;
        await publish({
            Mode__c: 'Incremental',
            Entities__c: 'professionals',
            RequestedBy__c: '005000000000001AAA',
            Reconcile__c: true
        });
        await waitFor(() => got.length === 1);
        client.disconnect();
        expect(got[0]).toEqual({
            schema: expect.any(String),
            payload: {
                Mode__c: 'Incremental',
                Entities__c: 'professionals',
                RequestedBy__c: '005000000000001AAA',
                Reconcile__c: true,
                CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
                CreatedById: expect.stringMatching(/^005/)
            },
            event: { replayId: expect.any(Number), EventUuid: expect.any(String) }
        });
        // only the publish is an API request; the streaming traffic is not
        expect(em.stats().apiUsage.used - before).toBe(1);
        expect(em.stats().calls.cometd).toBeGreaterThan(2);
    });

    it('replays every retained event with -2 and the events after N with N', async () => {
        const all: any[] = [];
        const a = subscribe(-2, (m) => all.push(m));
        await a.ready;
        await waitFor(() => all.length >= 2);
        a.client.disconnect();
        const ids = all.map((m) => m.event.replayId);
        expect([...ids].sort((x, y) => x - y)).toEqual(ids);
        const after: any[] = [];
        const b = subscribe(ids[0], (m) => after.push(m));
        await b.ready;
        await waitFor(() => after.length === ids.length - 1);
        b.client.disconnect();
        expect(after.map((m) => m.event.replayId)).toEqual(ids.slice(1));
    });

    it('speaks Bayeux: handshake advice, invalid replay ids, unknown channels and clients, bad sessions', async () => {
        const [hs] = await json(
            await bayeux([
                {
                    channel: '/meta/handshake',
                    version: '1.0',
                    supportedConnectionTypes: ['long-polling'],
                    id: '1'
                }
            ])
        );
        expect(hs).toMatchObject({
            channel: '/meta/handshake',
            successful: true,
            supportedConnectionTypes: ['long-polling'],
            ext: { replay: true },
            advice: { reconnect: 'retry', timeout: 2000 }
        });
        const clientId = hs.clientId;
        const sub = async (subscription: string, replay?: number) =>
            (
                await json(
                    await bayeux([
                        {
                            channel: '/meta/subscribe',
                            clientId,
                            subscription,
                            id: '2',
                            ...(replay === undefined
                                ? {}
                                : { ext: { replay: { [subscription]: replay } } })
                        }
                    ])
                )
            )[0];
        expect(await sub('/event/Nope__e')).toMatchObject({
            successful: false,
            error: expect.stringMatching(
                /^400::The channel you requested to subscribe to does not exist/
            )
        });
        expect(await sub(CHANNEL, 999_999)).toMatchObject({
            successful: false,
            error: expect.stringMatching(/^400::The replayId \{999999\} you provided was invalid/)
        });
        expect(await sub(CHANNEL, -1)).toMatchObject({ successful: true, subscription: CHANNEL });
        // first connect answers at once, the next one is held until the timeout
        const connect = () =>
            bayeux([
                { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3' }
            ]);
        expect((await json(await connect()))[0]).toMatchObject({ successful: true });
        const t0 = Date.now();
        expect((await json(await connect()))[0]).toMatchObject({ successful: true });
        expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
        const [unknown] = await json(
            await bayeux([{ channel: '/meta/connect', clientId: 'nope', id: '4' }])
        );
        expect(unknown).toMatchObject({
            successful: false,
            error: '403::Unknown client',
            advice: { reconnect: 'handshake' }
        });
        const denied = await bayeux([{ channel: '/meta/handshake', id: '5' }], 'expired');
        expect(denied.status).toBe(401);
        expect((await json(denied))[0]).toMatchObject({
            successful: false,
            error: '401::Authentication invalid',
            advice: { reconnect: 'none' }
        });
    });
});
