// Issue 14, against the org emulator behaving as a real org does (docs/org-emulator.md): a Bulk
// job that fails as a whole (case 1), answers lost after the org did the work (case 2), lookups
// cleared (case 4), external ids compared without case (case 6), --reconcile against values as
// the org stores them (case 7), and the smaller ones (case 8): one token refresh at a time, a
// Bulk query page cut off by the network, consents preparation that costs what changed.
// Each test failed on the code before issue 14 (see the comment above it).
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyChanges, generateRegistry } from '../../sync-worker/src/generator/generator.ts';
import { parseConfig } from '../../sync-worker/src/config/schema.ts';
import type { Report } from '../../sync-worker/src/pipeline/report.ts';
import { startOrgEmulator, type OrgEmulator } from '../org-emulator/index.ts';
import {
    callDelta,
    cli,
    runCli,
    clientOf,
    contacts,
    engine,
    fixture,
    FAST,
    type Fixture
} from './helpers.ts';

jest.setTimeout(180_000);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function config(f: Fixture, name: string, extra: object = {}): Promise<string> {
    const file = join(f.dir, '..', `${name}.json`);
    await writeFile(file, JSON.stringify({ ...FAST, ...extra }));
    return file;
}

/** The failure groups of an entity (the report's lines an admin reads). */
const groupsOf = (report: Report, entity: string) =>
    (report.failureGroups ?? []).filter((g) => g.entity === entity);

describe('case 1: a Bulk job that fails as a whole', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(2500, 31);
    });
    afterAll(() => f.cleanup());

    // before issue 14: errorMessage never read, the file resent lockRetries times (4 jobs) and
    // every record reported UNABLE_TO_LOCK_ROW "record still locked after retries"
    it('a field the integration user cannot see: one job, one line with the cause and the count, exit 3', async () => {
        const cfg = await config(f, 'case1');
        f.em.setFaults({ hiddenFields: ['Contact.RegistryLastUpdated__c'] });
        const before = f.em.stats();
        const { code, report } = await cli(f, ['--config', cfg]);
        const after = f.em.stats();
        f.em.setFaults({});
        expect(code).toBe(3);
        expect(report!.status).toBe('Partial');
        const n = f.summary.expectedValid;
        expect(report!.entities.professionals).toMatchObject({ created: 0, failed: n });
        expect(report!.entities.organizations).toMatchObject({ created: 41, failed: 0 });
        // the upload was sent once: one job, not resent; no lock error made up
        expect(after.bulkJobs.Failed ?? 0).toBe((before.bulkJobs.Failed ?? 0) + 1);
        expect(callDelta(before.calls, after.calls)['bulk2-ingest']).toBeLessThanOrEqual(8);
        expect(JSON.stringify(report)).not.toMatch(/UNABLE_TO_LOCK_ROW/);
        // one line for the admin: the cause and how many records it stopped
        const groups = groupsOf(report!, 'professionals');
        expect(groups).toHaveLength(1);
        expect(groups[0]).toMatchObject({ errorCode: 'InvalidBatch', count: n });
        expect(groups[0].cause).toMatch(
            /^field RegistryLastUpdated__c is not visible to the integration user on Contact .*check FSE_Sync_Integration/
        );
        // and the first line of the report says it
        expect(report!.headline).toMatch(
            new RegExp(
                `^Partial: ${n} valid records failed to load — ${n} × professionals: field RegistryLastUpdated__c is not visible`
            )
        );
        expect(contacts(f)).toHaveLength(0);
        // the job is recorded on the run
        const run = f.em.records('SyncRun__c').find((r) => r.RunId__c === report!.runId)!;
        expect(String(run.BulkJobs__c)).toMatch(/^750\w{15}$/);
        expect(report!.bulkJobs).toEqual([run.BulkJobs__c]);
    });

    // before issue 14: no unprocessed rows listed, no failed rows -> every row counted created
    it('the same job when the org lists no unprocessed rows: no row is counted as loaded', async () => {
        f.em.setFaults({
            hiddenFields: ['Contact.RegistryLastUpdated__c'],
            failedJobUnprocessed: 'none'
        });
        const report = await engine(f);
        f.em.setFaults({});
        expect(report.status).toBe('Partial');
        expect(report.entities.professionals).toMatchObject({
            created: 0,
            failed: f.summary.expectedValid
        });
        expect(groupsOf(report, 'professionals')[0].errorCode).toBe('InvalidBatch');
    });

    // before issue 14: the counts were never checked, the missing rows counted as success
    it('counts that fall short: the rows without any result are flagged, never counted as loaded', async () => {
        f.em.setFaults({ bulkResultsMissing: { jobs: 10, rows: 7 } });
        const report = await engine(f, { config: { lockRetries: 0 } });
        f.em.setFaults({});
        const n = f.summary.expectedValid;
        expect(report.entities.professionals).toMatchObject({ created: n - 7, failed: 7 });
        expect(groupsOf(report, 'professionals')).toEqual([
            expect.objectContaining({ errorCode: 'NO_RESULT', count: 7 })
        ]);
        // the org did write them: the next run finds them unchanged
        const again = await engine(f);
        expect(again.entities.professionals).toMatchObject({ created: 0, failed: 0 });
    });
});

