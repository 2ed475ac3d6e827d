import { ReportBuilder, formatReport } from '../../src/pipeline/report.ts';
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
        expect(formatReport(rb.report)).toContain('rejects (first 2 of 3)');
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
});
