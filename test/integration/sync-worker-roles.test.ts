// Incremental ndjson runs parse only the PractitionerRole lines of the practitioners they
// process (config `incrementalRolePrefilter`): the same run with and without the pre-filter, on
// two identical orgs, must give the same counts and the same Contacts.
import { applyChanges } from '../../sync-worker/src/generator/generator.ts';
import { cli, contacts, fixture, FAST, type Fixture } from './helpers.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

jest.setTimeout(180_000);

const OLD = '2020-01-01T00:00:00.000Z';

interface RawRole {
    id?: string;
    active?: boolean;
    period?: { start?: string; end?: string };
    meta?: { lastUpdated?: string };
    practitioner?: { reference?: string };
    [k: string]: unknown;
}

/** Role changes the practitioner file does not show, plus tricky lines (same in both registries). */
async function changeRoles(dir: string, at: string, changedPractitioners: ReadonlySet<string>) {
    const file = join(dir, 'PractitionerRole.ndjson');
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    const roles = lines.map((l) => JSON.parse(l) as RawRole);
    const practitionerOf = (r: RawRole) =>
        String(r.practitioner?.reference ?? '').slice('Practitioner/'.length);
    const unchanged = roles.filter(
        (r) => practitionerOf(r).startsWith('prac-') && !changedPractitioners.has(practitionerOf(r))
    );
    const edited = new Set<string>();
    // 1. a role of an unchanged practitioner ends (its best role may become another, older line)
    for (const r of unchanged.filter((_, i) => i % 50 === 7).slice(0, 8)) {
        r.active = !r.active;
        r.period = r.active
            ? { start: '2024-03-01' }
            : { start: r.period?.start, end: '2021-01-01' };
        r.meta = { lastUpdated: at };
        edited.add(practitionerOf(r));
    }
    const extra: string[] = [];
    const [a, b, c] = unchanged.filter((r) => !edited.has(practitionerOf(r))).slice(40);
    // 2. a new, changed role for an unchanged practitioner, placed before its old role
    extra.unshift(
        JSON.stringify({
            ...a,
            id: 'role-new-1',
            active: true,
            period: { start: '1990-01-01' },
            meta: { lastUpdated: at }
        })
    );
    // 3. an invalid old role of an unchanged practitioner whose role changes (parsed either way)
    extra.push(
        JSON.stringify({
            ...b,
            id: 'role-bad-1',
            code: [{ coding: [{ system: 'urn:fse2:ruolo', code: 'NOPE' }] }],
            meta: { lastUpdated: OLD }
        }),
        JSON.stringify({
            ...b,
            id: 'role-new-2',
            active: true,
            period: { start: '2030-01-01' },
            meta: { lastUpdated: at }
        })
    );
    // 4. an old role in a form the text test does not know, for an unchanged practitioner
    extra.push(
        JSON.stringify(
            {
                ...c,
                id: 'role-spaced',
                active: true,
                period: { start: '2031-01-01' },
                meta: { lastUpdated: OLD }
            },
            null,
            1
        ).replace(/\n/g, '')
    );
    // 5. an old role of a changed practitioner, with a newer start than its others
    const changed = roles.find((r) => changedPractitioners.has(practitionerOf(r)))!;
    extra.push(
        JSON.stringify({
            ...changed,
            id: 'role-old-of-changed',
            active: true,
            period: { start: '2032-01-01' },
            meta: { lastUpdated: OLD }
        })
    );
    const out = [extra[0], ...roles.map((r) => JSON.stringify(r)), ...extra.slice(1)];
    await writeFile(file, out.join('\n') + '\n');
}

describe('sync worker: incremental role pre-filter', () => {
    const fs: Fixture[] = [];
    const cfgs: string[] = [];
    beforeAll(async () => {
        for (const prefilter of [false, true]) {
            const f = await fixture(3_000, 5);
            const cfg = join(f.dir, '..', 'sync.config.json');
            await writeFile(cfg, JSON.stringify({ ...FAST, incrementalRolePrefilter: prefilter }));
            fs.push(f);
            cfgs.push(cfg);
        }
    });
    afterAll(async () => {
        for (const f of fs) await f.cleanup();
    });

    it('gives the same counts and the same Contacts with and without the pre-filter', async () => {
        const at = new Date(Date.now() + 60_000).toISOString();
        const reports = [];
        for (const [i, f] of fs.entries()) {
            expect((await cli(f, ['--config', cfgs[i]])).code).toBe(0);
            const changes = await applyChanges(f.dir, { update: 40, cease: 5, add: 5, at });
            await changeRoles(f.dir, at, new Set([...changes.updated, ...changes.ceased]));
            const { code, report } = await cli(f, ['--config', cfgs[i], '--incremental']);
            expect(code).toBe(0);
            reports.push(report!);
        }
        const [off, on] = reports;
        expect(on.mode).toBe('incremental');
        // the role changes add practitioners to the run: 50 from the practitioner file, 8 + 3
        // whose roles changed, 1 parsed because of its unusual role line (not changed)
        expect(on.entities.professionals!.read).toBeGreaterThanOrEqual(50 + 8 + 2);
        expect(on.entities.professionals!.updated).toBeGreaterThan(40);
        // rolesRejected counts only the roles an incremental run parses: the full parse counts
        // every invalid role of the registry, the pre-filter those of the processed practitioners
        // (and so does parts.roles: the roles read and rejected)
        const { rolesRejected: rOff, parts: pOff, ...restOff } = off.entities.professionals!;
        const { rolesRejected: rOn, parts: pOn, ...restOn } = on.entities.professionals!;
        expect(restOn).toEqual(restOff);
        expect(rOn).toBeGreaterThanOrEqual(1); // role-bad-1
        expect(rOn).toBeLessThanOrEqual(rOff ?? 0);
        expect([pOn!.roles.rejected, pOff!.roles.rejected]).toEqual([rOn, rOff]);
        expect(pOn!.roles.read).toBeLessThan(pOff!.roles.read);
        expect(on.entities.organizations).toEqual(off.entities.organizations);
        // the Contacts as the registry sees them: no org ids, the Account by its code
        const DROP = new Set([
            'Id',
            'AccountId',
            'LastModifiedDate',
            'CreatedDate',
            'SystemModstamp'
        ]);
        const state = (f: Fixture) => {
            const code = new Map(f.em.records('Account').map((a) => [a.Id, a.OrgCode__c]));
            return contacts(f)
                .map((c) =>
                    JSON.stringify([
                        code.get(c.AccountId),
                        Object.entries(c).filter(([k]) => !DROP.has(k))
                    ])
                )
                .sort();
        };
        expect(state(fs[1])).toEqual(state(fs[0]));
    });
});