describe('an API version the org does not list', () => {
    it('is a fatal error (exit 1) that names the setting to change', async () => {
        const f = await fixture(50, 39);
        try {
            const cfg = await config(f, 'v99', { apiVersion: '99.0' });
            const { code, stderr } = await cli(f, ['--config', cfg]);
            expect(code).toBe(1);
            expect(stderr).toMatch(/404 NOT_FOUND/);
            expect(stderr).toMatch(
                /may not offer that version; set apiVersion in the configuration/
            );
            expect(f.em.records('SyncRun__c')).toHaveLength(0);
        } finally {
            await f.cleanup();
        }
    });
});

describe('case 2: answers lost after the org did the work', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(2500, 32);
    });
    afterAll(() => f.cleanup());

    // before issue 14: the close was resent, answered 409 INVALIDJOBSTATE, every row "failed"
    it('close applied and its answer lost: resolved by reading the job state; nothing reported failed', async () => {
        f.em.setFaults({ lostReplies: [{ method: 'PATCH', path: '^/jobs/ingest/[^/]+$' }] });
        const report = await engine(f);
        const stats = f.em.stats();
        f.em.setFaults({});
        expect(stats.calls['fault-lost-reply']).toBe(1);
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals).toMatchObject({
            created: f.summary.expectedValid,
            failed: 0
        });
        expect(contacts(f)).toHaveLength(f.summary.expectedValid);
    });

    // before issue 14: the create was resent blindly, leaving an Open job behind
    it('a job create whose answer is lost leaves no orphan Open job', async () => {
        await applyChanges(f.dir, { update: 40, at: new Date().toISOString() });
        f.em.setFaults({ lostReplies: [{ method: 'POST', path: '^/jobs/ingest$' }] });
        const before = f.em.stats();
        const report = await engine(f, { config: { bulkThreshold: 10 } });
        const stats = f.em.stats();
        f.em.setFaults({});
        expect(callDelta(before.calls, stats.calls)['fault-lost-reply']).toBe(1);
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals).toMatchObject({ updated: 40, failed: 0 });
        expect(stats.bulkJobs.Open).toBeUndefined();
        expect(stats.bulkJobs.Aborted).toBe(1);
    });

    // before issue 14: a job that timed out was left running and wrote after the run had
    // reported its rows failed
    it('a job not done in time is aborted: nothing is written behind the report', async () => {
        await applyChanges(f.dir, { update: 30, at: new Date().toISOString() });
        const cfg = await config(f, 'case2-timeout', {
            bulkThreshold: 10,
            jobTimeoutMs: 1000,
            lockRetries: 0
        });
        const emails = new Map(contacts(f).map((c) => [c.FiscalCode__c, c.Email]));
        f.em.setFaults({ bulkSlowMs: 2500 });
        // incremental: the org is read by key, only the load goes through a (slow) Bulk job
        const { code, report } = await cli(f, ['--config', cfg, '--incremental']);
        expect(code).toBe(3);
        expect(report!.entities.professionals).toMatchObject({ updated: 0, failed: 30 });
        await wait(6000); // past the time the job would have finished
        f.em.setFaults({});
        const stats = f.em.stats();
        expect(stats.bulkJobs.UploadComplete ?? 0).toBe(0);
        expect(stats.bulkJobs.InProgress ?? 0).toBe(0);
        // the changed e-mails were not written: the org is as the report says
        expect(contacts(f).filter((c) => emails.get(c.FiscalCode__c) !== c.Email)).toHaveLength(0);
        expect(groupsOf(report!, 'professionals')[0]).toMatchObject({
            errorCode: 'JOB_TIMEOUT',
            count: 30
        });
    });

    it('a collections upsert applied and its answer lost is sent again, counted once', async () => {
        await applyChanges(f.dir, { update: 20, at: new Date().toISOString() });
        f.em.setFaults({
            lostReplies: [{ method: 'PATCH', path: '^/composite/sobjects/Contact/FiscalCode__c$' }]
        });
        const before = f.em.stats();
        const report = await engine(f);
        const after = f.em.stats();
        f.em.setFaults({});
        expect(callDelta(before.calls, after.calls)['fault-lost-reply']).toBe(1);
        expect(report.status).toBe('Succeeded');
        // the 30 changes the timed-out job did not write, and these 20 (a subset of them)
        expect(report.entities.professionals).toMatchObject({ updated: 30, failed: 0 });
        expect(contacts(f)).toHaveLength(f.summary.expectedValid);
        expect(contacts(f).filter((c) => /\.new\d+@/.test(String(c.Email)))).toHaveLength(40);
    });
});

