import { parseConfig } from '../../src/config/schema.ts';
import { failedCount, ReportBuilder, formatReport } from '../../src/pipeline/report.ts';
import { exitCodeOf, headlineOf } from '../../src/pipeline/run-health.ts';
import { reportForOrg, syncRunFields } from '../../src/ops/run-record.ts';

function builder(maxListed = 2) {
    return new ReportBuilder(
        {
            runId: 'r1',
            mode: 'full',
            dryRun: false,
            reconcile: false,
            startedAt: '2026-01-01T00:00:00.000Z',
            source: 'ndjson:/x'
        },
        maxListed
    );
}

describe('report', () => {
    it('caps the listed rejects but counts them all, and scrubs PII from reasons', () => {
        const rb = builder(2);
        rb.reject(
            'professionals',
            'PLL************P',
            'duplicate of PLLDSR80E47A462P (mario@example.org)'
        );
        rb.reject('professionals', 'k2', 'r2');
        rb.reject('professionals', 'k3', 'r3');
        expect(rb.report.rejects).toHaveLength(2);
        expect(rb.report.rejectsNotListed).toBe(1);
        expect(rb.report.rejects[0].reason).not.toMatch(/PLLDSR80E47A462P|mario@/);
        rb.settle(parseConfig({}).health);
        expect(rb.report.rejectGroups.reduce((n, g) => n + g.count, 0)).toBe(3);
        expect(formatReport(rb.report)).toContain('rejects by reason (3 in 3 groups)');
    });

    it('groups every reject by reason with its count, masked examples and the fix', () => {
        const rb = builder(1);
        for (let i = 0; i < 170; i++)
            rb.reject(
                'professionals',
                `PractitionerRole/role-${i}`,
                `code[0].coding[1].code: unknown target category 'X'`,
                {
                    part: 'roles',
                    group: "unknown target category 'X'",
                    hint: 'map it in config: vocabularies.targetCategory.map'
                }
            );
        rb.reject(
            'consents',
            'Consent/c1',
            'performer[0].reference: unknown professional Practitioner/prac-1 (no Contact)'
        );
        rb.reject(
            'consents',
            'Consent/c2',
            'performer[0].reference: unknown professional Practitioner/prac-2 (no Contact)'
        );
        rb.reject('professionals', 'RSS************Z', 'telecom[0].value: invalid e-mail address');
        const r = rb.settle(parseConfig({}).health);
        expect(r.rejects).toHaveLength(1); // the list is capped, the groups count everything
        expect(r.rejectGroups).toEqual([
            {
                entity: 'professionals',
                part: 'roles',
                reason: "unknown target category 'X'",
                hint: 'map it in config: vocabularies.targetCategory.map',
                count: 170,
                examples: [
                    'PractitionerRole/role-0',
                    'PractitionerRole/role-1',
                    'PractitionerRole/role-2'
                ]
            },
            {
                entity: 'consents',
                reason: 'performer[0].reference: unknown professional Practitioner/… (no Contact)',
                count: 2,
                examples: ['Consent/c1', 'Consent/c2']
            },
            {
                entity: 'professionals',
                reason: 'telecom[0].value: invalid e-mail address',
                count: 1,
                examples: ['RSS************Z']
            }
        ]);
        const text = formatReport(r);
        expect(text).toContain(
            "   170 × professionals/roles: unknown target category 'X' (e.g. PractitionerRole/role-0, PractitionerRole/role-1, PractitionerRole/role-2) — map it in config: vocabularies.targetCategory.map"
        );
    });

    it('maps the report onto SyncRun__c fields (a budget stop is Partial, reconcile is a mode)', () => {
        const rb = builder();
        const p = rb.entity('professionals');
        Object.assign(p, {
            created: 3,
            updated: 2,
            unchanged: 5,
            deactivated: 1,
            rejected: 4,
            failed: 1
        });
        rb.entity('organizations').created = 41;
        rb.report.status = 'Stopped';
        rb.report.reconcile = true;
        const f = syncRunFields(rb.report);
        expect(f).toMatchObject({
            Status__c: 'Partial',
            Mode__c: 'Reconcile',
            ProfessionalsCreated__c: 3,
            ProfessionalsUpdated__c: 2,
            ProfessionalsDeactivated__c: 1,
            ProfessionalsFailed__c: 1,
            OrganizationsWritten__c: 41,
            Entities__c: 'professionals,organizations'
        });
    });

    it('keeps Report__c within the LongTextArea(131072) limit', () => {
        const rb = builder(5000);
        for (let i = 0; i < 3000; i++) rb.reject('professionals', `K${i}`, 'x'.repeat(60));
        const text = reportForOrg(rb.report);
        expect(text.length).toBeLessThanOrEqual(131072);
        const parsed = JSON.parse(text);
        expect(parsed.rejects.length + parsed.rejectsNotListed).toBe(3000);
    });

    it('keeps Report__c within the limit with many reject groups and unknown codes', () => {
        const rb = builder(5000);
        for (let i = 0; i < 3000; i++)
            rb.reject(
                'professionals',
                `PractitionerRole/role-${i}`,
                `unknown target category '${'C'.repeat(50)}${i}'`,
                {
                    part: 'roles'
                }
            );
        const r = rb.settle(parseConfig({}).health);
        r.unknownCodes = Array.from({ length: 1200 }, (_, i) => ({
            vocabulary: 'targetCategory',
            field: 'Contact.TargetCategory__c',
            code: `${'C'.repeat(50)}${i}`,
            count: 1,
            outcome: 'rejected'
        }));
        // 200 reasons, then one "other reasons" group that counts the rest
        expect(r.rejectGroups.length).toBe(201);
        expect(r.rejectGroups.find((g) => g.reason.startsWith('other reasons'))?.count).toBe(2800);
        const text = reportForOrg(r);
        expect(text.length).toBeLessThanOrEqual(131072);
        expect(JSON.parse(text).rejectGroups.length).toBeGreaterThan(0);
    });
});

