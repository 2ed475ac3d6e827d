// Stage 4, load (LoadOutcome): every write of a run goes through `applyWrite` (the entity's
// changes, in passes when it asks, and its prerequisites), with the upsert options built once
// from the configuration; failures (on disk past a few thousand) are counted against what the
// plan said, each with its cause, and a stop or a used-up API budget ends the run after the load
// that met it.
import type { ApplyWrite, EntityTarget, EntityTally, Write } from '../entities/types.ts';
import { BudgetExceededError } from '../salesforce/budget.ts';
import type { SfRecord } from '../salesforce/record.ts';
import {
    API_BUDGET_EXCEEDED,
    RUN_STOPPED,
    upsertRecords,
    type FailureLog
} from '../salesforce/upsert.ts';
import { readNdjson } from '../util/ndjson-file.ts';
import { StopRequestedError, stopReason, type RunContext } from './context.ts';
import type { OrgIndex } from './org-index.ts';
import type { Change, ChangeSet } from './plan.ts';
import type { StagedFile } from './stage.ts';

/** What stage 4 hands back: the records that could not be written, pass by pass. */
export interface LoadOutcome {
    failed: FailureLog[];
}

/** The apply step of a run, writing its upload files under `tmpDir`. */
export function applier(run: RunContext, tmpDir: string): ApplyWrite {
    return async (write: Write) => {
        const options = {
            ...run.upsert,
            tmpDir,
            ...(write.collectionsOnly ? { bulkThreshold: Number.MAX_SAFE_INTEGER } : {})
        };
        const result = await upsertRecords(
            run.client,
            write.target,
            write.records,
            write.count,
            options
        );
        return result.failed;
    };
}

/** The changed records of a changes file (pass: only those of that load pass). */
export async function* changedRecords(
    changes: ChangeSet,
    pass?: { number: number; of: (record: SfRecord) => number }
): AsyncIterable<SfRecord> {
    for await (const change of readNdjson<Change>(changes.path))
        if (!pass || pass.of(change.record) === pass.number) yield change.record;
}

/** The CSV columns of an entity: its fields, its status field, its hash field. */
export function loadColumns(entity: EntityTarget): string[] {
    const status = entity.status;
    return [
        ...entity.fields.names,
        ...(status && !entity.fields.has(status.field) ? [status.field] : []),
        ...(entity.hashField ? [entity.hashField] : [])
    ];
}

/** How many changes each load pass holds (one pass 0 unless the entity loads in passes). */
async function countPasses(entity: EntityTarget, changes: ChangeSet): Promise<Map<number, number>> {
    const passes = new Map<number, number>();
    if (!entity.pass) {
        passes.set(0, changes.count);
        return passes;
    }
    for await (const record of changedRecords(changes)) {
        const pass = entity.pass(record);
        passes.set(pass, (passes.get(pass) ?? 0) + 1);
    }
    return passes;
}

/** Stage 4: writes the changes, pass by pass (courses before their modules). */
export async function applyChangeSet(
    entity: EntityTarget,
    changes: ChangeSet,
    run: RunContext,
    apply: ApplyWrite
): Promise<LoadOutcome> {
    const target = {
        object: entity.object,
        externalId: entity.externalId,
        columns: loadColumns(entity)
    };
    run.logger.info(
        {
            event: 'load',
            entity: entity.name,
            object: entity.object,
            records: changes.count,
            via: changes.count >= run.config.bulkThreshold ? 'bulk' : 'collections'
        },
        'loading'
    );
    const passes = await countPasses(entity, changes);
    const failed: FailureLog[] = [];
    for (const number of [...passes.keys()].sort((a, b) => a - b)) {
        const records = changedRecords(
            changes,
            entity.pass ? { number, of: entity.pass } : undefined
        );
        failed.push(await apply({ target, records, count: passes.get(number)! }));
    }
    return { failed };
}

/**
 * Counts the failures of a load against the plan (a failed create is not created...) and
 * reports them with their cause; a load that met a stop request or the API budget ends the run
 * here. Each key fails at most once in a load (the plan holds each key once, and a row ends
 * either loaded or failed), so failures are streamed, never collected.
 */
export async function countLoadOutcome(
    entity: EntityTarget,
    outcome: LoadOutcome,
    org: OrgIndex,
    staged: StagedFile,
    tally: EntityTally,
    signal?: AbortSignal
): Promise<void> {
    const counts = tally.counts;
    let stopped = false;
    let budget = false;
    for (const log of outcome.failed) {
        for await (const failure of log) {
            counts.failed++;
            if (!org.has(failure.key)) counts.created--;
            else if (staged.winners.has(failure.key)) counts.updated--;
            else counts.deactivated--;
            tally.failure(
                entity.maskKey(failure.key),
                failure.errorCode,
                failure.message,
                failure.cause
            );
            if (failure.errorCode === RUN_STOPPED) stopped = true;
            if (failure.errorCode === API_BUDGET_EXCEEDED) budget = true;
        }
        await log.dispose();
    }
    if (stopped) throw new StopRequestedError(`${stopReason(signal)} while loading ${entity.name}`);
    if (budget) throw new BudgetExceededError(`API budget reached while loading ${entity.name}`);
}
