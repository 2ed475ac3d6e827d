// The stages of one entity on their own: stage (StagedFile) -> plan (ChangeSet) -> apply
// (LoadOutcome), with a fake org index and a fake apply step (no org, no network).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { field, FieldSet } from '../../src/entities/fields.ts';
import { defineEntity, noPreparation, type Entity, type Write } from '../../src/entities/types.ts';
import { parseConfig } from '../../src/config/schema.ts';
import { applyChangeSet, changedRecords, countLoadOutcome } from '../../src/pipeline/apply.ts';
import type { EntityStep, RunContext } from '../../src/pipeline/context.ts';
import { OrgIndex } from '../../src/pipeline/org-index.ts';
import { planChanges } from '../../src/pipeline/plan.ts';
import { ReportBuilder } from '../../src/pipeline/report.ts';
import { stageRecords, Winners } from '../../src/pipeline/stage.ts';
import { syncHash } from '../../src/pipeline/sync-hash.ts';
import type { SfRecord } from '../../src/salesforce/record.ts';
import { FailureLog } from '../../src/salesforce/failures.ts';
import { silentLogger } from '../../src/util/log.ts';

const FIELDS = new FieldSet([field.text('Code__c'), field.text('Name')]);

const ITEMS: Entity = defineEntity({
    name: 'content',
    object: 'Item__c',
    externalId: 'Code__c',
    fields: FIELDS,
    hashField: 'SyncHash__c',
    status: { field: 'Status__c', active: 'Active', ceased: 'Ceased' },
    loadOrder: 1,
    requires: 'LearningContent',
    maskKey: (key) => `masked-${key}`,
    pass: (record) => (record.Name === 'module' ? 1 : 0),
    prepare: noPreparation,
    async *produce() {}
});

function record(code: string, name: string, updatedAt: string, sourceId = code) {
    return {
        ok: true as const,
        key: code,
        updatedAt,
        record: { Code__c: code, Name: name },
        sourceId
    };
}

async function* produced() {
    yield record('A', 'course', '2025-01-01T00:00:00.000Z');
    yield record('B', 'module', '2025-01-02T00:00:00.000Z');
    // a duplicate of A updated later: it wins, the first A is rejected as superseded
    yield record('A', 'course v2', '2025-02-01T00:00:00.000Z', 'A-second');
    yield {
        ok: false as const,
        key: 'bad',
        reason: 'Name: required',
        sourceId: 'x',
        matchKey: 'D'
    };
}

async function setup() {
    const dir = await mkdtemp(join(tmpdir(), 'stages-'));
    const report = new ReportBuilder(
        {
            runId: 'r',
            mode: 'full',
            dryRun: false,
            reconcile: false,
            startedAt: '2026-01-01T00:00:00.000Z',
            source: 'test'
        },
        10
    );
    const run = {
        config: parseConfig({}),
        report,
        logger: silentLogger,
        reconcile: false,
        dryRun: false,
        tmpDir: dir
    } as unknown as RunContext;
    const step: EntityStep = { entity: ITEMS, tally: report.tally('content'), dir, full: true };
    return { run, step, report };
}

describe('Winners', () => {
    it('keeps the most recently updated record of a key, the first one on a tie', () => {
        const winners = new Winners();
        winners.offer('K', 1, '2025-01-01T00:00:00Z', 'first');
        winners.offer('K', 2, '2025-01-01T00:00:00Z', 'tie');
        winners.offer('K', 3, '2025-03-01T00:00:00Z', 'newest');
        expect(winners.has('K')).toBe(true);
        expect(winners.has('other')).toBe(false);
        // 1 lost to the newest (its source id), 2 lost to 1 (read back from the staging file)
        expect([...winners.losers]).toEqual([
            [2, 1],
            [1, 'newest']
        ]);
    });
});

describe('stage -> plan -> apply', () => {
    it('stages, diffs against the org, deactivates what is missing and loads in passes', async () => {
        const { run, step, report } = await setup();
        const staged = await stageRecords(step, produced(), run);
        expect(report.report.entities.content).toMatchObject({ read: 4, rejected: 1 });
        // kept as the org compares keys: without case
        expect(staged.rejectedKeys).toEqual(new Set(['d']));

        const org = new OrgIndex(staged.keys);
        const aHash = syncHash({ Code__c: 'A', Name: 'course v2' }, FIELDS);
        org.put('A', { id: '0', hash: aHash, status: 'Active' }); // unchanged
        org.put('B', { id: '1', hash: 'old', status: 'Active' }); // changed
        org.put('C', { id: '2', hash: 'h', status: 'Active' }); // gone from the source
        org.put('D', { id: '3', hash: 'h', status: 'Active' }); // rejected: kept
        const changes = await planChanges(step, staged, org, run);
        expect(changes.count).toBe(2);
        expect(changes.maxUpdated).toBe('2025-02-01T00:00:00.000Z');
        expect(report.report.entities.content).toMatchObject({
            valid: 2,
            rejected: 2,
            updated: 1,
            unchanged: 1,
            deactivated: 1
        });
        expect(report.report.rejects[1]).toEqual({
            entity: 'content',
            key: 'masked-A',
            reason: 'duplicate Code__c: superseded by A-second, updated more recently'
        });
        const planned: SfRecord[] = [];
        for await (const r of changedRecords(changes)) planned.push(r);
        expect(planned.map((r) => [r.Code__c, r.Name ?? r.Status__c])).toEqual([
            ['B', 'module'],
            ['C', 'Ceased']
        ]);

        const writes: Write[] = [];
        const written: string[][] = [];
        const outcome = await applyChangeSet(ITEMS, changes, run, async (write) => {
            writes.push(write);
            const codes: string[] = [];
            for await (const r of write.records) codes.push(r.Code__c!);
            written.push(codes);
            return new FailureLog();
        });
        // pass 0 (the deactivation has no Name: pass 0) before pass 1 (the module)
        expect(written).toEqual([['C'], ['B']]);
        expect(writes.map((w) => [w.count, w.target.columns])).toEqual([
            [1, ['Code__c', 'Name', 'Status__c', 'SyncHash__c']],
            [1, ['Code__c', 'Name', 'Status__c', 'SyncHash__c']]
        ]);
        await countLoadOutcome(ITEMS, outcome, org, staged, step.tally);
        expect(report.report.entities.content).toMatchObject({
            failed: 0,
            updated: 1,
            deactivated: 1
        });
    });

    it('counts a failed deactivation as failed, not deactivated, and stops on RUN_STOPPED', async () => {
        const { run, step, report } = await setup();
        const staged = await stageRecords(step, produced(), run);
        const org = new OrgIndex(staged.keys);
        org.put('C', { id: '2', hash: 'h', status: 'Active' });
        await planChanges(step, staged, org, run);
        const failures = async (...list: Array<[string, string]>) => {
            const log = new FailureLog();
            for (const [key, errorCode] of list)
                await log.add({ key, errorCode, message: 'm', cause: 'c' });
            return log;
        };
        await countLoadOutcome(
            ITEMS,
            { failed: [await failures(['C', 'UNABLE_TO_LOCK_ROW'])] },
            org,
            staged,
            step.tally
        );
        expect(report.report.entities.content).toMatchObject({ failed: 1, deactivated: 0 });
        await expect(
            countLoadOutcome(
                ITEMS,
                { failed: [await failures(['A', 'RUN_STOPPED'])] },
                org,
                staged,
                step.tally
            )
        ).rejects.toThrow(/stop requested/);
    });
});