/** `fse-sync run` over a `content:` folder against `em`, its JSON report. */
async function runContent(
    em: OrgEmulator,
    dir: string,
    cfg: string,
    extra: string[] = []
): Promise<{ code: number; report: Report }> {
    const { code, report } = await runCli(em, `content:${dir}`, ['--config', cfg, ...extra]);
    return { code, report: report! };
}

const item = (key: string, type: string, parentKey?: string) =>
    JSON.stringify({
        key,
        type,
        ...(parentKey ? { parentKey } : {}),
        title: `Titolo ${key}`,
        macroCategory: 'Fondamenti',
        status: 'published',
        language: 'it'
    });

// Since issue 15 a professional without any role keeps its Account (its role part is rejected,
// and a rejected part never destroys a record), so the null lookup of the example is
// now met by training content: a module made a course of its own no longer has a parent.
describe('case 4: lookups cleared', () => {
    let em: OrgEmulator;
    let tmp: string;
    beforeAll(async () => {
        em = await startOrgEmulator({ seed: 1, bulkStepMs: 10, user: 'integration' });
        tmp = await mkdtemp(join(tmpdir(), 'fse-case4-'));
    });
    afterAll(async () => {
        await em.stop();
        await rm(tmp, { recursive: true, force: true });
    });

    // before issue 14: a null relationship was written '' (Bulk: leave unchanged) or left out
    // of the collections body, so the old Parent__c stayed
    it.each([
        ['Bulk API 2.0 (Parent__c #N/A)', 1],
        ['sObject Collections (Parent__c null)', 100_000]
    ])('a module made a course loses its parent: %s', async (via, bulkThreshold) => {
        const dir = join(tmp, String(bulkThreshold));
        await mkdir(dir, { recursive: true });
        const cfg = join(tmp, `${bulkThreshold}.json`);
        await writeFile(cfg, JSON.stringify({ ...FAST, bulkThreshold }));
        const course = `corso-${bulkThreshold}`;
        const module = `modulo-${bulkThreshold}`;
        await writeFile(
            join(dir, 'catalog.ndjson'),
            [item(course, 'course'), item(module, 'module', course)].join('\n') + '\n'
        );
        expect((await runContent(em, dir, cfg)).code).toBe(0);
        const byKey = () =>
            new Map(em.records('LearningContent__c').map((r) => [r.ContentKey__c, r]));
        expect(byKey().get(module)!.Parent__c).toBe(byKey().get(course)!.Id);
        await writeFile(
            join(dir, 'catalog.ndjson'),
            [item(course, 'course'), item(module, 'course')].join('\n') + '\n'
        );
        const { code, report } = await runContent(em, dir, cfg);
        expect(code).toBe(0);
        expect(report.entities.content).toMatchObject({ updated: 1, failed: 0 });
        expect(byKey().get(module)).toMatchObject({ Type__c: 'Course', Parent__c: null });
        if (via.startsWith('Bulk')) expect(em.stats().calls['bulk2-ingest']).toBeGreaterThan(0);
    });
});

