// Issue 5 against the org emulator: consents (created, updated, revoked, org-side newer consent
// kept, unknown professional rejected), API-call economy, and erased subjects never coming back.
import { Writable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { main } from '../../sync-worker/src/cli/main.ts';
import { subjectHash } from '../../sync-worker/src/domain/subject-key.ts';
import { consentResource } from '../../sync-worker/src/generator/generator.ts';
import type { Report } from '../../sync-worker/src/pipeline/report.ts';
import { callDelta, fixture, FAST, orgUser, type Fixture } from './helpers.ts';

jest.setTimeout(240_000);

const KEY = 'it-subject-key-0123456789abcdef';

/** a FHIR resource as read back from the NDJSON files (shape checked by the worker, not here) */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Res = Record<string, any>;

async function run(
    f: Fixture,
    cfgFile: string,
    extra: string[],
    env: Record<string, string> = { FSE_SUBJECT_HASH_KEY: KEY }
): Promise<{ code: number; report: Report | undefined; stderr: string }> {
    let out = '';
    let err = '';
    const sink = (fn: (s: string) => void) =>
        new Writable({
            write(c, _e, cb) {
                fn(c.toString());
                cb();
            }
        });
    const code = await main(
        [
            'run',
            '--source',
            `ndjson:${f.dir}`,
            '--instance-url',
            f.em.instanceUrl,
            '--access-token',
            f.em.accessToken,
            '--config',
            cfgFile,
            '--json',
            ...extra
        ],
        { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env }
    );
    return { code, report: out.trim() ? (JSON.parse(out) as Report) : undefined, stderr: err };
}

async function readNdjson(path: string): Promise<Array<Res>> {
    const out: Array<Res> = [];
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of rl) if (line.trim()) out.push(JSON.parse(line));
    return out;
}

