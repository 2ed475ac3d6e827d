// One entity through the four stages: stage (StagedFile) -> read the org (OrgIndex) -> plan
// (ChangeSet) -> apply (LoadOutcome). Returns the entity's latest updatedAt for the watermark.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entity, EntityContext } from '../entities/types.ts';
import { applier, applyChangeSet, changedRecords, countLoadOutcome } from './apply.ts';
import { checkStop, type EntityStep, type RunContext } from './context.ts';
import { readOrgIndex } from './org-index.ts';
import { planChanges } from './plan.ts';
import { stageRecords } from './stage.ts';

export async function syncEntity(
    entity: Entity,
    context: EntityContext,
    run: RunContext,
    full: boolean
): Promise<string> {
    const dir = join(run.tmpDir, entity.name);
    const tally = context.tally;
    const step: EntityStep = { entity, tally, dir, full };
    await mkdir(dir, { recursive: true });
    const opened = await entity.open(context);
    // the org is read after the source, so the join's role table is already freed when the
    // org index is built (peak memory at 1M)
    const staged = await stageRecords(step, opened.produce(), run);
    const org = await readOrgIndex(step, staged, run);
    const changes = await planChanges(step, staged, org, run);
    // load (never in a dry run); once started, a load is finished and counted
    checkStop(run.signal, `before loading ${entity.name}`);
    if (!run.dryRun) {
        const apply = applier(run, dir);
        await opened.prerequisites(() => changedRecords(changes), apply);
        if (changes.count > 0) {
            const outcome = await applyChangeSet(entity, changes, run, apply);
            countLoadOutcome(entity, outcome, org, staged, tally);
        }
    }
    run.logger.info(
        { event: 'entity-done', entity: entity.name, ...tally.counts },
        `${entity.name} done`
    );
    return changes.maxUpdated;
}
