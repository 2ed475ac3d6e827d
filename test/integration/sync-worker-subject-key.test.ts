// Issue 21, the worker side of the subject-key contract (docs/privacy.md, "Subject key: worker
// side") against the org emulator enforcing object, field and record access: the worker runs as
// the integration user (FSE_Sync_Integration only); the tombstones are the privacy officer's (the
// erasure batch runs as the approving officer, who owns them); Contacts made in the org belong to
// other users. The key is the test-vector key of docs/privacy.md, so the fingerprint expected
// here is the one of its table.
import { applyChanges } from '../../sync-worker/src/generator/generator.ts';
import { checkCharacter } from '../../sync-worker/src/domain/fiscal-code.ts';
import { subjectHash } from '../../sync-worker/src/domain/subject-key.ts';
import {
    callDelta,
    cli,
    contacts,
    fixture,
    FAST,
    orgUser,
    WRITE_KINDS,
    type Fixture
} from './helpers.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

jest.setTimeout(180_000);

const KEY = 'fse-privacy-test-vector-key';
/** docs/privacy.md, test vectors: the fingerprints of KEY and of another key */
const FINGERPRINT = 'a405e2da1c44d0d1';
const OTHER_KEY = 'another-key-of-16+chars';
const OTHER_FINGERPRINT = 'd4a3f69377e57593';
const ENV = { FSE_SUBJECT_HASH_KEY: KEY };

/** A synthetic fiscal code with a valid check character, not in the generated registry. */
function syntheticFiscalCode(n: number): string {
    const first15 = `TSTORG80A${String(n).padStart(2, '0')}F205`;
    return first15 + checkCharacter(first15);
}

