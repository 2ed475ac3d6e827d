// One interface for every registry source: async iterators of raw FHIR resources, streamed.
import type { KeptLines } from './kept-lines.ts';

export type ResourceType =
    | 'Organization'
    | 'Practitioner'
    | 'PractitionerRole'
    | 'Consent'
    /** training content items (`content:<dir>`), not a FHIR resource */
    | 'LearningContent';

export interface ReadOptions {
    /** incremental runs: only resources with meta.lastUpdated > since (servers may ignore it) */
    since?: string;
    /** also return these resources by id (fhir: `_id=`), used by incremental joins */
    ids?: readonly string[];
    /**
     * A cheap test on a resource's raw text (line-based sources only): true when the resource is
     * certainly not wanted, so it is skipped without being parsed. Sources may ignore it. The
     * text may be the line's UTF-8 bytes one character a byte (ndjson reads it undecoded): a
     * test must look only at ASCII text and answer false ("parse it") for a value it extracts
     * that holds anything else, so that it answers the same on the bytes and on the decoded line.
     */
    skipRaw?: (text: string) => boolean;
    /** line-based sources: the lines `skipRaw` keeps and rules out are told to it (KeptLines) */
    keep?: KeptLines;
    /**
     * line-based sources: read these lines (kept by an earlier complete read of the same type)
     * instead of the file; the caller has checked KeptLines.replayableWith
     */
    replay?: KeptLines;
}

export interface RegistrySource {
    /** safe description for logs and reports (no credentials) */
    readonly description: string;
    /** whether `since` is applied by the source itself */
    readonly filtersSince: boolean;
    /** whether `skipRaw` is applied (a line-based source: ndjson) */
    readonly readsLines?: boolean;
    read(type: ResourceType, opts?: ReadOptions): AsyncIterable<unknown>;
    /** whether this source holds resources of `type` (decides the default entities) */
    has(type: ResourceType): Promise<boolean>;
}

/** A line or entry that is not valid JSON: surfaced as a reject, the run goes on. */
export class UnparseableResource {
    readonly type: ResourceType;
    readonly position: string;
    readonly reason: string;
    constructor(type: ResourceType, position: string, reason: string) {
        this.type = type;
        this.position = position;
        this.reason = reason;
    }
}
