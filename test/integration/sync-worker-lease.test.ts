// Running the sync as an operation (issue 9): single-flight lease (refusal with exit 4, stale
// lease takeover), `fse-sync status`, and SIGTERM mid-run (nothing lost, the rerun converges).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../sync-worker/src/cli/main.ts';
import { callDelta, cli, contacts, engine, fixture, FAST, type Fixture } from './helpers.ts';

jest.setTimeout(120_000);

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

/** Another worker's lease, as it would have written it. */
async function foreignLease(
    f: Fixture,
    runId: string,
    heartbeatAgoMs: number,
    entities = 'organizations,professionals'
): Promise<void> {
    const at = new Date(Date.now() - heartbeatAgoMs).toISOString();
    const res = await api(f, 'PATCH', `/sobjects/SyncRun__c/RunId__c/${runId}`, {
        Status__c: 'Running',
        Mode__c: 'Full',
        StartedAt__c: at,
        Heartbeat__c: at,
        Entities__c: entities
    });
    expect(res.status).toBe(201);
}

const run = (f: Fixture) => f.em.records('SyncRun__c');

async function statusCli(
    f: Fixture,
    extra: string[]
): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const sink = (append: (s: string) => void) =>
        new Writable({
            write(c, _e, cb) {
                append(c.toString());
                cb();
            }
        });
    const code = await main(
        [
            'status',
            '--instance-url',
            f.em.instanceUrl,
            '--access-token',
            f.em.accessToken,
            ...extra
        ],
        { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env: {} }
    );
    return { code, out, err };
}

describe('single-flight lease', () => {
    let f: Fixture;
    let cfgFile: string;
    beforeAll(async () => {
        f = await fixture(300, 21);
        cfgFile = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfgFile, JSON.stringify({ ...FAST, leaseStaleAfterMs: 120_000 }));
    });
    afterAll(() => f.cleanup());

    it('a run refuses with exit 4 and a clear message while another live run holds the lease', async () => {
        await foreignLease(f, 'live-run-1', 5_000);
        const before = f.em.stats();
        const r = await cli(f, ['--config', cfgFile]);
        expect(r.code).toBe(4);
        expect(r.stderr).toMatch(/another sync run holds the lease .*run live-run-1/);
        expect(r.stderr).toMatch(/taken over automatically/);
        const after = f.em.stats();
        expect(after.records.Contact ?? 0).toBe(0);
        // nothing synced is written; the refused attempt is recorded (Running, then Failed)
        expect(callDelta(before.writes, after.writes)).toEqual({ SyncRun__c: 2 });
        const refused = run(f).find((x) => x.RunId__c !== 'live-run-1')!;
        expect(refused.Status__c).toBe('Failed');
        expect(JSON.parse(String(refused.Report__c)).warnings[0]).toMatch(
            /^did not start: another sync run holds the lease/
        );
        expect(run(f).find((x) => x.RunId__c === 'live-run-1')).toMatchObject({
            Status__c: 'Running'
        });
    });

    it('a run for other entities is not blocked by that lease', async () => {
        await foreignLease(f, 'content-run', 5_000, 'content');
        await api(f, 'PATCH', '/sobjects/SyncRun__c/RunId__c/live-run-1', {
            Status__c: 'Succeeded',
            FinishedAt__c: new Date().toISOString()
        });
        const r = await cli(f, ['--config', cfgFile]);
        expect(r.code).toBe(0);
        expect(contacts(f)).toHaveLength(f.summary.expectedValid);
        const mine = run(f).find((x) => x.RunId__c === r.report!.runId)!;
        expect(mine).toMatchObject({ Status__c: 'Succeeded', TakenOverFrom__c: null });
        expect(typeof mine.Heartbeat__c).toBe('string');
        await api(f, 'PATCH', '/sobjects/SyncRun__c/RunId__c/content-run', {
            Status__c: 'Succeeded'
        });
    });

    it('two runs started together: exactly one runs, the other exits 4', async () => {
        f.em.setFaults({ latencyMs: [20, 40] });
        const [a, b] = await Promise.all([
            cli(f, ['--config', cfgFile, '--reconcile']),
            cli(f, ['--config', cfgFile, '--reconcile'])
        ]);
        f.em.setFaults({});
        expect([a.code, b.code].sort()).toEqual([0, 4]);
        expect(run(f).filter((x) => x.Status__c === 'Running')).toHaveLength(0);
    });

    it('a stale lease is taken over and both runs record it', async () => {
        await foreignLease(f, 'dead-run', 10 * 60_000);
        const r = await cli(f, ['--config', cfgFile]);
        expect(r.code).toBe(0);
        expect(r.report!.warnings.join(' ')).toMatch(/took over the stale lease of run dead-run/);
        const mine = run(f).find((x) => x.RunId__c === r.report!.runId)!;
        expect(mine).toMatchObject({ Status__c: 'Succeeded', TakenOverFrom__c: 'dead-run' });
        const dead = run(f).find((x) => x.RunId__c === 'dead-run')!;
        expect(dead.Status__c).toBe('Failed');
        expect(typeof dead.FinishedAt__c).toBe('string');
        expect(JSON.parse(String(dead.Report__c)).warnings[0]).toMatch(
            /lease taken over by run .*no heartbeat since/
        );
    });

    it('the heartbeat keeps a long run alive', async () => {
        const cfg = join(f.dir, '..', 'hb.json');
        await writeFile(
            cfg,
            JSON.stringify({ ...FAST, heartbeatMs: 100, leaseStaleAfterMs: 1000 })
        );
        f.em.setFaults({ latencyMs: [60, 80] });
        const started = Date.now();
        const r = await cli(f, ['--config', cfg, '--reconcile']);
        f.em.setFaults({});
        expect(r.code).toBe(0);
        const mine = run(f).find((x) => x.RunId__c === r.report!.runId)!;
        // the heartbeat moved on after the start (a run taking longer than the stale timeout
        // would otherwise be taken over)
        expect(Date.parse(String(mine.Heartbeat__c))).toBeGreaterThan(
            Date.parse(String(mine.StartedAt__c))
        );
        expect(Date.now() - started).toBeGreaterThan(200);
    });

    it('status lists the last runs with their outcome (JSON and table)', async () => {
        await foreignLease(f, 'stuck-run', 5 * 60_000, 'organizations');
        const j = await statusCli(f, ['--json', '--limit', '20', '--config', cfgFile]);
        expect(j.code).toBe(0);
        const { runs } = JSON.parse(j.out);
        const dead = runs.find((x: { runId: string }) => x.runId === 'dead-run');
        expect(dead).toMatchObject({ status: 'Failed' });
        const taker = runs.find((x: { takenOverFrom: string }) => x.takenOverFrom === 'dead-run');
        expect(taker).toMatchObject({ status: 'Succeeded', failed: 0 });
        expect(runs.find((x: { runId: string }) => x.runId === 'stuck-run')).toMatchObject({
            status: 'Running',
            stale: true
        });
        const first = runs.find((x: { written: number }) => x.written > 0);
        expect(first.written).toBeGreaterThanOrEqual(f.summary.expectedValid);
        // newest first
        const starts = runs.map((x: { startedAt: string }) => x.startedAt);
        expect([...starts].sort().reverse()).toEqual(starts);
        const t = await statusCli(f, ['--limit', '20', '--config', cfgFile]);
        expect(t.code).toBe(0);
        const lines = t.out.trim().split('\n');
        expect(lines[0]).toMatch(/^STARTED\s+STATUS\s+MODE/);
        expect(lines).toHaveLength(runs.length + 1);
        expect((await statusCli(f, ['--limit', '2'])).out.trim().split('\n')).toHaveLength(3);
        expect(t.out).toMatch(/Running \(stale\)/);
        const bad = await statusCli(f, ['--limit', 'x']);
        expect(bad.code).toBe(2);
    });
});

