// `fse-sync schedule` against the org emulator: a cron job fires and runs the sync, a
// SyncRequest__e published in the org starts the requested run, and a stop request ends the
// scheduler cleanly.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
    contacts,
    fixture,
    FAST,
    startScheduler as startSchedule,
    waitFor,
    type Fixture
} from './helpers.ts';

const startScheduler = (f: Fixture, cfgFile: string, extra: string[] = []) =>
    startSchedule({ source: `ndjson:${f.dir}`, em: f.em, cfgFile, extra });

jest.setTimeout(60_000);

describe('fse-sync schedule', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(200, 31);
    });
    afterAll(() => f.cleanup());

    it('runs a job when its cron expression fires, logs JSON, and stops on request', async () => {
        const cfg = join(f.dir, '..', 'cron.json');
        await writeFile(
            cfg,
            JSON.stringify({
                ...FAST,
                listenForRequests: false,
                jobs: [{ name: 'every-second', cron: '* * * * * *', mode: 'full' }]
            })
        );
        const s = startScheduler(f, cfg);
        await waitFor(() => f.em.records('SyncRun__c').some((r) => r.Status__c === 'Succeeded'));
        expect(await s.stop()).toBe(0);
        expect(contacts(f)).toHaveLength(f.summary.expectedValid);
        const logs = s.logs();
        const start = logs.find((l) => l.event === 'schedule-start')!;
        expect(start.jobs).toEqual([
            expect.objectContaining({ name: 'every-second', next: expect.any(String) })
        ]);
        expect(logs.find((l) => l.event === 'job-finish')).toMatchObject({
            job: 'every-second',
            trigger: 'schedule',
            code: 0,
            status: 'Succeeded'
        });
        expect(logs.some((l) => l.event === 'schedule-stopped')).toBe(true);
        // no run is left holding the lease
        expect(f.em.records('SyncRun__c').filter((r) => r.Status__c === 'Running')).toHaveLength(0);
        // logs carry counts and events, never personal data
        const text = JSON.stringify(logs);
        expect(text).not.toMatch(/@example\.org/);
        for (const c of contacts(f).slice(0, 50))
            expect(text).not.toContain(String(c.FiscalCode__c));
    });

    it('a SyncRequest__e published in the org starts the requested run', async () => {
        const cfg = join(f.dir, '..', 'listen.json');
        await writeFile(cfg, JSON.stringify({ ...FAST, jobs: [] }));
        const s = startScheduler(f, cfg);
        await waitFor(() => s.logs().some((l) => l.event === 'schedule-start'));
        expect(f.em.org.events.subscriberCount('/event/SyncRequest__e')).toBe(1);
        const runsBefore = f.em.records('SyncRun__c').length;
        const res = await fetch(`${f.em.instanceUrl}/services/data/v62.0/sobjects/SyncRequest__e`, {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${f.em.accessToken}`,
                'Content-Type': 'application/json'
            },
            body: JSON.stringify({
                Mode__c: 'Reconcile',
                Entities__c: 'organizations',
                RequestedBy__c: '005000000000001AAA'
            })
        });
        expect(res.status).toBe(201);
        await waitFor(() => s.logs().some((l) => l.event === 'job-finish'));
        expect(await s.stop()).toBe(0);
        const logs = s.logs();
        expect(logs.find((l) => l.event === 'request-received')).toMatchObject({
            mode: 'full',
            reconcile: true,
            entities: ['organizations']
        });
        expect(logs.find((l) => l.event === 'job-finish')).toMatchObject({
            trigger: 'request',
            code: 0
        });
        const runs = f.em.records('SyncRun__c');
        expect(runs).toHaveLength(runsBefore + 1);
        const run = runs.find((r) => r.Mode__c === 'Reconcile')!;
        expect(run).toMatchObject({ Status__c: 'Succeeded', Entities__c: 'organizations' });
        expect(f.em.org.events.subscriberCount('/event/SyncRequest__e')).toBe(0);
    });

    it('refuses a configuration with a bad cron expression (exit 2)', async () => {
        const cfg = join(f.dir, '..', 'bad.json');
        await writeFile(cfg, JSON.stringify({ jobs: [{ name: 'x', cron: 'every hour' }] }));
        const s = startScheduler(f, cfg);
        expect(await s.stop()).toBe(2);
    });
});