async function writeNdjson(path: string, rows: unknown[]): Promise<void> {
    await writeFile(`${path}.tmp`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await rename(`${path}.tmp`, path);
}

function fcOf(p: Res): string {
    return String(p.identifier[0].value).trim().toUpperCase();
}

describe('consents: 10,000 professionals x 3 purposes x 2 channels', () => {
    let f: Fixture;
    let cfg: string;
    beforeAll(async () => {
        f = await fixture(0); // emulator only; the registry is generated with consents below
        const { generateRegistry } = await import('../../sync-worker/src/generator/generator.ts');
        f.summary = await generateRegistry({ count: 10_000, out: f.dir, seed: 3, consents: true });
        cfg = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
        const first = await run(f, cfg, ['--entities', 'organizations,professionals']);
        expect(first.code).toBe(0);
    });
    afterAll(() => f.cleanup());

    it('creates Individuals, links Contacts and creates every consent within 40 API calls', async () => {
        const before = f.em.stats();
        const { code, report } = await run(f, cfg, ['--entities', 'consents']);
        const after = f.em.stats();
        expect(code).toBe(0);
        const c = report!.entities.consents!;
        // 60,000 decisions read; the ones of invalid professionals are rejected as unknown
        expect(c.read).toBe(60_000);
        expect(c.valid).toBe(f.summary.expectedValid * 6);
        expect(c.created).toBe(f.summary.expectedValid * 6);
        expect(c.failed).toBe(0);
        expect(after.apiUsage.used - before.apiUsage.used).toBeLessThanOrEqual(40);
        expect(after.records.ContactPointTypeConsent).toBe(f.summary.expectedValid * 6);
        expect(after.records.Individual).toBe(f.summary.expectedValid);
        expect(after.records.DataUsePurpose).toBe(3);
        expect(after.records.EngagementChannelType).toBe(2);
        expect(
            report!.rejects.some((r) =>
                /^performer\[0\]\.reference: unknown professional Practitioner\/bad-/.test(r.reason)
            )
        ).toBe(true);
        // every Contact is linked to its Individual; no fiscal code or name on consent objects
        const contacts = f.em.records('Contact');
        expect(contacts.every((x) => typeof x.IndividualId === 'string')).toBe(true);
        const inds = new Map(f.em.records('Individual').map((i) => [i.Id, i]));
        const sample = contacts.slice(0, 50);
        for (const ct of sample) {
            const ind = inds.get(ct.IndividualId as string)!;
            expect(ind.SubjectKey__c).toBe(subjectHash(KEY, String(ct.FiscalCode__c)));
            expect(ind.LastName).not.toContain(String(ct.LastName));
        }
        const consentText = JSON.stringify(f.em.records('ContactPointTypeConsent').slice(0, 500));
        const indText = JSON.stringify([...inds.values()].slice(0, 500));
        for (const ct of sample) {
            expect(consentText + indText).not.toContain(String(ct.FiscalCode__c));
            expect(indText).not.toContain(String(ct.Email));
        }
        // OptIn/OptOut as the registry says: permit + active -> OptIn, deny or inactive -> OptOut
        const pracs = new Map(
            (await readNdjson(join(f.dir, 'Practitioner.ndjson'))).map((p) => [p.id, p])
        );
        const byKey = new Map(
            f.em.records('ContactPointTypeConsent').map((x) => [x.ConsentKey__c, x])
        );
        const registry = (await readNdjson(join(f.dir, 'Consent.ndjson'))).filter((r) =>
            String(r.performer[0].reference).includes('/prac-')
        );
        let optOuts = 0;
        for (const r of registry.slice(0, 3000)) {
            const p = pracs.get(String(r.performer[0].reference).split('/')[1])!;
            const k = `${subjectHash(KEY, fcOf(p))}-${r.provision.purpose[0].code}-${r.extension[0].valueCode}`;
            const want =
                r.status === 'active' && r.provision.type === 'permit' ? 'OptIn' : 'OptOut';
            if (want === 'OptOut') optOuts++;
            expect(byKey.get(k)).toMatchObject({
                PrivacyConsentStatus: want,
                CaptureSource: 'Anagrafe regionale FSE',
                CaptureDate: new Date(r.dateTime).toISOString()
            });
        }
        expect(optOuts).toBeGreaterThan(100);
    });

    it('an unchanged second run writes nothing', async () => {
        const before = f.em.stats();
        const { code, report } = await run(f, cfg, []);
        expect(code).toBe(0);
        expect(report!.entities.consents).toMatchObject({
            created: 0,
            updated: 0,
            unchanged: f.summary.expectedValid * 6
        });
        const after = f.em.stats();
        // nothing written to any synced object; the only writes are the run's SyncRun__c lease
        expect(callDelta(before.writes, after.writes)).toEqual({ SyncRun__c: 2 });
        const delta = callDelta(before.calls, after.calls);
        expect(delta.collections).toBeUndefined();
        expect(delta['bulk2-ingest']).toBeUndefined();
    });

    it('updates, revokes (OptOut, never deleted) and keeps a newer consent captured in the portal', async () => {
        const path = join(f.dir, 'Consent.ndjson');
        const rows = await readNdjson(path);
        const pracs = new Map(
            (await readNdjson(join(f.dir, 'Practitioner.ndjson'))).map((p) => [p.id, p])
        );
        const valid = rows.filter((r) => String(r.performer[0].reference).includes('/prac-'));
        const permits = valid.filter((r) => r.status === 'active' && r.provision.type === 'permit');
        const later = '2026-01-10T09:00:00.000Z';
        const [denied, revoked, portal] = permits;
        const key = (r: Res) =>
            `${subjectHash(KEY, fcOf(pracs.get(r.performer[0].reference.split('/')[1])!))}-${r.provision.purpose[0].code}-${r.extension[0].valueCode}`;
        // the portal captured a decision for `portal` after the registry's record
        const cptc = f.em.records('ContactPointTypeConsent');
        const portalRec = cptc.find((x) => x.ConsentKey__c === key(portal))!;
        // (the portal's consent service writes in system mode, as the portal user)
        f.em.updateAs(orgUser(f.em, 'portal').id, 'ContactPointTypeConsent', {
            Id: portalRec.Id,
            PrivacyConsentStatus: 'OptOut',
            CaptureSource: 'Portale FSE',
            CaptureDate: '2026-01-05T12:00:00.000Z'
        });
        for (const r of rows) {
            if (r.id === denied.id) {
                r.provision.type = 'deny';
                r.dateTime = later;
                r.meta.lastUpdated = later;
            } else if (r.id === revoked.id) {
                r.status = 'inactive';
                r.dateTime = later;
                r.meta.lastUpdated = later;
            } else if (r.id === portal.id) {
                // an older registry record (captured before the portal's choice) says permit again
                r.dateTime = '2025-12-01T00:00:00.000Z';
                r.meta.lastUpdated = later;
            }
        }
        // a consent for a professional the registry does not know
        rows.push(
            consentResource('cons-unknown', 'prac-9999999', {
                channel: 'email',
                purpose: 'formazione',
                permit: true,
                active: true,
                captured: Date.parse(later),
                updated: Date.parse(later)
            })
        );
        await writeNdjson(path, rows);
        const count = f.em.stats().records.ContactPointTypeConsent;
        const { code, report } = await run(f, cfg, ['--entities', 'consents']);
        expect(code).toBe(0);
        const c = report!.entities.consents!;
        expect(c).toMatchObject({ created: 0, updated: 2, conflicts: 1, failed: 0 });
        expect(
            report!.rejects.some(
                (r) =>
                    r.key === 'Consent/cons-unknown' &&
                    /unknown professional Practitioner\/prac-9999999/.test(r.reason)
            )
        ).toBe(true);
        const byKey = new Map(
            f.em.records('ContactPointTypeConsent').map((x) => [x.ConsentKey__c, x])
        );
        expect(f.em.stats().records.ContactPointTypeConsent).toBe(count); // nothing deleted
        expect(byKey.get(key(denied))).toMatchObject({
            PrivacyConsentStatus: 'OptOut',
            CaptureDate: later,
            CaptureSource: 'Anagrafe regionale FSE'
        });
        expect(byKey.get(key(revoked))!.PrivacyConsentStatus).toBe('OptOut');
        expect(byKey.get(key(portal))).toMatchObject({
            PrivacyConsentStatus: 'OptOut',
            CaptureSource: 'Portale FSE'
        });
    });
});

describe('erased subjects stay erased', () => {
    let f: Fixture;
    let cfg: string;
    let erased: Res;
    beforeAll(async () => {
        f = await fixture(0);
        const { generateRegistry } = await import('../../sync-worker/src/generator/generator.ts');
        f.summary = await generateRegistry({ count: 300, out: f.dir, seed: 5, consents: true });
        cfg = join(f.dir, '..', 'sync.config.json');
        await writeFile(cfg, JSON.stringify(FAST));
        const pracs = await readNdjson(join(f.dir, 'Practitioner.ndjson'));
        erased = pracs.find((p) => p.id.startsWith('prac-') && p.active !== false)!;
        // the privacy officer erased this professional: only the tombstone is left in the org
        // (written by the erasure batch in system mode, as the officer: the officer owns it)
        f.em.insertAs(orgUser(f.em, 'officer').id, 'ErasureTombstone__c', {
            SubjectHash__c: subjectHash(KEY, fcOf(erased)),
            ErasedAt__c: '2025-12-01T00:00:00.000Z',
            PolicyVersion__c: '2025.1'
        });
    });
    afterAll(() => f.cleanup());

    function nothingAbout(report: Report | undefined): void {
        const fc = fcOf(erased);
        const hash = subjectHash(KEY, fc);
        expect(f.em.records('Contact').some((c) => c.FiscalCode__c === fc)).toBe(false);
        expect(f.em.records('Individual').some((i) => i.SubjectKey__c === hash)).toBe(false);
        expect(
            f.em
                .records('ContactPointTypeConsent')
                .some((c) => String(c.ConsentKey__c).startsWith(hash))
        ).toBe(false);
        const text = JSON.stringify(report) + JSON.stringify(f.em.records('SyncRun__c'));
        expect(text).not.toContain(fc);
        expect(text).not.toContain(hash.slice(0, 12));
        expect(text).not.toContain(erased.name[0].family);
    }

    it('without a key the run refuses to write (exit 2) because the org has tombstones', async () => {
        const before = f.em.stats().records;
        const { code, report, stderr } = await run(f, cfg, [], {});
        expect(code).toBe(2);
        expect(report).toBeUndefined();
        expect(stderr).toMatch(/erasure tombstone.*FSE_SUBJECT_HASH_KEY/);
        expect(f.em.stats().records.Contact ?? 0).toBe(before.Contact ?? 0);
        expect(f.em.stats().records.Account ?? 0).toBe(before.Account ?? 0);
    });

    it('a full run skips every record of the erased subject and counts them as suppressed', async () => {
        const { code, report } = await run(f, cfg, []);
        expect(code).toBe(0);
        expect(report!.entities.professionals!.suppressed).toBe(1);
        expect(report!.entities.consents!.suppressed).toBe(6);
        expect(f.em.stats().records.Contact).toBe(f.summary.expectedValid - 1);
        nothingAbout(report);
    });

    it('an incremental run with the erased subject updated in the registry does not recreate them', async () => {
        const at = new Date(Date.now() + 60_000).toISOString();
        const pPath = join(f.dir, 'Practitioner.ndjson');
        const pracs = await readNdjson(pPath);
        for (const p of pracs) if (p.id === erased.id) p.meta.lastUpdated = at;
        await writeNdjson(pPath, pracs);
        const cPath = join(f.dir, 'Consent.ndjson');
        const cons = await readNdjson(cPath);
        for (const c of cons)
            if (c.performer[0].reference === `Practitioner/${erased.id}`) c.meta.lastUpdated = at;
        await writeNdjson(cPath, cons);
        const { code, report } = await run(f, cfg, ['--incremental']);
        expect(code).toBe(0);
        expect(report!.mode).toBe('incremental');
        expect(report!.entities.professionals!.suppressed).toBe(1);
        expect(report!.entities.consents!.suppressed).toBe(6);
        nothingAbout(report);
    });
});
