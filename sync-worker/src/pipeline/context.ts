// What every stage of a run shares (RunContext): the org client, the configuration and the
// options built once from it, the report, the log, the stop signal; and how a run stops between
// steps when asked to (SIGTERM).
import type { SyncConfig } from '../config/schema.ts';
import type { EntityTarget, EntityTally } from '../entities/types.ts';
import type { SfClient } from '../salesforce/http.ts';
import type { BulkQueryOptions } from '../salesforce/query.ts';
import type { UpsertOptions } from '../salesforce/upsert.ts';
import type { JobRegistry } from '../salesforce/bulk2/ingest.ts';
import { stopReason } from '../util/stop.ts';

export { stopReason } from '../util/stop.ts';
import type { Logger } from '../util/log.ts';
import type { ReportBuilder } from './report.ts';

export interface Progress {
    start(label: string, total: number): void;
    update(value: number): void;
    stop(): void;
}

export interface RunContext {
    client: SfClient;
    config: SyncConfig;
    report: ReportBuilder;
    logger: Logger;
    progress?: Progress;
    reconcile: boolean;
    dryRun: boolean;
    /** aborted on SIGTERM: the run stops between steps, never inside a load */
    signal?: AbortSignal;
    /** the run's scratch folder (staging files, uploads) */
    tmpDir: string;
    /** built once from the configuration: every Bulk query of the run */
    bulk: BulkQueryOptions;
    /** built once from the configuration: every write of the run (tmpDir per entity) */
    upsert: UpsertOptions;
    /** the run's Bulk API 2.0 jobs (recorded on its SyncRun__c; aborted when the run ends badly) */
    jobs: JobRegistry;
}

/** One entity's place in the run, handed to each stage. */
export interface EntityStep {
    entity: EntityTarget;
    tally: EntityTally;
    /** the entity's scratch folder (staging and changes files, uploads) */
    dir: string;
    /** a full run: the source is a complete snapshot (deactivation, whole-object reads) */
    full: boolean;
}

/** Thrown between steps when the run was asked to stop (SIGTERM, its lease lost). */
export class StopRequestedError extends Error {
    constructor(message = 'stop requested (SIGTERM)') {
        super(message);
        this.name = 'StopRequestedError';
    }
}

/** Stops the run here (StopRequestedError) when it was asked to. */
export function checkStop(signal: AbortSignal | undefined, where: string): void {
    if (signal?.aborted) throw new StopRequestedError(`${stopReason(signal)} ${where}`);
}