describe('SIGTERM mid-run', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(6000, 9);
    });
    afterAll(() => f.cleanup());

    it('stops with the running Bulk job aborted and every row counted, records the run as Partial, and the rerun converges', async () => {
        const cfg = join(f.dir, '..', 'term.json');
        await writeFile(
            cfg,
            JSON.stringify({ ...FAST, maxUploadBytes: 300_000, maxConcurrentJobs: 1 })
        );
        f.em.setFaults({ bulkSlowMs: 300 });
        let stdout = '';
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
                cfg,
                '--json'
            ],
            { stdio: ['ignore', 'pipe', 'ignore'] }
        );
        child.stdout!.on('data', (c) => (stdout += c.toString()));
        const exited = new Promise<number | null>((resolve) =>
            child.on('exit', (code) => resolve(code))
        );
        // wait for the first professionals' bulk job, then ask the worker to stop
        for (let i = 0; i < 600; i++) {
            if ((f.em.stats().calls['bulk2-ingest'] ?? 0) > 0) break;
            await new Promise((r) => setTimeout(r, 50));
        }
        child.kill('SIGTERM');
        const code = await exited;
        f.em.setFaults({});
        expect(code).toBe(3);
        const report = JSON.parse(stdout);
        expect(report.status).toBe('Stopped');
        expect(report.warnings.join(' ')).toMatch(/stop requested \(SIGTERM\)/);
        const p = report.entities.professionals;
        // every record is accounted for: written, or reported as not sent
        const notSent = report.failures.filter(
            (x: { errorCode: string }) => x.errorCode === 'RUN_STOPPED'
        ).length;
        expect(notSent).toBeGreaterThan(0);
        expect(p.created + p.failed).toBe(f.summary.expectedValid);
        expect(contacts(f)).toHaveLength(p.created);
        const rec = f.em.records('SyncRun__c').find((x) => x.RunId__c === report.runId)!;
        expect(rec.Status__c).toBe('Partial');
        expect(rec.ProfessionalsCreated__c).toBe(p.created);
        // the watermark did not advance: the next run picks up the rest idempotently
        const again = await engine(f, { config: { heartbeatMs: 0 } });
        expect(again.status).toBe('Succeeded');
        expect(again.entities.professionals).toMatchObject({
            created: f.summary.expectedValid - p.created,
            failed: 0
        });
        const all = contacts(f);
        expect(all).toHaveLength(f.summary.expectedValid);
        expect(new Set(all.map((c) => c.FiscalCode__c)).size).toBe(all.length);
    });
});
