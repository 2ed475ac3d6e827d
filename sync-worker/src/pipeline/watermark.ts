// The registry watermark, one per entity: incremental runs process what changed after each
// entity's watermark (less an overlap window, so a resource committed late with an older
// meta.lastUpdated is still read: the hash diff makes re-reading it free). An entity's watermark
// moves only when the run completed that entity (no failure, not stopped), never past the run's
// start (a registry time in the future is a defect, reported and never trusted), and only from
// the registry's own clock (not a consent's CaptureDate).
//
// Stored as JSON in SyncRun__c.EntityWatermarks__c, carried forward by every run for the
// entities it did not touch. Runs written before issue 14 have only SourceWatermark__c: the
// latest successful one is read as the watermark of every registry entity (the upgrade path).
import type { SfClient } from '../salesforce/http.ts';
import { queryFirstPage } from '../salesforce/query.ts';

export type WatermarkMap = Record<string, string>;

interface RunRow {
    EntityWatermarks__c?: string | null;
    SourceWatermark__c?: string | null;
    Status__c?: string | null;
    Entities__c?: string | null;
}

/** What the org says the watermarks are, and whether they come from a pre-issue-14 run. */
export interface PreviousWatermarks {
    values: WatermarkMap;
    legacy: boolean;
}

/** Runs read back: several, so two runs of different entities that ended together (each
 *  carrying the other's older value forward) lose nothing: the latest value of each wins. */
const RUNS_READ = 20;

/** The JSON of EntityWatermarks__c, ignoring anything that is not `{entity: ISO instant}`. */
export function parseWatermarks(text: string | null | undefined): WatermarkMap {
    if (!text) return {};
    try {
        const parsed = JSON.parse(text) as unknown;
        const out: WatermarkMap = {};
        if (parsed && typeof parsed === 'object')
            for (const [entity, value] of Object.entries(parsed))
                if (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
                    out[entity] = value;
        return out;
    } catch {
        return {};
    }
}

/**
 * The watermark of each entity from the latest non-dry runs that succeeded or ended Partial (a
 * Partial run advanced the entities it completed). One REST query.
 */
export async function readWatermarks(
    client: SfClient,
    registryEntities: readonly string[]
): Promise<PreviousWatermarks> {
    const soql = `SELECT EntityWatermarks__c, SourceWatermark__c, Status__c, Entities__c FROM SyncRun__c WHERE DryRun__c = false AND Status__c IN ('Succeeded', 'Partial') ORDER BY CreatedDate DESC LIMIT ${RUNS_READ}`;
    const page = await queryFirstPage<RunRow>(client, soql);
    const values: WatermarkMap = {};
    let modern = false;
    for (const row of page.records) {
        if (!row.EntityWatermarks__c) continue;
        modern = true;
        for (const [entity, value] of Object.entries(parseWatermarks(row.EntityWatermarks__c)))
            if (value > (values[entity] ?? '')) values[entity] = value;
    }
    if (modern) return { values, legacy: false };
    // the upgrade path: the last successful run's one watermark, for the registry entities that
    // run synchronised (an entity it did not run has none: its first run reads it in full)
    const legacy = page.records.find((r) => r.Status__c === 'Succeeded' && r.SourceWatermark__c);
    if (!legacy?.SourceWatermark__c) return { values, legacy: false };
    const ran = (legacy.Entities__c ?? '').split(',').map((e) => e.trim());
    for (const entity of registryEntities)
        if (ran.includes(entity)) values[entity] = legacy.SourceWatermark__c;
    return { values, legacy: true };
}

/** The `since` an entity reads from: its watermark less the overlap window. */
export function readSince(watermark: string, overlapMs: number): string {
    return new Date(Date.parse(watermark) - overlapMs).toISOString();
}

/**
 * The watermark an entity leaves: the latest registry time it read (times after the run's start
 * are left out by the plan), never past the run's start, never backwards, and only when the run
 * completed the entity.
 */
export function nextWatermark(
    previous: string | null,
    latest: string,
    startedAt: string,
    completed: boolean
): string | null {
    if (!completed || !latest) return previous;
    const capped = latest > startedAt ? startedAt : latest;
    return capped > (previous ?? '') ? capped : previous;
}

/** The oldest of the watermarks (what SourceWatermark__c keeps for older readers). */
export function oldest(values: Iterable<string | null>): string | null {
    let out: string | null = null;
    for (const v of values) {
        if (v === null) return null;
        if (out === null || v < out) out = v;
    }
    return out;
}
