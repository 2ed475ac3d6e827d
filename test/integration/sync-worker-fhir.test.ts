// The fhir: source against a small FHIR R4 search server: Bundle paging through link next,
// _count, _lastUpdated=gt<watermark>, _id, bearer token, retries on 503.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { applyChanges } from '../../sync-worker/src/generator/generator.ts';
import { FhirSource } from '../../sync-worker/src/sources/fhir.ts';
import { contacts, engine, fixture, type Fixture } from './helpers.ts';

jest.setTimeout(120_000);

interface Server {
    url: string;
    requests: string[];
    close(): Promise<void>;
}

async function fhirServer(dir: string, token: string): Promise<Server> {
    const requests: string[] = [];
    let n = 0;
    const server = http.createServer((req, res) => {
        const url = new URL(req.url!, 'http://x');
        requests.push(url.pathname + url.search);
        if (req.headers.authorization !== `Bearer ${token}`) {
            res.writeHead(401).end();
            return;
        }
        if (++n % 7 === 0) {
            res.writeHead(503).end(); // a flaky server: the source retries
            return;
        }
        const type = url.pathname.split('/').pop()!;
        const lines = readFileSync(join(dir, `${type}.ndjson`), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l));
        const gt = url.searchParams.get('_lastUpdated')?.replace(/^gt/, '');
        const ids = url.searchParams.get('_id')?.split(',');
        const matches = lines.filter(
            (r) => (!gt || r.meta.lastUpdated > gt) && (!ids || ids.includes(r.id))
        );
        const count = Number(url.searchParams.get('_count') ?? 50);
        const offset = Number(url.searchParams.get('_offset') ?? 0);
        const next = new URL(url.toString());
        next.searchParams.set('_offset', String(offset + count));
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        res.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end(
            JSON.stringify({
                resourceType: 'Bundle',
                type: 'searchset',
                total: matches.length,
                link: [
                    { relation: 'self', url: base + url.pathname + url.search },
                    ...(offset + count < matches.length
                        ? [{ relation: 'next', url: base + next.pathname + next.search }]
                        : [])
                ],
                entry: matches
                    .slice(offset, offset + count)
                    .map((resource) => ({ resource, search: { mode: 'match' } }))
            })
        );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
        requests,
        close: () => new Promise((r) => server.close(() => r()))
    };
}

describe('fhir: source', () => {
    let f: Fixture;
    let srv: Server;
    const source = () =>
        new FhirSource(srv.url, {
            token: 'registry-token',
            pageSize: 200,
            retry: { retries: 5, baseMs: 1, capMs: 5 },
            timeoutMs: 5000
        });
    beforeAll(async () => {
        f = await fixture(1500, 11);
        srv = await fhirServer(f.dir, 'registry-token');
    });
    afterAll(async () => {
        await srv.close();
        await f.cleanup();
    });

    it('pages through Bundles with _count and link next, retrying a flaky server', async () => {
        const report = await engine(f, { source: source() });
        expect(report.status).toBe('Succeeded');
        expect(report.source).toBe(`fhir:${srv.url}`);
        expect(report.entities.professionals).toMatchObject({
            read: 1500,
            created: f.summary.expectedValid
        });
        expect(contacts(f)).toHaveLength(f.summary.expectedValid);
        expect(
            srv.requests.filter((r) => r.startsWith('/fhir/Practitioner?')).length
        ).toBeGreaterThanOrEqual(8);
        expect(srv.requests.every((r) => /_count=200/.test(r))).toBe(true);
    });

    it('asks only for resources updated after the watermark in an incremental run', async () => {
        srv.requests.length = 0;
        await applyChanges(f.dir, { update: 4, add: 2, at: new Date().toISOString() });
        const report = await engine(f, { source: source(), mode: 'incremental' });
        expect(report.mode).toBe('incremental');
        // issue 14: the search starts 10 minutes before the watermark (watermarkOverlapMs), so a
        // resource committed late with an older time is not lost; what it re-reads is unchanged
        const p = report.entities.professionals!;
        expect(p).toMatchObject({ created: 2, updated: 4 });
        expect(p.read - p.unchanged).toBe(6);
        const wm = report.watermarks.professionals.previous!;
        const since = new Date(Date.parse(wm) - 10 * 60_000).toISOString();
        expect(
            srv.requests.some((r) => r.includes(`_lastUpdated=gt${encodeURIComponent(since)}`))
        ).toBe(true);
    });
});
