// Which requests SfClient sends again (issue 14): an answer is authoritative (the org rolled the
// request back), so an answered 503 is retried whatever the method; a missing answer is retried
// only for GET/PUT/DELETE or a step marked safe (an upsert by external id); a POST or PATCH
// whose answer was lost is a ReplyLostError for the caller to resolve by reading the state.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiBudget } from '../../src/salesforce/budget.ts';
import { SfClient } from '../../src/salesforce/http.ts';
import { ReplyLostError } from '../../src/salesforce/retry.ts';

let server: http.Server;
let url = '';
/** what the next requests meet: 'drop' (no answer), 'busy' (503), or an answer */
let script: Array<'drop' | 'busy' | 'ok'> = [];
let seen = 0;

beforeAll(async () => {
    server = http.createServer((req, res) => {
        seen++;
        req.resume();
        const step = script.shift() ?? 'ok';
        if (step === 'drop') return req.socket.destroy();
        if (step === 'busy') {
            res.writeHead(503, { 'Content-Type': 'application/json' });
            return res.end('[{"errorCode":"SERVER_UNAVAILABLE","message":"busy"}]');
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
    seen = 0;
    script = [];
});

const client = () =>
    new SfClient({
        instanceUrl: url,
        accessToken: 't',
        apiVersion: '62.0',
        budget: new ApiBudget(1),
        retry: { retries: 3, baseMs: 0, capMs: 0 },
        timeoutMs: 5000
    });

describe('SfClient retries by idempotency', () => {
    it('a POST whose answer is lost is not sent again: ReplyLostError', async () => {
        script = ['drop'];
        await expect(client().json('POST', '/jobs/ingest', {})).rejects.toBeInstanceOf(
            ReplyLostError
        );
        expect(seen).toBe(1);
    });
    it('a PATCH upsert by external id marked safe is sent again', async () => {
        script = ['drop'];
        await expect(
            client().json(
                'PATCH',
                '/composite/sobjects/Contact/FiscalCode__c',
                {},
                { idempotent: true }
            )
        ).resolves.toEqual({ ok: true });
        expect(seen).toBe(2);
    });
    it('a GET whose answer is lost is sent again', async () => {
        script = ['drop', 'drop'];
        await expect(client().json('GET', '/limits')).resolves.toEqual({ ok: true });
        expect(seen).toBe(3);
    });
    it('an answered 503 is sent again, even a POST (the org rolled it back)', async () => {
        script = ['busy'];
        await expect(client().json('POST', '/jobs/ingest', {})).resolves.toEqual({ ok: true });
        expect(seen).toBe(2);
    });
});
