// Issue 15 against the org emulator: real registries. A registry in another spelling (labels,
// lower case, accents), unknown codes, consents and practitioners without `meta`, a mass-reject
// run and `fse-sync validate`: none of them ceases an active professional, and a run that went
// wrong says so first (exit 5, Partial, a headline naming the cause and the fix).
import { Writable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { main } from '../../sync-worker/src/cli/main.ts';
import {
    applyChanges,
    generateRegistry,
    type GenerateOptions
} from '../../sync-worker/src/generator/generator.ts';
import type { Report } from '../../sync-worker/src/pipeline/report.ts';
import type { ValidationReport } from '../../sync-worker/src/pipeline/validate.ts';
import { callDelta, fixture, FAST, WRITE_KINDS, type Fixture } from './helpers.ts';

jest.setTimeout(300_000);

const KEY = 'it-subject-key-0123456789abcdef';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Res = Record<string, any>;

/** An emulator and a registry generated with `options`; the config file next to it. */
async function registry(
    options: Omit<GenerateOptions, 'out'>,
    config: Record<string, unknown> = {}
): Promise<Fixture & { cfg: string }> {
    const f = await fixture(0);
    f.summary = await generateRegistry({ ...options, out: f.dir });
    const cfg = join(f.dir, '..', 'sync.config.json');
    await writeFile(cfg, JSON.stringify({ ...FAST, ...config }));
    return { ...f, cfg };
}

/** fse-sync in-process: exit code, stdout, stderr. */
async function fse(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void) =>
        new Writable({
            write(c, _e, cb) {
                add(c.toString());
                cb();
            }
        });
    const code = await main(args, {
        stdout: sink((s) => (out += s)),
        stderr: sink((s) => (err += s)),
        env: { FSE_SUBJECT_HASH_KEY: KEY }
    });
    return { code, out, err };
}

/** `fse-sync run` against the fixture's emulator; the JSON report unless `human`. */
async function run(
    f: Fixture & { cfg: string },
    extra: string[] = [],
    human = false
): Promise<{ code: number; report?: Report; out: string }> {
    const { code, out } = await fse([
        'run',
        '--source',
        `ndjson:${f.dir}`,
        '--instance-url',
        f.em.instanceUrl,
        '--access-token',
        f.em.accessToken,
        '--config',
        f.cfg,
        ...(human ? [] : ['--json']),
        ...extra
    ]);
    return { code, out, report: human || !out.trim() ? undefined : (JSON.parse(out) as Report) };
}

async function readNdjson(path: string): Promise<Res[]> {
    const rows: Res[] = [];
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of rl) if (line.trim()) rows.push(JSON.parse(line));
    return rows;
}