describe('report: subject keys (docs/privacy.md, "Subject key: worker side")', () => {
    it('shows the key fingerprint and the stamp pass counts; stamp failures make the run Partial', () => {
        const rb = builder(5);
        rb.report.subjectKeys = {
            fingerprint: 'a405e2da1c44d0d1',
            tombstones: 3,
            unstamped: 2,
            stamped: 1,
            failed: 1
        };
        rb.failure(
            'subjectKeys',
            '003Hp000000000AIAQ',
            'UNABLE_TO_LOCK_ROW',
            'unable to obtain exclusive access'
        );
        rb.report.status = failedCount(rb.report) > 0 ? 'Partial' : 'Succeeded';
        rb.settle(parseConfig({}).health);
        const text = formatReport(rb.report);
        expect(text).toContain(
            'subject keys   key fingerprint a405e2da1c44d0d1, tombstones 3; Contacts without the key 2, stamped 1, failed 1'
        );
        expect(rb.report.status).toBe('Partial');
        expect(headlineOf(rb.report)).toMatch(/^Partial: 1 valid records failed to load/);
        expect(exitCodeOf(rb.report)).toBe(3);
    });
    it('says nothing about subject keys when there were no tombstones and nothing to stamp', () => {
        const rb = builder();
        rb.report.subjectKeys = {
            fingerprint: 'a405e2da1c44d0d1',
            tombstones: 0,
            unstamped: 0,
            stamped: 0,
            failed: 0
        };
        rb.report.status = failedCount(rb.report) > 0 ? 'Partial' : 'Succeeded';
        rb.settle(parseConfig({}).health);
        expect(formatReport(rb.report)).not.toContain('subject keys');
        expect(rb.report.status).toBe('Succeeded');
    });
});