describe('cases 6 and 7: content keys without case, reconcile against values as the org stores them', () => {
    let em: OrgEmulator;
    let tmp: string;
    let dir: string;
    let cfg: string;

    const run = (extra: string[] = []) => runContent(em, dir, cfg, extra);

    const course = (key: string) =>
        JSON.stringify({
            key,
            type: 'course',
            title: 'Corso di prova',
            macroCategory: 'Fondamenti',
            // not in the value set's order (FseTargetCategory: MMG, ..., Infermiere, ..., Farmacista)
            targetCategories: ['Farmacista', 'MMG', 'Infermiere'],
            status: 'published',
            language: 'it'
        }) + '\n';

    beforeAll(async () => {
        em = await startOrgEmulator({ seed: 1, bulkStepMs: 10, user: 'integration' });
        tmp = await mkdtemp(join(tmpdir(), 'fse-case67-'));
        dir = join(tmp, 'content');
        await mkdir(join(dir, 'pills'), { recursive: true });
        await writeFile(join(dir, 'catalog.ndjson'), course('Course-1'));
        // a code block: <pre> is not a tag a Rich Text Area keeps
        await writeFile(
            join(dir, 'pills', 'pill-code.md'),
            '---\nkey: pill-code\ntitle: Pillola con codice\nmacroCategory: Fondamenti\n---\n\nEsempio:\n\n```\nx = 1\n```\n'
        );
        cfg = join(tmp, 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
        const first = await run();
        expect(first.report.entities.content).toMatchObject({ created: 2, failed: 0 });
    });
    afterAll(async () => {
        await em.stop();
        await rm(tmp, { recursive: true, force: true });
    });

    // before issue 14: every --reconcile rewrote both items (multi-select order, <pre> dropped)
    it('case 7: --reconcile finds nothing to repair in values the org normalised, run after run', async () => {
        for (let i = 0; i < 2; i++) {
            const before = em.stats();
            const { code, report } = await run(['--reconcile']);
            expect(code).toBe(0);
            expect(report.entities.content).toMatchObject({ updated: 0, unchanged: 2 });
            expect(callDelta(before.calls, em.stats().calls).collections).toBeUndefined();
        }
        const [stored] = em.records('LearningContent__c').filter((r) => r.Type__c === 'Course');
        expect(stored.TargetCategories__c).toBe('MMG;Infermiere;Farmacista');
    });

    // before issue 14: "course-1" was a new record and "Course-1" retired: the course ended
    // Retired
    it('case 6: the registry respelling a key ("course-1") is the same record: no create, no retire', async () => {
        await writeFile(join(dir, 'catalog.ndjson'), course('course-1'));
        const { code, report } = await run();
        expect(code).toBe(0);
        expect(report.entities.content).toMatchObject({ created: 0, deactivated: 0, failed: 0 });
        const courses = em.records('LearningContent__c').filter((r) => r.Type__c === 'Course');
        expect(courses).toHaveLength(1);
        expect(courses[0].Status__c).toBe('Published');
        // and a reconcile after it has nothing to repair either
        const again = await run(['--reconcile']);
        expect(again.report.entities.content).toMatchObject({ updated: 0, deactivated: 0 });
    });
});

describe('case 8: one token refresh at a time, a query page cut off, consents that cost what changed', () => {
    let f: Fixture;
    beforeAll(async () => {
        f = await fixture(2500, 38);
        expect((await engine(f)).status).toBe('Succeeded');
    });
    afterAll(() => f.cleanup());

    // before issue 14: each request that met INVALID_SESSION_ID refreshed on its own (8 tokens)
    it('requests meeting an expired session together share one token refresh', async () => {
        let refreshes = 0;
        const refresh = async () => {
            refreshes++;
            await wait(30);
            return f.em.newToken();
        };
        // a token of its own, so the fixture's token is not spent by the fault
        const client = clientOf(f, parseConfig(FAST), refresh, f.em.newToken());
        f.em.setFaults({ sessionExpiresAfterCalls: 20 });
        const limits = `${client.dataPath}/limits/`;
        for (let i = 0; i < 20; i++) await client.json('GET', limits);
        expect(refreshes).toBe(0);
        // the token is spent: eight requests meet INVALID_SESSION_ID at once
        await Promise.all(Array.from({ length: 8 }, () => client.json('GET', limits)));
        f.em.setFaults({});
        expect(refreshes).toBe(1);
    });

    // before issue 14: a connection cut in the middle of a result page ended the run (exit 1)
    it('a Bulk query result page cut off by the network is read again by its locator', async () => {
        f.em.setFaults({ cutReplies: [{ method: 'GET', path: '^/jobs/query/[^/]+/results' }] });
        const report = await engine(f);
        const stats = f.em.stats();
        f.em.setFaults({});
        expect(stats.calls['fault-cut-reply']).toBe(1);
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals).toMatchObject({
            unchanged: f.summary.expectedValid,
            created: 0
        });
    });
});