describe('subject keys: stamped by the worker, copied by the officer’s erasure, checked at start-up', () => {
    let f: Fixture;
    let cfg: string;
    beforeAll(async () => {
        f = await fixture(300, 11);
        cfg = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
    });
    afterAll(() => f.cleanup());

    const byId = (id: string) => contacts(f).find((c) => c.Id === id)!;

    /** The Bulk API 2.0 ingest jobs of the org (GET /jobs/ingest, Bulk API 2.0 Developer Guide,
     *  "Get All Jobs"). */
    async function ingestJobs(): Promise<Array<Record<string, string>>> {
        const res = await fetch(`${f.em.instanceUrl}/services/data/v62.0/jobs/ingest`, {
            headers: { Authorization: `Bearer ${f.em.accessToken}` }
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { records: Array<Record<string, string>> }).records;
    }

    /** What the erasure batch (ErasureEngine, system mode, as the approving officer) does to a
     *  Contact: the tombstone from the stamped key, then the Contact anonymised. Refused, as the
     *  org refuses it (FSE_Gdpr_KeyPending), when the Contact has no stamped key. */
    function eraseAsOfficer(contactId: string): { hash: string; tombstoneId: string } {
        const officer = orgUser(f.em, 'officer');
        const c = byId(contactId);
        if (!c.SubjectKey__c)
            throw new Error(
                'FSE_Gdpr_KeyPending: the Contact has no subject key stamped by the sync'
            );
        const hash = String(c.SubjectKey__c).trim().toLowerCase();
        const tombstoneId = f.em.insertAs(officer.id, 'ErasureTombstone__c', {
            SubjectHash__c: hash,
            KeyFingerprint__c: c.SubjectKeyFingerprint__c,
            ErasedAt__c: new Date().toISOString(),
            PolicyVersion__c: '2026.1'
        });
        f.em.updateAs(officer.id, 'Contact', {
            Id: contactId,
            LastName: 'ANONIMIZZATO',
            FirstName: null,
            FiscalCode__c: null,
            SubjectKey__c: null,
            SubjectKeyFingerprint__c: null,
            SyncHash__c: null,
            Email: null,
            Phone: null,
            MobilePhone: null,
            Birthdate: null
        });
        return { hash, tombstoneId };
    }

    it('a full run writes SubjectKey__c and its fingerprint in every Contact it creates, and never shows the key or a fiscal code', async () => {
        const { code, report, stderr } = await cli(f, ['--config', cfg], ENV);
        expect(code).toBe(0);
        const all = contacts(f);
        expect(all).toHaveLength(f.summary.expectedValid);
        for (const c of all) {
            expect(c.SubjectKey__c).toBe(subjectHash(KEY, String(c.FiscalCode__c)));
            expect(c.SubjectKeyFingerprint__c).toBe(FINGERPRINT);
        }
        // the stamp pass found nothing to stamp: the registry load wrote the keys itself
        expect(report!.subjectKeys).toEqual({
            fingerprint: FINGERPRINT,
            tombstones: 0,
            unstamped: 0,
            stamped: 0,
            failed: 0
        });
        const text = JSON.stringify(report) + stderr + JSON.stringify(f.em.records('SyncRun__c'));
        expect(text).not.toContain(KEY);
        for (const c of all.slice(0, 100)) {
            expect(text).not.toContain(String(c.FiscalCode__c));
            expect(text).not.toContain(String(c.SubjectKey__c));
        }
    });

    it('the stamp pass stamps, by Id, the Contacts made in the org that the integration user can edit, and creates none', async () => {
        const officer = orgUser(f.em, 'officer');
        const agent = orgUser(f.em, 'agent');
        const integration = f.em.integrationUser.id;
        // an organisation the sync created (owned by the integration user): Contacts under it
        // follow it (Contact OWD Controlled by Parent), so the worker can see and edit them
        const account = f.em.records('Account').find((a) => a.OwnerId === integration)!;
        const fcA = syntheticFiscalCode(1);
        const fcB = syntheticFiscalCode(2);
        const fcC = syntheticFiscalCode(3);
        // A: made by an agent in the console, no key
        const a = f.em.insertAs(agent.id, 'Contact', {
            LastName: 'Sintetico',
            FiscalCode__c: fcA.toLowerCase(),
            AccountId: account.Id
        });
        // B: stamped long ago with another key (only the sync may stamp: as the integration user)
        const b = f.em.insertAs(integration, 'Contact', {
            LastName: 'Sintetico',
            FiscalCode__c: fcB,
            AccountId: account.Id,
            SubjectKey__c: subjectHash(OTHER_KEY, fcB),
            SubjectKeyFingerprint__c: OTHER_FINGERPRINT
        });
        // C: under an organisation the officer owns (Account OWD Private): invisible to the
        // integration user, so it stays unstamped (docs/privacy.md)
        const other = f.em.insertAs(officer.id, 'Account', { Name: 'Ente Sintetico' });
        const c = f.em.insertAs(officer.id, 'Contact', {
            LastName: 'Sintetico',
            FiscalCode__c: fcC,
            AccountId: other
        });
        // D: no fiscal code: nothing to hash
        const d = f.em.insertAs(agent.id, 'Contact', {
            LastName: 'Senza Codice',
            AccountId: account.Id
        });
        const count = contacts(f).length;

        // a dry run says what it would stamp, and writes nothing
        const before = f.em.stats();
        const dry = await cli(f, ['--config', cfg, '--dry-run'], ENV);
        expect(dry.code).toBe(0);
        expect(dry.report!.subjectKeys).toMatchObject({ unstamped: 2, stamped: 2, failed: 0 });
        const dryCalls = callDelta(before.calls, f.em.stats().calls);
        for (const k of WRITE_KINDS) expect(dryCalls[k]).toBeUndefined();
        expect(byId(a).SubjectKey__c).toBeNull();

        const run = await cli(f, ['--config', cfg], ENV);
        expect(run.code).toBe(0);
        expect(run.report!.status).toBe('Succeeded');
        expect(run.report!.subjectKeys).toEqual({
            fingerprint: FINGERPRINT,
            tombstones: 0,
            unstamped: 2,
            stamped: 2,
            failed: 0
        });
        expect(byId(a)).toMatchObject({
            SubjectKey__c: subjectHash(KEY, fcA),
            SubjectKeyFingerprint__c: FINGERPRINT,
            OwnerId: agent.id
        });
        expect(byId(b)).toMatchObject({
            SubjectKey__c: subjectHash(KEY, fcB),
            SubjectKeyFingerprint__c: FINGERPRINT
        });
        expect(byId(c)).toMatchObject({ SubjectKey__c: null, SubjectKeyFingerprint__c: null });
        expect(byId(d)).toMatchObject({ SubjectKey__c: null, SubjectKeyFingerprint__c: null });
        expect(contacts(f)).toHaveLength(count);
        const text = JSON.stringify(run.report) + run.stderr;
        for (const fc of [fcA, fcB, fcC]) expect(text).not.toContain(fc);

        // stamped: the next run finds nothing to stamp and writes no Contact
        const again = f.em.stats();
        const next = await cli(f, ['--config', cfg], ENV);
        expect(next.code).toBe(0);
        expect(next.report!.subjectKeys).toMatchObject({ unstamped: 0, stamped: 0 });
        const after = f.em.stats();
        expect(callDelta(again.writes, after.writes)).toEqual({ SyncRun__c: 2 });
        // 12 API calls, one more than without the key: 4 REST queries (the tombstones, the
        // lease, the stamp pass's query — the call the key adds —, the watermark), the lease's
        // two SyncRun__c writes, and the org index of Accounts and Contacts (two Bulk queries:
        // create, status, results). A status poll that finds a job still running is one more
        // call (the emulator finishes a job on timers, and a loaded machine can poll before
        // it), so the Bulk count is 6 plus at most one extra poll per job.
        const delta = callDelta(again.calls, after.calls);
        expect(delta).toMatchObject({ query: 4, sobjects: 2 });
        expect(Object.keys(delta).sort()).toEqual(['bulk2-query', 'query', 'sobjects']);
        expect(delta['bulk2-query']).toBeGreaterThanOrEqual(6);
        expect(delta['bulk2-query']).toBeLessThanOrEqual(8);
        expect(after.apiUsage.used - again.apiUsage.used).toBe(6 + delta['bulk2-query']);
    });

    it('from the bulk threshold on, the stamp pass updates by Id through a Bulk API 2.0 update job', async () => {
        const agent = orgUser(f.em, 'agent');
        const account = f.em.records('Account').find((a) => a.OwnerId === f.em.integrationUser.id)!;
        const made = [10, 11, 12].map((n) => ({
            fc: syntheticFiscalCode(n),
            id: f.em.insertAs(agent.id, 'Contact', {
                LastName: 'Sintetico',
                FiscalCode__c: syntheticFiscalCode(n),
                AccountId: account.Id
            })
        }));
        const count = contacts(f).length;
        const bulkCfg = join(f.dir, '..', 'sync.bulk.config.json');
        await writeFile(bulkCfg, JSON.stringify({ ...FAST, bulkThreshold: 2 }));
        const jobsBefore = await ingestJobs();
        const before = f.em.stats();
        const { code, report } = await cli(f, ['--config', bulkCfg], ENV);
        expect(code).toBe(0);
        expect(report!.subjectKeys).toMatchObject({ unstamped: 3, stamped: 3, failed: 0 });
        const calls = callDelta(before.calls, f.em.stats().calls);
        expect(calls['bulk2-ingest']).toBeGreaterThan(0);
        expect(calls.collections).toBeUndefined();
        const ingest = (await ingestJobs()).filter((j) => !jobsBefore.some((o) => o.id === j.id));
        // one update job for the three stamps (the full run's other job, an upsert by fiscal
        // code, ceases them: Active Contacts absent from the registry snapshot, as before)
        expect(
            ingest
                .filter((j) => j.operation === 'update')
                .map((j) => [j.object, j.state, j.numberRecordsProcessed, j.numberRecordsFailed])
        ).toEqual([['Contact', 'JobComplete', 3, 0]]);
        for (const { fc, id } of made)
            expect(byId(id)).toMatchObject({
                SubjectKey__c: subjectHash(KEY, fc),
                SubjectKeyFingerprint__c: FINGERPRINT
            });
        expect(contacts(f)).toHaveLength(count);
    });

    it('erased subjects stay erased: the officer’s tombstone, made from the stamped key, stops full and incremental runs', async () => {
        const officer = orgUser(f.em, 'officer');
        const victim = contacts(f).find(
            (c) => c.RegistryStatus__c === 'Active' && c.OwnerId === f.em.integrationUser.id
        )!;
        const fc = String(victim.FiscalCode__c);
        const { hash, tombstoneId } = eraseAsOfficer(String(victim.Id));
        const tombstone = f.em.records('ErasureTombstone__c').find((t) => t.Id === tombstoneId)!;
        // the tombstone is the officer's, and carries the worker's key and fingerprint
        expect(tombstone).toMatchObject({
            OwnerId: officer.id,
            SubjectHash__c: subjectHash(KEY, fc),
            KeyFingerprint__c: FINGERPRINT
        });
        const count = contacts(f).length;
        const gone = () => {
            expect(contacts(f).some((c) => c.FiscalCode__c === fc)).toBe(false);
            expect(contacts(f).some((c) => c.SubjectKey__c === hash)).toBe(false);
            expect(contacts(f)).toHaveLength(count);
        };

        const full = await cli(f, ['--config', cfg, '--full'], ENV);
        expect(full.code).toBe(0);
        expect(full.report!.entities.professionals).toMatchObject({
            suppressed: 1,
            created: 0,
            failed: 0
        });
        expect(full.report!.subjectKeys).toMatchObject({ tombstones: 1, unstamped: 0 });
        gone();

        // the registry updates the erased professional: an incremental run reads it again
        await touchPractitioner(f.dir, fc, new Date(Date.now() + 60_000).toISOString());
        const inc = await cli(f, ['--config', cfg, '--incremental'], ENV);
        expect(inc.code).toBe(0);
        expect(inc.report!.entities.professionals!.suppressed).toBe(1);
        gone();
        const text = JSON.stringify([full.report, inc.report]) + full.stderr + inc.stderr;
        expect(text).not.toContain(fc);
        expect(text).not.toContain(hash.slice(0, 12));
    });

    it('tombstones are read in full, beyond one query page (2,000 rows), whoever made them', async () => {
        const officer = orgUser(f.em, 'officer');
        for (let i = 0; i < 2_100; i++)
            f.em.insertAs(officer.id, 'ErasureTombstone__c', {
                SubjectHash__c: subjectHash(KEY, `TOMBSTONE${i}`),
                KeyFingerprint__c: FINGERPRINT,
                ErasedAt__c: '2026-01-01T00:00:00.000Z',
                PolicyVersion__c: '2026.1'
            });
        const total = f.em.records('ErasureTombstone__c').length;
        const before = f.em.stats();
        const { code, report } = await cli(f, ['--config', cfg], ENV);
        expect(code).toBe(0);
        expect(report!.subjectKeys).toMatchObject({ tombstones: total, unstamped: 0 });
        expect(report!.entities.professionals!.suppressed).toBe(1);
        // the first page said there was more: one Bulk API 2.0 query read them all
        expect(callDelta(before.calls, f.em.stats().calls)['bulk2-query']).toBeGreaterThan(0);
    });

    it('a key shorter than 16 characters is refused (exit 2) and nothing is written', async () => {
        const before = f.em.stats();
        const { code, report, stderr } = await cli(f, ['--config', cfg], {
            FSE_SUBJECT_HASH_KEY: 'fifteen-chars-x'
        });
        expect(code).toBe(2);
        expect(report).toBeUndefined();
        expect(stderr).toMatch(/at least 16 characters/);
        expect(stderr).not.toContain('fifteen-chars-x');
        expect(callDelta(before.writes, f.em.stats().writes)).toEqual({});
    });

    it('a key the org’s tombstones were not made with is refused (exit 2), naming both fingerprints, and nothing is written', async () => {
        // an erasure made while the worker ran with another key
        f.em.insertAs(orgUser(f.em, 'officer').id, 'ErasureTombstone__c', {
            SubjectHash__c: subjectHash(OTHER_KEY, syntheticFiscalCode(4)),
            KeyFingerprint__c: OTHER_FINGERPRINT,
            ErasedAt__c: '2026-01-02T00:00:00.000Z',
            PolicyVersion__c: '2026.1'
        });
        // and a registry change the run would otherwise write
        await applyChanges(f.dir, { update: 5, add: 2, at: new Date().toISOString() });
        const before = f.em.stats();
        const { code, report, stderr } = await cli(f, ['--config', cfg, '--incremental'], ENV);
        expect(code).toBe(2);
        expect(report).toBeUndefined();
        expect(stderr).toContain(`${OTHER_FINGERPRINT} (1 tombstone)`);
        expect(stderr).toContain(FINGERPRINT);
        expect(stderr).toMatch(/nothing was written/);
        expect(stderr).not.toContain(KEY);
        const after = f.em.stats();
        // no write at all, not even the run's SyncRun__c lease
        expect(callDelta(before.writes, after.writes)).toEqual({});
        const calls = callDelta(before.calls, after.calls);
        for (const k of WRITE_KINDS) expect(calls[k]).toBeUndefined();
    });
});

/** The registry updates the Practitioner with this fiscal code (meta.lastUpdated = `at`). */
async function touchPractitioner(dir: string, fc: string, at: string): Promise<void> {
    const path = join(dir, 'Practitioner.ndjson');
    let found = 0;
    const lines = (await readFile(path, 'utf8')).split('\n').map((line) => {
        if (!line.trim()) return line;
        const p = JSON.parse(line) as { identifier?: Array<{ value?: string }> };
        if (!p.identifier?.some((i) => String(i.value).trim().toUpperCase() === fc)) return line;
        found++;
        return JSON.stringify({ ...p, meta: { lastUpdated: at } });
    });
    if (found !== 1) throw new Error(`${found} practitioners with the erased fiscal code`);
    await writeFile(path, lines.join('\n'));
}
