// Training content (`content:<dir>`) against the org emulator: created with modules linked to
// their course, unchanged run writes nothing, updated, retired (never deleted), hostile Markdown
// sanitised and invalid items rejected with reasons.
import { Writable } from 'node:stream';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../sync-worker/src/cli/main.ts';
import { startOrgEmulator, type OrgEmulator } from '../org-emulator/index.ts';
import type { Report } from '../../sync-worker/src/pipeline/report.ts';
import { callDelta, FAST } from './helpers.ts';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '..', '..');

describe('content: catalog, FAQs and pills', () => {
    let em: OrgEmulator;
    let dir: string;
    let cfg: string;
    let tmp: string;

    async function run(source: string, extra: string[] = []) {
        let out = '';
        const sink = new Writable({
            write(c, _e, cb) {
                out += c.toString();
                cb();
            }
        });
        const quiet = new Writable({
            write(_c, _e, cb) {
                cb();
            }
        });
        const code = await main(
            [
                'run',
                '--source',
                source,
                '--instance-url',
                em.instanceUrl,
                '--access-token',
                em.accessToken,
                '--config',
                cfg,
                '--json',
                ...extra
            ],
            { stdout: sink, stderr: quiet, env: {} }
        );
        return { code, report: out.trim() ? (JSON.parse(out) as Report) : undefined };
    }
    const byKey = () => new Map(em.records('LearningContent__c').map((r) => [r.ContentKey__c, r]));

    beforeAll(async () => {
        em = await startOrgEmulator({ seed: 1, bulkStepMs: 10, user: 'integration' });
        tmp = await mkdtemp(join(tmpdir(), 'fse-content-'));
        dir = join(tmp, 'content');
        await cp(join(ROOT, 'config', 'content-sample'), dir, { recursive: true });
        cfg = join(tmp, 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
    });
    afterAll(async () => {
        await em.stop();
        await rm(tmp, { recursive: true, force: true });
    });

    it('creates every item, modules linked to their course, all 9 macro-categories covered', async () => {
        const { code, report } = await run(`content:${dir}`);
        expect(code).toBe(0);
        expect(Object.keys(report!.entities)).toEqual(['content']);
        expect(report!.entities.content).toMatchObject({
            read: 28,
            valid: 28,
            created: 28,
            rejected: 0,
            failed: 0
        });
        const items = byKey();
        const types = [...items.values()].map((r) => r.Type__c);
        expect(types.filter((t) => t === 'Course')).toHaveLength(2);
        expect(types.filter((t) => t === 'FAQ')).toHaveLength(10);
        expect(types.filter((t) => t === 'Pill')).toHaveLength(5);
        expect(types.filter((t) => t === 'LiveSession')).toHaveLength(2);
        expect(new Set([...items.values()].map((r) => r.MacroCategory__c)).size).toBe(9);
        const course = items.get('fse-base')!;
        expect(items.get('fse-base-m3')!.Parent__c).toBe(course.Id);
        expect(items.get('live-fse-mmg-2025-10')).toMatchObject({
            Capacity__c: 500,
            StartsAt__c: '2025-10-15T14:00:00.000Z'
        });
        expect(String(items.get('pill-5-minuti-fse')!.Body__c)).toMatch(
            /^<h2>Il FSE 2\.0 in 5 minuti<\/h2>/
        );
    });

    it('an unchanged run writes nothing to LearningContent__c', async () => {
        const before = em.stats();
        const { code, report } = await run(`content:${dir}`);
        expect(code).toBe(0);
        expect(report!.entities.content).toMatchObject({ unchanged: 28, created: 0, updated: 0 });
        expect(callDelta(before.writes, em.stats().writes).LearningContent__c).toBeUndefined();
    });

    it('updates a changed item and retires (never deletes) items missing from the full catalog', async () => {
        const faq = join(dir, 'faq', 'faq-telemedicina.md');
        await writeFile(
            faq,
            (await readFile(faq, 'utf8')).replace('finiscono nel FSE', 'entrano nel FSE')
        );
        await unlink(join(dir, 'pills', 'pill-password-sicure.md'));
        const catalog = join(dir, 'catalog.ndjson');
        const lines = (await readFile(catalog, 'utf8')).trim().split('\n');
        await writeFile(
            catalog,
            lines.filter((l) => !l.includes('"live-fse-accoglienza-2025-11"')).join('\n') + '\n'
        );
        const { code, report } = await run(`content:${dir}`);
        expect(code).toBe(0);
        expect(report!.entities.content).toMatchObject({ updated: 1, deactivated: 2, failed: 0 });
        const items = byKey();
        expect(items.size).toBe(28);
        expect(items.get('faq-telemedicina')!.Name).toMatch(/entrano nel FSE/);
        expect(items.get('pill-password-sicure')!.Status__c).toBe('Retired');
        expect(items.get('live-fse-accoglienza-2025-11')!.Status__c).toBe('Retired');
        expect(items.get('fse-base')!.Status__c).toBe('Published');
    });

    it('sanitises hostile Markdown and rejects invalid items with reasons', async () => {
        const hostile = join(ROOT, 'test', 'fixtures', 'content-hostile');
        const { code, report } = await run(`content:${hostile}`, ['--incremental']);
        expect(code).toBe(0);
        const c = report!.entities.content!;
        expect(c.created).toBe(2); // corso-ok and pill-hostile
        expect(c.sanitized).toBe(1);
        const body = String(byKey().get('pill-hostile')!.Body__c);
        expect(body).not.toMatch(/<script|<iframe|<svg|<style/i);
        expect(body).not.toMatch(/\son[a-z]+=/i);
        expect(body).not.toMatch(/javascript:|data:text/i);
        expect(body).toContain(
            '<a href="https://www.fascicolosanitario.gov.it/">sito ufficiale</a>'
        );
        expect(body).toContain('alt="Schema del FSE"');
        const reasons = report!.rejects.map((r) => `${r.key} ${r.reason}`).join('\n');
        expect(reasons).toMatch(/modulo-orfano .*parentKey: unknown course corso-inesistente/);
        expect(reasons).toMatch(/corso-categoria .*macroCategory: unknown macro-category/);
        expect(reasons).toMatch(/live-senza-data .*startsAt: required for a live session/);
        expect(reasons).toMatch(/corso-http .*url: must be an https:\/\/ URL/);
        expect(reasons).toMatch(/catalog\.ndjson line 6 line is not valid JSON/);
        expect(reasons).toMatch(/faq-no-alt .*alternative text/);
        // an incremental run retires nothing: the sample content is still published
        expect(byKey().get('fse-base')!.Status__c).toBe('Published');
    });
});