async function rewriteNdjson(path: string, edit: (row: Res, i: number) => Res): Promise<void> {
    const rows = (await readNdjson(path)).map(edit);
    await writeFile(`${path}.tmp`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await rename(`${path}.tmp`, path);
}

/** The org's professionals as the registry sees them: fiscal code -> status, role, category, org. */
function professionals(f: Fixture): Map<string, string[]> {
    const code = new Map(f.em.records('Account').map((a) => [a.Id, String(a.OrgCode__c)]));
    return new Map(
        f.em
            .records('Contact')
            .map((c) => [
                String(c.FiscalCode__c),
                [
                    String(c.RegistryStatus__c),
                    String(c.FseRole__c),
                    String(c.TargetCategory__c),
                    code.get(c.AccountId as string) ?? '-'
                ]
            ])
    );
}

const active = (f: Fixture) =>
    f.em.records('Contact').filter((c) => c.RegistryStatus__c === 'Active').length;

/** Sets the target category (and optionally the role code) of the roles `pick` selects. */
function recode(
    role: Res,
    category: string | undefined,
    roleCode?: string,
    organization?: string
): Res {
    for (const concept of role.code ?? [])
        for (const coding of concept.coding ?? []) {
            if (category && coding.system === 'urn:fse2:categoria-target') coding.code = category;
            if (roleCode && coding.system === 'urn:fse2:ruolo') coding.code = roleCode;
        }
    if (organization) role.organization = { reference: organization };
    return role;
}

describe('a registry in another spelling (labels, lower case, accents)', () => {
    const fs: Array<Fixture & { cfg: string }> = [];
    afterAll(async () => {
        for (const f of fs) await f.cleanup();
    });

    it('loads exactly what the contract spelling loads, and ceases nobody', async () => {
        const base = { count: 1_200, seed: 11, consents: true };
        const contract = await registry(base);
        const labels = await registry({ ...base, spelling: 'labels' });
        fs.push(contract, labels);
        const roles = await readNdjson(join(labels.dir, 'PractitionerRole.ndjson'));
        const categories = roles.map((r) => String(r.code[0].coding[1].code));
        // the registry really is spelt otherwise: labels, upper case, accents, lower-case names
        expect(categories).toContain('MEDICO OSPEDALIERO');
        expect(categories.some((c) => /[àéò]/.test(c))).toBe(true);
        expect(categories).toContain('Pediatra di libera scelta (PLS)');
        expect(roles.map((r) => r.code[0].coding[0].code)).toContain('inf');

        const a = await run(contract);
        const b = await run(labels);
        expect([a.code, b.code]).toEqual([0, 0]);
        // every professional the registry says is active is Active, with the same values
        expect(active(labels)).toBe(labels.summary.expectedActive);
        expect(professionals(labels)).toEqual(professionals(contract));
        const report = b.report!;
        expect(report.status).toBe('Succeeded');
        expect(report.entities.professionals).toMatchObject({
            valid: labels.summary.expectedValid,
            created: labels.summary.expectedValid
        });
        expect(report.health.ok).toBe(true);
        expect(report.unknownCodes).toEqual([]);
        expect(report.headline).toMatch(/^Succeeded: every valid record is in the org/);
        const types = (f: Fixture) =>
            f.em
                .records('Account')
                .map((x) => `${x.OrgCode__c}=${x.OrgType__c}`)
                .sort();
        expect(types(labels)).toEqual(types(contract));
        // consents with purposes and channels as labels: the same keys and values
        const consents = (f: Fixture) =>
            f.em
                .records('ContactPointTypeConsent')
                .map((c) => `${c.ConsentKey__c} ${c.Name} ${c.PrivacyConsentStatus}`)
                .sort();
        expect(report.entities.consents!.valid).toBe(labels.summary.expectedValid * 6);
        expect(consents(labels)).toEqual(consents(contract));
    });

    it("with the org's describe as the source of picklist values (a deployed worker)", async () => {
        const f = await registry(
            { count: 400, seed: 12, spelling: 'labels' },
            { picklists: 'org', entities: ['organizations', 'professionals'] }
        );
        fs.push(f);
        const { code, report } = await run(f);
        expect(code).toBe(0);
        expect(report!.picklists).toBe("the org's describe (Account, Contact)");
        expect(report!.unknownCodes).toEqual([]);
        expect(active(f)).toBe(f.summary.expectedActive);
        const categories = new Set(f.em.records('Contact').map((c) => c.TargetCategory__c));
        expect(categories.has('MedicoOspedaliero') && categories.has('PLS')).toBe(true);
    });
});

describe('unknown codes', () => {
    let f: Fixture & { cfg: string };
    let chosen: Res[];
    let before: Map<string, string[]>;
    let fiscalCodeOf: Map<string, string>;
    beforeAll(async () => {
        f = await registry({ count: 1_000, seed: 13 });
        expect((await run(f)).code).toBe(0);
        before = professionals(f);
        const practitioners = await readNdjson(join(f.dir, 'Practitioner.ndjson'));
        fiscalCodeOf = new Map(
            practitioners.map((p) => [`Practitioner/${p.id}`, String(p.identifier[0].value)])
        );
    });
    afterAll(() => f.cleanup());

    it('keep what the org has for that part, stay Active, and are reported with their count', async () => {
        const file = join(f.dir, 'PractitionerRole.ndjson');
        const roles = await readNdjson(file);
        chosen = roles
            .filter((r) => r.active && String(r.practitioner.reference).includes('prac-'))
            .slice(0, 30);
        const ids = new Set(chosen.map((r) => r.id));
        await rewriteNdjson(file, (role) => {
            if (!ids.has(role.id)) return role;
            const i = chosen.findIndex((c) => c.id === role.id);
            return recode(
                role,
                'Astronauta',
                i < 5 ? 'XYZ' : undefined,
                i === 5 ? 'Organization/org-777' : undefined
            );
        });
        const { code, report } = await run(f);
        expect(code).toBe(0); // 3% of roles: below the 5% threshold
        // nothing blanked, nobody ceased: the org's category, role and Account are kept
        expect(professionals(f)).toEqual(before);
        expect(report!.status).toBe('Succeeded');
        expect(report!.entities.professionals!.rejected).toBe(
            1_000 - f.summary.expectedValid // only the generator's invalid records
        );
        expect(report!.unknownCodes).toEqual(
            expect.arrayContaining([
                {
                    vocabulary: 'targetCategory',
                    field: 'Contact.TargetCategory__c',
                    code: 'Astronauta',
                    count: 30,
                    outcome: 'rejected'
                },
                {
                    vocabulary: 'fseRole',
                    field: 'Contact.FseRole__c',
                    code: 'XYZ',
                    count: 5,
                    outcome: 'rejected'
                }
            ])
        );
        expect(report!.rejectGroups).toContainEqual({
            entity: 'professionals',
            part: 'roles',
            reason: "unknown target category 'Astronauta'",
            hint: 'map it in config: vocabularies.targetCategory.map',
            count: 30,
            examples: chosen.slice(0, 3).map((r) => `PractitionerRole/${r.id}`)
        });
        expect(report!.rejectGroups).toContainEqual(
            expect.objectContaining({
                reason: 'unknown Organization/org-777 (not a valid Organization of the registry)',
                count: 1
            })
        );
        for (const r of chosen.slice(0, 6))
            expect(before.get(fiscalCodeOf.get(r.practitioner.reference)!)![0]).toBe('Active');
    });

    it('a reconcile run sees no difference in the parts the registry does not write', async () => {
        const { code, report } = await run(f, ['--reconcile']);
        expect(code).toBe(0);
        expect(report!.entities.professionals).toMatchObject({ updated: 0, created: 0 });
    });

    it('one line of configuration maps them on the next run', async () => {
        await writeFile(
            f.cfg,
            JSON.stringify({
                ...FAST,
                vocabularies: {
                    targetCategory: { map: { ASTRONAUTA: 'formatore' } },
                    fseRole: { map: { xyz: 'INF' } }
                }
            })
        );
        const { code, report } = await run(f);
        expect(code).toBe(0);
        expect(report!.unknownCodes).toEqual([]);
        expect(report!.entities.professionals!.updated).toBe(30);
        const after = professionals(f);
        chosen.forEach((role, i) => {
            const [status, fseRole, category] = after.get(
                fiscalCodeOf.get(role.practitioner.reference)!
            )!;
            expect([status, category]).toEqual(['Active', 'Formatore']);
            if (i < 5) expect(fseRole).toBe('INF');
        });
    });

    it('a new professional with an unknown category is created without one, Active', async () => {
        await writeFile(f.cfg, JSON.stringify(FAST));
        const at = new Date(Date.now() + 60_000).toISOString();
        const added = await applyChanges(f.dir, { add: 1, at });
        await rewriteNdjson(join(f.dir, 'PractitionerRole.ndjson'), (role) =>
            role.practitioner.reference === `Practitioner/${added.added[0]}`
                ? recode(role, 'Astronauta')
                : role
        );
        const { code, report } = await run(f, ['--incremental']);
        expect(code).toBe(0);
        expect(report!.entities.professionals).toMatchObject({ created: 1 });
        const created = f.em.records('Contact').filter((c) => !before.has(String(c.FiscalCode__c)));
        expect(created).toHaveLength(1);
        expect(created[0]).toMatchObject({
            RegistryStatus__c: 'Active',
            FseRole__c: 'INF',
            TargetCategory__c: null
        });
    });
});

describe('consents and practitioners without meta (optional in FHIR R4)', () => {
    let f: Fixture & { cfg: string };
    beforeAll(async () => {
        f = await registry({ count: 800, seed: 14, consents: true, consentMeta: false });
    });
    afterAll(() => f.cleanup());

    it('are loaded, and incremental runs treat them as changed without writing again', async () => {
        const consents = await readNdjson(join(f.dir, 'Consent.ndjson'));
        expect(consents.every((c) => c.meta === undefined)).toBe(true);
        // 20 practitioners lose their meta too
        await rewriteNdjson(join(f.dir, 'Practitioner.ndjson'), (p, i) => {
            if (i < 20) delete p.meta;
            return p;
        });
        const full = await run(f);
        expect(full.code).toBe(0);
        const c = full.report!.entities.consents!;
        expect(c.valid).toBe(f.summary.expectedValid * 6);
        expect(c.created).toBe(f.summary.expectedValid * 6);
        expect(JSON.stringify(full.report!.rejectGroups)).not.toMatch(/meta/);
        expect(full.report!.entities.professionals!.valid).toBe(f.summary.expectedValid);
        expect(active(f)).toBe(f.summary.expectedActive);

        const before = f.em.stats();
        const next = await run(f, ['--incremental']);
        expect(next.code).toBe(0);
        // practitioners without a date are read again (treated as changed), found unchanged
        expect(next.report!.entities.professionals!.read).toBeGreaterThanOrEqual(20);
        expect(next.report!.entities.professionals).toMatchObject({ created: 0, updated: 0 });
        const writes = callDelta(before.writes, f.em.stats().writes);
        expect(Object.keys(writes).filter((o) => o !== 'SyncRun__c')).toEqual([]);
    });
});

describe('a mass-reject run', () => {
    let f: Fixture & { cfg: string };
    let before: Map<string, string[]>;
    // 68% of the role lines, plus the generator's few roles at an unknown organisation
    const HEADLINE =
        /^professionals: (6[89]|7[01])% of roles rejected — unknown target category 'X' ×(\d+); map it in config: vocabularies\.targetCategory\.map/;
    beforeAll(async () => {
        f = await registry({ count: 1_000, seed: 15 });
        expect((await run(f)).code).toBe(0);
        before = professionals(f);
        // the next export spells 68% of the target categories in a way nothing matches
        await rewriteNdjson(join(f.dir, 'PractitionerRole.ndjson'), (role, i) =>
            i % 100 < 68 ? recode(role, 'X') : role
        );
    });
    afterAll(() => f.cleanup());

    it('--dry-run shows it first, with exit 5, and writes nothing', async () => {
        const stats = f.em.stats();
        const { code, out } = await run(f, ['--dry-run'], true);
        expect(code).toBe(5);
        const [first] = out.split('\n');
        expect(first).toMatch(HEADLINE);
        expect(first).toMatch(/\(dry run: nothing written\)$/);
        expect(out).toMatch(/× professionals\/roles: unknown target category 'X'/);
        const calls = callDelta(stats.calls, f.em.stats().calls);
        for (const kind of WRITE_KINDS) expect(calls[kind]).toBeUndefined();
    });

    it('ends Partial with exit 5 and that first line, and ceases nobody', async () => {
        const { code, out } = await run(f, [], true);
        expect(code).toBe(5);
        const [first] = out.split('\n');
        const count = Number(HEADLINE.exec(first)![2]);
        expect(count).toBeGreaterThan(600);
        const runs = f.em.records('SyncRun__c');
        const last = runs.sort((a, b) =>
            String(a.StartedAt__c).localeCompare(String(b.StartedAt__c))
        )[runs.length - 1];
        expect(last.Status__c).toBe('Partial');
        const report = JSON.parse(String(last.Report__c)) as Report;
        expect(report.status).toBe('Partial');
        expect(report.health.ok).toBe(false);
        expect(report.health.problems[0]).toMatchObject({
            entity: 'professionals',
            part: 'roles',
            threshold: 0.05
        });
        // the watermark does not move: after the fix, the next incremental run takes them again
        expect(report.watermark.current).toBe(report.watermark.previous);
        // nobody ceased, no category blanked
        expect(professionals(f)).toEqual(before);
    });

    it('fse-sync validate says the same without an org, with the mapping and the unknown codes', async () => {
        const human = await fse(['validate', '--source', `ndjson:${f.dir}`, '--config', f.cfg]);
        expect(human.code).toBe(5);
        expect(human.out.split('\n')[0]).toMatch(HEADLINE);
        expect(human.out).toMatch(
            /targetCategory → Contact\.TargetCategory__c: 'X' → rejected ×\d+/
        );
        const json = await fse([
            'validate',
            '--source',
            `ndjson:${f.dir}`,
            '--config',
            f.cfg,
            '--json'
        ]);
        expect(json.code).toBe(5);
        const report = JSON.parse(json.out) as ValidationReport;
        expect(report.headline).toMatch(HEADLINE);
        expect(report.unknownCodes).toContainEqual(
            expect.objectContaining({
                vocabulary: 'targetCategory',
                code: 'X',
                outcome: 'rejected'
            })
        );
        const categories = report.mapping.vocabularies.find(
            (v) => v.vocabulary === 'targetCategory'
        )!;
        expect(categories.seen[0]).toMatchObject({ code: 'X' });
        expect(categories.seen.some((s) => s.value === 'MMG' && s.by === 'value')).toBe(true);
        expect(report.mapping.picklists).toMatch(/^force-app/);
    });

    it('validate passes a healthy export (exit 0) and fails fast on a bad mapping (exit 2)', async () => {
        const healthy = await registry({ count: 300, seed: 16, spelling: 'labels' });
        try {
            const ok = await fse([
                'validate',
                '--source',
                `ndjson:${healthy.dir}`,
                '--config',
                healthy.cfg
            ]);
            expect(ok.code).toBe(0);
            expect(ok.out.split('\n')[0]).toMatch(/^Healthy export: \d+ valid records/);
            await writeFile(
                healthy.cfg,
                JSON.stringify({ vocabularies: { targetCategory: { map: { X: 'Astronauta' } } } })
            );
            const bad = await fse([
                'validate',
                '--source',
                `ndjson:${healthy.dir}`,
                '--config',
                healthy.cfg
            ]);
            expect(bad.code).toBe(2);
            expect(bad.err).toMatch(
                /vocabularies\.targetCategory\.map\["X"\]: 'Astronauta' is not a value of Contact\.TargetCategory__c/
            );
        } finally {
            await healthy.cleanup();
        }
    });
});