describe('case 8: consents preparation costs what changed', () => {
    const KEY = 'it-subject-key-0123456789abcdef';
    let f: Fixture;
    let cfg: string;
    const run = async (extra: string[]) => {
        const { code, report } = await cli(f, ['--config', cfg, ...extra], {
            FSE_SUBJECT_HASH_KEY: KEY
        });
        return { code, report: report! };
    };
    beforeAll(async () => {
        f = await fixture(0);
        f.summary = await generateRegistry({ count: 3000, out: f.dir, seed: 5, consents: true });
        cfg = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
        expect((await run([])).code).toBe(0);
    });
    afterAll(() => f.cleanup());

    // before issue 14: every incremental run Bulk-queried every Contact and parsed every
    // Practitioner to prepare the consents
    it('an incremental run with a few changed consents reads no whole object', async () => {
        const path = join(f.dir, 'Consent.ndjson');
        const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
        const now = new Date().toISOString();
        let changed = 0;
        const out = lines.map((line) => {
            const c = JSON.parse(line);
            const valid = String(c.performer[0].reference).includes('/prac-');
            if (changed >= 5 || !valid || c.status !== 'active') return line;
            changed++;
            // an active decision turned around: OptIn <-> OptOut
            c.provision.type = c.provision.type === 'permit' ? 'deny' : 'permit';
            c.meta = { lastUpdated: now };
            return JSON.stringify(c);
        });
        await writeFile(path, out.join('\n') + '\n');
        const before = f.em.stats();
        const { code, report } = await run(['--incremental']);
        const after = f.em.stats();
        expect(code).toBe(0);
        expect(report.entities.consents).toMatchObject({ updated: 5, failed: 0 });
        const delta = callDelta(before.calls, after.calls);
        expect(delta['bulk2-query']).toBeUndefined();
        expect(after.bulkJobs).toEqual(before.bulkJobs);
    });
});
