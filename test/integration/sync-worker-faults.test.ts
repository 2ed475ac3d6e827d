// The sync worker survives the org emulator's faults with nothing lost or duplicated, stops
// cleanly at its API budget, and converges after being killed with SIGKILL mid-run.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyChanges } from '../../sync-worker/src/generator/generator.ts';
import type { Faults } from '../org-emulator/index.ts';
import { cli, contacts, engine, fixture, FAST, type Fixture } from './helpers.ts';

jest.setTimeout(180_000);

/** Nothing lost (every valid record there and up to date), nothing duplicated. */
async function expectConverged(f: Fixture, extraContacts = 0): Promise<void> {
    const all = contacts(f);
    expect(all).toHaveLength(f.summary.expectedValid + extraContacts);
    expect(new Set(all.map((c) => c.FiscalCode__c)).size).toBe(all.length);
    const check = await engine(f, { dryRun: true, refresh: async () => f.em.newToken() });
    expect(check.entities.professionals).toMatchObject({
        created: 0,
        updated: 0,
        deactivated: 0,
        unchanged: f.summary.expectedValid + extraContacts
    });
    expect(check.entities.organizations).toMatchObject({ created: 0, updated: 0, unchanged: 41 });
}

const faults: Array<[string, Faults]> = [
    ['random 503s', { errorRate: 0.15 }],
    ['bursts of 500s', { errorBurst: { every: 4, length: 2, status: 500 } }],
    ['connection resets', { connectionResetRate: 0.15 }],
    ['a failed bulk job', { bulkFailJobs: 1 }],
    ['slow bulk jobs and latency', { bulkSlowMs: 300, latencyMs: [0, 30] }]
];

describe.each(faults)('fault: %s', (_name, fault) => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(2500, 3);
    });
    afterAll(() => f.cleanup());

    it('loads every valid record exactly once', async () => {
        f.em.setFaults(fault);
        const report = await engine(f);
        f.em.setFaults({});
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals).toMatchObject({
            created: f.summary.expectedValid,
            failed: 0
        });
        await expectConverged(f);
    });
});

describe('fault: expiring sessions', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(2500, 4);
    });
    afterAll(() => f.cleanup());

    it('refreshes the token on INVALID_SESSION_ID and goes on', async () => {
        f.em.setFaults({ sessionExpiresAfterCalls: 3 });
        let refreshed = 0;
        const report = await engine(f, {
            refresh: async () => {
                refreshed++;
                return f.em.newToken();
            }
        });
        f.em.setFaults({});
        expect(refreshed).toBeGreaterThan(0);
        expect(report.status).toBe('Succeeded');
        await expectConverged(f);
    });

    it('without a way to refresh, a raw access token that expires is a fatal error (exit 1)', async () => {
        f.em.setFaults({ sessionExpiresAfterCalls: 1 });
        const cfg = join(f.dir, '..', 'fast.json');
        await writeFile(cfg, JSON.stringify(FAST));
        await applyChanges(f.dir, { update: 5, at: new Date().toISOString() });
        const r = await cli(f, ['--config', cfg]);
        f.em.setFaults({});
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/INVALID_SESSION_ID/);
        expect(r.stderr).not.toContain(f.em.accessToken);
    });
});

describe('fault: locked rows', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(2500, 5);
        expect((await engine(f)).status).toBe('Succeeded');
        await applyChanges(f.dir, { update: 300, at: new Date().toISOString() });
    });
    afterAll(() => f.cleanup());

    it.each([
        ['sObject Collections', 2000],
        ['Bulk API 2.0', 100]
    ])('retries records failing with UNABLE_TO_LOCK_ROW (%s)', async (_via, bulkThreshold) => {
        f.em.setFaults({ lockRowFraction: 0.3 });
        const report = await engine(f, { config: { bulkThreshold, lockRetries: 8 } });
        f.em.setFaults({});
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals!.failed).toBe(0);
        await expectConverged(f);
    });
});

describe('API limits', () => {
    it('stops cleanly before using more than its share of the remaining daily requests (exit 3)', async () => {
        // 70 calls a day: a 20% share allows 14 (12 before the single-flight lease, which takes 2)
        const f = await fixture(2500, 6, 70);
        try {
            const cfg = join(f.dir, '..', 'fast.json');
            await writeFile(cfg, JSON.stringify({ ...FAST, bulkThreshold: 100000 }));
            const before = f.em.stats().apiUsage.used;
            const r = await cli(f, ['--config', cfg]);
            expect(r.code).toBe(3);
            expect(r.report!.status).toBe('Stopped');
            expect(f.em.stats().apiUsage.used - before).toBeLessThanOrEqual(14);
            expect(r.report!.failures.some((x) => x.errorCode === 'API_BUDGET_EXCEEDED')).toBe(
                true
            );
            // the org's own refusal also ends the run cleanly
            f.em.setFaults({ requestLimitExceeded: true });
            const r2 = await cli(f, ['--config', cfg]);
            expect(r2.code).toBe(3);
            expect(r2.report!.warnings.join(' ')).toMatch(/REQUEST_LIMIT_EXCEEDED/);
        } finally {
            await f.cleanup();
        }
    });
});

describe('SIGKILL mid-run', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(6000, 8);
    });
    afterAll(() => f.cleanup());

    it('a worker killed while loading, started again, converges to the same org state', async () => {
        const cfg = join(f.dir, '..', 'kill.json');
        await writeFile(
            cfg,
            JSON.stringify({ ...FAST, maxUploadBytes: 400_000, maxConcurrentJobs: 1 })
        );
        f.em.setFaults({ bulkSlowMs: 400 });
        const child = spawn(
            process.execPath,
            [
                join(__dirname, '../../sync-worker/bin/fse-sync.js'),
                'run',
                '--source',
                `ndjson:${f.dir}`,
                '--instance-url',
                f.em.instanceUrl,
                '--access-token',
                f.em.accessToken,
                '--config',
                cfg
            ],
            { stdio: 'ignore' }
        );
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
            child.on('exit', (_c, sig) => resolve(sig))
        );
        // wait until some Contacts are in the org, then kill
        for (let i = 0; i < 600 && (f.em.stats().records.Contact ?? 0) === 0; i++)
            await new Promise((r) => setTimeout(r, 25));
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');
        const partial = f.em.stats().records.Contact ?? 0;
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(f.summary.expectedValid);
        f.em.setFaults({});
        const report = await engine(f);
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals!.created).toBe(f.summary.expectedValid - partial);
        await expectConverged(f);
    });
});
