import { parseConfig } from '../../src/config/schema.ts';
import { ReportBuilder, formatReport } from '../../src/pipeline/report.ts';
import { exitCodeOf } from '../../src/pipeline/run-health.ts';

function run(dryRun = false) {
    return new ReportBuilder(
        {
            runId: 'r1',
            mode: 'full',
            dryRun,
            reconcile: false,
            startedAt: '2026-01-01T00:00:00.000Z',
            source: 'ndjson:/x'
        },
        1000
    );
}

/** `n` role parts rejected for an unknown category out of `read` roles. */
function roles(rb: ReportBuilder, read: number, rejected: number, code = 'X') {
    const p = rb.entity('professionals');
    Object.assign(p, { read: 250, valid: 250 });
    p.parts = { roles: { read, rejected } };
    p.rolesRejected = rejected;
    for (let i = 0; i < rejected; i++)
        rb.reject(
            'professionals',
            `PractitionerRole/role-${i}`,
            `code[0].coding[1].code: unknown target category '${code}'`,
            {
                part: 'roles',
                group: `unknown target category '${code}'`,
                hint: 'map it in config: vocabularies.targetCategory.map'
            }
        );
}

const health = (over = {}) => parseConfig({ health: over }).health;

describe('run health', () => {
    it('above the threshold: Partial, exit 5, and a first line that names the cause and the fix', () => {
        const rb = run();
        roles(rb, 250, 170);
        const r = rb.settle(health());
        expect(r.status).toBe('Partial');
        expect(exitCodeOf(r)).toBe(5);
        expect(r.headline).toBe(
            "professionals: 68% of roles rejected — unknown target category 'X' ×170; map it in config: vocabularies.targetCategory.map"
        );
        expect(formatReport(r).split('\n')[0]).toBe(r.headline);
        expect(r.health.problems).toEqual([
            {
                entity: 'professionals',
                part: 'roles',
                read: 250,
                rejected: 170,
                share: 0.68,
                threshold: 0.05,
                message: r.headline
            }
        ]);
    });

    it('records: the share of rejected records per entity, with the largest group of rejects', () => {
        const rb = run(true);
        Object.assign(rb.entity('consents'), { read: 100, valid: 0, rejected: 100 });
        for (let i = 0; i < 100; i++) rb.reject('consents', `Consent/c${i}`, 'meta: required');
        const r = rb.settle(health());
        expect(r.headline).toBe(
            'consents: 100% of records rejected — meta: required ×100; see rejectGroups in the report (dry run: nothing written)'
        );
        expect(exitCodeOf(r)).toBe(5);
    });

    it('at or below the threshold, or with fewer than minRejected rejects: healthy', () => {
        const below = run();
        roles(below, 1000, 50); // 5%: not above
        expect(below.settle(health()).status).toBe('Succeeded');
        const few = run();
        roles(few, 3, 3); // 100%, but 3 rejects: one odd record in a small incremental run
        expect(few.settle(health()).health.ok).toBe(true);
        const strict = run();
        roles(strict, 3, 3);
        expect(strict.settle(health({ minRejected: 1 })).health.ok).toBe(false);
    });

    it('per-entity and per-part thresholds override the default', () => {
        const lenient = run();
        roles(lenient, 250, 20); // 8%
        expect(lenient.settle(health({ parts: { 'professionals.roles': 0.1 } })).health.ok).toBe(
            true
        );
        const tight = run();
        roles(tight, 1000, 30); // 3%
        const r = tight.settle(health({ parts: { 'professionals.roles': 0.02 } }));
        expect(r.health.problems[0]).toMatchObject({ threshold: 0.02, share: 0.03 });
        expect(() => parseConfig({ health: { parts: { roles: 0.1 } } })).toThrow(
            /health\.parts\.roles: Invalid key/
        );
    });

    it('keeps Stopped (exit 3) and Partial for failures (exit 3); unhealthy and failures: exit 5', () => {
        const stopped = run();
        roles(stopped, 250, 170);
        stopped.report.status = 'Stopped';
        const s = stopped.settle(health());
        expect([s.status, exitCodeOf(s)]).toEqual(['Stopped', 3]);
        const failed = run();
        Object.assign(failed.entity('professionals'), { read: 10, valid: 10, failed: 2 });
        failed.report.status = 'Partial';
        const f = failed.settle(health());
        expect(exitCodeOf(f)).toBe(3);
        expect(f.headline).toMatch(/^Partial: 2 valid records failed to load/);
        const both = run();
        roles(both, 250, 170);
        both.report.status = 'Partial';
        expect(exitCodeOf(both.settle(health()))).toBe(5);
        const ok = run();
        expect(exitCodeOf(ok.settle(health()))).toBe(0);
        expect(ok.report.headline).toBe('Succeeded: every valid record is in the org');
    });
});
