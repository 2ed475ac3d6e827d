// Issue 14, case 3: the watermark never skips a change. A registry time in the future is a
// reported defect, never the watermark; each entity has its own, moved only by runs that
// completed it (a run of organisations alone leaves the professionals' one); consents follow the
// registry's clock, not their CaptureDate; each entity is read back with an overlap window, so a
// resource committed late with an older time is not lost; and runs recorded before issue 14
// (SourceWatermark__c only) are read as the watermark of every registry entity.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyChanges, generateRegistry } from '../../sync-worker/src/generator/generator.ts';
import { cli, fixture, FAST, type Fixture } from './helpers.ts';

jest.setTimeout(120_000);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rewrites the lines of an NDJSON file of the registry. */
async function rewrite(
    f: Fixture,
    file: string,
    change: (resource: Record<string, any>, index: number) => Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
): Promise<void> {
    const path = join(f.dir, file);
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    await writeFile(
        path,
        lines.map((l, i) => JSON.stringify(change(JSON.parse(l), i))).join('\n') + '\n'
    );
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

describe('case 3: the watermark never skips a change', () => {
    let f: Fixture;
    let cfg: string;
    beforeAll(async () => {
        f = await fixture(400, 33);
        cfg = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
    });
    afterAll(() => f.cleanup());

    // before issue 14: the watermark became 2031 and every later incremental run ignored every
    // real change
    it('a registry time in the future is reported as a defect and never becomes the watermark', async () => {
        let poisoned = '';
        await rewrite(f, 'Practitioner.ndjson', (p, i) => {
            if (i !== 10) return p;
            poisoned = String(p.id);
            return { ...p, meta: { lastUpdated: '2031-01-01T00:00:00.000Z' } };
        });
        const full = await cli(f, ['--config', cfg]);
        expect(full.code).toBe(0);
        await applyChanges(f.dir, { update: 5, at: new Date().toISOString() });
        const next = await cli(f, ['--config', cfg, '--incremental']);
        expect(next.code).toBe(0);
        expect(next.report!.mode).toBe('incremental');
        expect(next.report!.entities.professionals).toMatchObject({ updated: 5, failed: 0 });
        // told as a defect of the registry, and the watermark never past the run's start
        expect(full.report!.warnings.join(' ')).toMatch(
            new RegExp(
                `registry defect: 1 professionals record\\(s\\) have meta\\.lastUpdated after the run's start \\(latest 2031-01-01T00:00:00\\.000Z, e\\.g\\. Practitioner/${poisoned}\\)`
            )
        );
        expect(full.report!.watermarks.professionals.current! <= full.report!.startedAt).toBe(true);
    });

    // before issue 14: one watermark for all entities; the organisations' run moved it past
    // the practitioner changes it never read
    it('a run of organisations only leaves the professionals watermark where it was', async () => {
        await applyChanges(f.dir, { update: 3, seed: 7, at: new Date().toISOString() });
        await wait(20);
        const later = new Date().toISOString();
        await rewrite(f, 'Organization.ndjson', (o) => ({ ...o, meta: { lastUpdated: later } }));
        const orgs = await cli(f, [
            '--config',
            cfg,
            '--incremental',
            '--entities',
            'organizations'
        ]);
        expect(orgs.code).toBe(0);
        const next = await cli(f, ['--config', cfg, '--incremental']);
        expect(next.code).toBe(0);
        expect(next.report!.entities.professionals).toMatchObject({ updated: 3, failed: 0 });
        expect(orgs.report!.watermarks.organizations.current).toBe(later);
    });

    // before issue 14: `_lastUpdated=gt<watermark>` exactly; a resource that commits late with an
    // older timestamp was never read
    it('a resource committed late with a time just before the watermark is read (overlap window)', async () => {
        await cli(f, ['--config', cfg, '--incremental']);
        // the professionals' watermark: the latest registry time of a practitioner (none is in
        // the future any more)
        let mark = '';
        await rewrite(f, 'Practitioner.ndjson', (p) => {
            const at = String(p.meta?.lastUpdated ?? '');
            if (at < '2030' && at > mark) mark = at;
            return p;
        });
        const late = new Date(Date.parse(mark) - 2 * 60_000).toISOString();
        await applyChanges(f.dir, { add: 1, at: late });
        const next = await cli(f, ['--config', cfg, '--incremental']);
        expect(next.code).toBe(0);
        expect(next.report!.entities.professionals).toMatchObject({ created: 1, failed: 0 });
    });

    it('a failed entity keeps its watermark; the next run reads its changes again', async () => {
        await applyChanges(f.dir, { update: 4, seed: 11, at: new Date().toISOString() });
        f.em.setFaults({ hiddenFields: ['Contact.Email'] });
        const failed = await cli(f, ['--config', cfg, '--incremental']);
        f.em.setFaults({});
        expect(failed.code).toBe(3);
        const w = failed.report!.watermarks.professionals;
        expect(w.current).toBe(w.previous);
        const next = await cli(f, ['--config', cfg, '--incremental']);
        expect(next.report!.entities.professionals).toMatchObject({ updated: 4, failed: 0 });
    });

    it('upgrade: a run recorded before issue 14 (SourceWatermark__c only) gives the entities it ran their watermark', async () => {
        // what the previous version leaves: no EntityWatermarks__c on any run
        for (const run of f.em.records('SyncRun__c'))
            expect(
                (
                    await api(f, 'PATCH', `/sobjects/SyncRun__c/${run.Id}`, {
                        EntityWatermarks__c: null
                    })
                ).status
            ).toBe(204);
        await applyChanges(f.dir, { update: 2, seed: 13, at: new Date().toISOString() });
        const next = await cli(f, ['--config', cfg, '--incremental']);
        expect(next.code).toBe(0);
        expect(next.report!.mode).toBe('incremental');
        const p = next.report!.entities.professionals!;
        expect(p).toMatchObject({ updated: 2, failed: 0 });
        // read from the old watermark, not in full
        expect(p.read).toBeLessThan(50);
        expect(Object.keys(next.report!.watermarks).sort()).toEqual([
            'organizations',
            'professionals'
        ]);
    });
});

describe('case 3: consents follow the registry clock, not CaptureDate', () => {
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
        f.summary = await generateRegistry({ count: 300, out: f.dir, seed: 6, consents: true });
        cfg = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
    });
    afterAll(() => f.cleanup());

    // before issue 14: the consents' CaptureDate (a decision dated ahead, e.g. a consent that
    // takes effect next year) moved the one watermark, and professionals' changes were skipped
    it('a consent captured with a later date does not move any watermark past the registry clock', async () => {
        await rewrite(f, 'Consent.ndjson', (c, i) =>
            i === 0 ? { ...c, dateTime: '2030-06-01T00:00:00.000Z' } : c
        );
        const full = await run([]);
        expect(full.code).toBe(0);
        await applyChanges(f.dir, { update: 3, at: new Date().toISOString() });
        const next = await run(['--incremental']);
        expect(next.code).toBe(0);
        expect(next.report.entities.professionals).toMatchObject({ updated: 3, failed: 0 });
        expect(full.report.watermarks.consents.current! <= full.report.startedAt).toBe(true);
    });
});
