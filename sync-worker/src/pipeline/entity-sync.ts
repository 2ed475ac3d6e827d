// One entity through the four stages: stage (StagedFile) -> read the org (OrgIndex) -> plan
// (ChangeSet) -> apply (LoadOutcome). Returns the entity's latest registry time for its
// watermark; registry times after the run's start are reported as a defect, never used.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entity, EntityContext } from '../entities/types.ts';
import { CpuLaps } from '../util/cpu.ts';
import { applier, applyChangeSet, changedRecords, countLoadOutcome } from './apply.ts';
import { checkStop, type EntityStep, type RunContext } from './context.ts';
import { readOrgIndex } from './org-index.ts';
import { planChanges } from './plan.ts';
import { stageRecords } from './stage.ts';

/** What an entity leaves for its watermark. */
export interface EntityResult {
    /** the latest registry time read, at or before the run's start ('' when none) */
    latest: string;
}

export async function syncEntity(
    entity: Entity,
    context: EntityContext,
    run: RunContext,
    full: boolean
): Promise<EntityResult> {
    const dir = join(run.tmpDir, entity.name);
    const tally = context.tally;
    const step: EntityStep = { entity, tally, dir, full };
    await mkdir(dir, { recursive: true });
    const cpu = new CpuLaps();
    const opened = await entity.open(context);
    // the org is read after the source, so the join's role table is already freed when the
    // org index is built (peak memory at 1M)
    const staged = await stageRecords(step, opened.produce(), run);
    const cpuMs = { stage: cpu.lap(), orgRead: 0, plan: 0, apply: 0 };
    const org = await readOrgIndex(step, staged, run);
    cpuMs.orgRead = cpu.lap();
    const changes = await planChanges(step, staged, org, run);
    cpuMs.plan = cpu.lap();
    // load (never in a dry run); once started, a load is finished and counted
    checkStop(run.signal, `before loading ${entity.name}`);
    if (!run.dryRun) {
        const apply = applier(run, dir);
        await opened.prerequisites(() => changedRecords(changes), apply);
        if (changes.count > 0) {
            const outcome = await applyChangeSet(entity, changes, run, apply);
            await countLoadOutcome(entity, outcome, org, staged, tally, run.signal);
        }
    }
    cpuMs.apply = cpu.lap();
    const future = changes.future;
    if (future.count > 0 && entity.watermark !== false) {
        run.report.warn(
            `registry defect: ${future.count} ${entity.name} record(s) have meta.lastUpdated after the run's start (latest ${future.latest}, e.g. ${future.example}): that time is not trusted, the ${entity.name} watermark stays at or before ${context.now}`
        );
    }
    run.logger.info(
        { event: 'entity-done', entity: entity.name, ...tally.counts, cpuMs },
        `${entity.name} done`
    );
    return { latest: changes.maxUpdated };
}
