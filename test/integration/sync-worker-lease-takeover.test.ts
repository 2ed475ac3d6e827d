// Issue 14, case 5: the lease stops two runs whatever their clocks, a run whose lease was taken
// over stops cleanly (its Bulk job aborted, status Stopped), and a run that takes over a stale
// lease aborts the Bulk jobs the dead run left running (recorded in its SyncRun__c).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LeaseConflictError } from '../../sync-worker/src/ops/lease.ts';
import { contacts, fixture, FAST, leasedRun, spawnWorker, type Fixture } from './helpers.ts';

jest.setTimeout(120_000);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => boolean, ms = 30_000): Promise<void> {
    for (let t = 0; t < ms && !what(); t += 20) await wait(20);
    if (!what()) throw new Error('timed out waiting');
}

async function api(f: Fixture, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${f.em.instanceUrl}/services/data/v62.0${path}`, {
        method,
        headers: {
            Authorization: `Bearer ${f.em.accessToken}`,
            'Content-Type': 'application/json'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
}

/** The professionals' ingest job is closed (created, uploaded, UploadComplete): three ingest
 *  calls (a Bulk query job also starts UploadComplete, so job states alone do not tell). */
const ingestClosed = (f: Fixture) => (f.em.stats().calls['bulk2-ingest'] ?? 0) >= 3;

const running = (f: Fixture) => f.em.records('SyncRun__c').filter((r) => r.Status__c === 'Running');

describe('case 5: the lease', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(3000, 35);
    });
    afterAll(() => f.cleanup());

    // before issue 14: leases were ordered by StartedAt__c, each client's own clock: a run whose
    // clock is ahead looked like it started later, and the second run went on too
    it('competing leases are ordered by the org (CreatedDate, then Id), not by the clocks that wrote them', async () => {
        f.em.setFaults({ bulkSlowMs: 300 });
        const ahead = () => new Date(Date.now() + 30 * 60_000);
        const first = leasedRun(f, { now: ahead });
        await until(() => running(f).length === 1);
        await expect(leasedRun(f)).rejects.toBeInstanceOf(LeaseConflictError);
        const report = await first;
        f.em.setFaults({});
        expect(report.status).toBe('Succeeded');
        expect(running(f)).toHaveLength(0);
    });

    // before issue 14: heartbeat failures and lost leases were only logged; the run went on
    // loading beside the run that took over
    it('a run whose lease is taken over stops cleanly: its Bulk job aborted, status Stopped', async () => {
        f.em.reset();
        f.em.setFaults({ bulkSlowMs: 1500 });
        const before = f.em.stats();
        const run = leasedRun(f, { config: { heartbeatMs: 100, leaseStaleAfterMs: 60_000 } });
        // the professionals' job is in the org: another run takes the lease over
        await until(() => ingestClosed(f));
        const [mine] = running(f);
        const taken = await api(f, 'PATCH', `/sobjects/SyncRun__c/${mine.Id}`, {
            Status__c: 'Failed'
        });
        expect(taken.status).toBe(204);
        const report = await run;
        f.em.setFaults({});
        expect(report.status).toBe('Stopped');
        expect(report.warnings.join(' ')).toMatch(/the lease was taken over by another run/);
        const stats = f.em.stats();
        expect((stats.bulkJobs.Aborted ?? 0) - (before.bulkJobs.Aborted ?? 0)).toBe(1);
        expect(stats.bulkJobs.UploadComplete ?? 0).toBe(0);
        // nothing written behind the report: what it says was created is what the org has
        await wait(2000);
        expect(contacts(f)).toHaveLength(report.entities.professionals!.created);
        expect(report.entities.professionals!.failed).toBe(
            f.summary.expectedValid - report.entities.professionals!.created
        );
    });

    // before issue 14: the dead run's job ids were nowhere; its job went on writing after the
    // takeover
    it('a run taking over a stale lease aborts the Bulk jobs the dead run left running', async () => {
        f.em.reset();
        const cfg = join(f.dir, '..', 'dead.json');
        await writeFile(
            cfg,
            JSON.stringify({ ...FAST, heartbeatMs: 60_000, leaseStaleAfterMs: 600_000 })
        );
        f.em.setFaults({ bulkSlowMs: 4000 });
        const child = spawnWorker(f, cfg);
        const exited = new Promise((resolve) => child.on('exit', resolve));
        await until(() => ingestClosed(f));
        child.kill('SIGKILL');
        await exited;
        const [dead] = running(f);
        const jobs = String(dead.BulkJobs__c).split(',');
        expect(jobs.length).toBeGreaterThan(0);
        await wait(1200);
        f.em.setFaults({});
        const report = await leasedRun(f, { config: { leaseStaleAfterMs: 1000, heartbeatMs: 0 } });
        expect(report.status).toBe('Succeeded');
        expect(report.warnings.join(' ')).toMatch(/took over the stale lease/);
        const states = await Promise.all(
            jobs.map(async (id) => {
                const job = await (await api(f, 'GET', `/jobs/ingest/${id}`)).json();
                return (job as { state: string }).state;
            })
        );
        // none of them still running; the one the dead run had closed was aborted
        expect(states).toContain('Aborted');
        const after = f.em.records('SyncRun__c').find((r) => r.RunId__c === dead.RunId__c)!;
        expect(after.Status__c).toBe('Failed');
        expect(JSON.parse(String(after.Report__c)).warnings[0]).toMatch(
            /Bulk job\(s\) it left running were aborted/
        );
        expect(contacts(f)).toHaveLength(f.summary.expectedValid);
    });
});
