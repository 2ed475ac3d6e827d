// Single-flight: a run holds a lease in the org, i.e. its own SyncRun__c record in Running with
// Heartbeat__c refreshed periodically. A second run for overlapping entities refuses (exit 4)
// unless the other lease is stale (no heartbeat for `staleAfterMs`): then it takes over, aborts
// the Bulk jobs the stale run recorded (BulkJobs__c) so none goes on writing, records
// TakenOverFrom__c on its own run and marks the stale run Failed with the reason.
//
// The org offers no compare-and-set through REST, so a run first writes its Running record and
// then reads all Running leases, ordered by the org (CreatedDate, then Id): among live leases for
// overlapping entities the first in that order holds the lease, whatever the clocks of the
// machines that wrote them; the others mark themselves Failed. Staleness is measured against
// the org's clock too (the LastModifiedDate of the run's own record, just written). Each
// heartbeat reads the lease back: a run whose lease was taken over stops cleanly (its Bulk jobs
// aborted, status Stopped) instead of writing on beside the run that took over.
//
// Lease writes go to SyncRun__c only: a run that changes nothing still writes no synced object.
import type { SfClient } from '../salesforce/http.ts';
import type { Logger } from '../util/log.ts';
import { abortJob, isFinal, type JobInfo } from '../salesforce/bulk2/job.ts';
import { parseSalesforceDateTime } from '../salesforce/datetime.ts';
import { queryFirstPage, soqlString } from '../salesforce/query.ts';
import { syncRunPath } from './run-record.ts';

export class LeaseConflictError extends Error {
    readonly holder: LeaseHolder;
    constructor(message: string, holder: LeaseHolder) {
        super(message);
        this.name = 'LeaseConflictError';
        this.holder = holder;
    }
}

export interface LeaseHolder {
    runId: string;
    entities: string[];
    startedAt: string | null;
    heartbeat: string | null;
    /** the org's clock: when the record was created and last written */
    createdDate?: string | null;
    lastModified?: string | null;
    /** the Bulk jobs the run recorded */
    bulkJobs?: string[];
}

export interface LeaseOptions {
    runId: string;
    entities: readonly string[];
    mode: 'Full' | 'Incremental' | 'Reconcile' | 'Campaign';
    source: string;
    staleAfterMs: number;
    heartbeatMs: number;
    now?: () => Date;
    logger?: Logger;
}

interface RunningRow {
    RunId__c?: string | null;
    Entities__c?: string | null;
    StartedAt__c?: string | null;
    Heartbeat__c?: string | null;
    CreatedDate?: string | null;
    LastModifiedDate?: string | null;
    BulkJobs__c?: string | null;
}

const splitEntities = (s: string | null | undefined): string[] =>
    (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

/** Two runs conflict when they share an entity (a run with no recorded entities blocks all). */
export function overlaps(a: readonly string[], b: readonly string[]): boolean {
    if (a.length === 0 || b.length === 0) return true;
    return a.some((e) => b.includes(e));
}

/** The last sign of life of a lease: its heartbeat, else its start. */
export function lastSeen(h: Pick<LeaseHolder, 'heartbeat' | 'startedAt'>): number {
    const t = parseSalesforceDateTime(h.heartbeat ?? h.startedAt ?? '');
    return Number.isFinite(t) ? t : 0;
}

export function isStale(h: LeaseHolder, now: Date, staleAfterMs: number): boolean {
    return now.getTime() - lastSeen(h) > staleAfterMs;
}

/** The Running leases in the org's order: CreatedDate, then Id (never a client's clock). */
export async function readRunningLeases(client: SfClient): Promise<LeaseHolder[]> {
    const soql =
        "SELECT RunId__c, Entities__c, StartedAt__c, Heartbeat__c, CreatedDate, LastModifiedDate, BulkJobs__c FROM SyncRun__c WHERE Status__c = 'Running' AND DryRun__c = false ORDER BY CreatedDate ASC, Id ASC";
    const page = await queryFirstPage<RunningRow>(client, soql, { essential: true });
    return page.records
        .filter((row) => row.RunId__c)
        .map((row) => ({
            runId: String(row.RunId__c),
            entities: splitEntities(row.Entities__c),
            startedAt: row.StartedAt__c ?? null,
            heartbeat: row.Heartbeat__c ?? null,
            createdDate: row.CreatedDate ?? null,
            lastModified: row.LastModifiedDate ?? null,
            bulkJobs: splitEntities(row.BulkJobs__c)
        }));
}

function conflictMessage(h: LeaseHolder, staleAfterMs: number): string {
    return (
        `another sync run holds the lease for ${h.entities.join(',') || 'all entities'} ` +
        `(run ${h.runId}, started ${h.startedAt ?? 'at an unknown time'}, last heartbeat ` +
        `${h.heartbeat ?? 'never'}): not starting. Try again when it has finished; a lease without ` +
        `a heartbeat for ${Math.round(staleAfterMs / 1000)} s is taken over automatically.`
    );
}

/** Closes the SyncRun__c of `runId` as Failed with `warning` (one essential call). */
function markFailed(client: SfClient, runId: string, warning: string, now: Date): Promise<unknown> {
    return client.json(
        'PATCH',
        syncRunPath(client, runId),
        {
            Status__c: 'Failed',
            FinishedAt__c: now.toISOString(),
            Report__c: JSON.stringify({ runId, status: 'Failed', warnings: [warning] })
        },
        { essential: true, idempotent: true }
    );
}

/**
 * Among live leases for overlapping entities, the one the org lists first (CreatedDate, then
 * Id) holds the lease: the first of `leases` before this run's own record that is not stale.
 */
function holderBefore(
    leases: readonly LeaseHolder[],
    runId: string,
    mine: readonly string[],
    isStaleLease: (h: LeaseHolder) => boolean
): LeaseHolder | undefined {
    for (const h of leases) {
        if (h.runId === runId) return undefined;
        if (overlaps(mine, h.entities) && !isStaleLease(h)) return h;
    }
    return undefined;
}

/** Aborts the Bulk jobs a stale run left running, so none writes on beside this run. */
async function abortJobsOf(client: SfClient, stale: LeaseHolder, logger?: Logger): Promise<number> {
    let aborted = 0;
    for (const id of stale.bulkJobs ?? []) {
        const path = `${client.dataPath}/jobs/ingest/${id}`;
        const info = await client
            .json<JobInfo>('GET', path, undefined, { essential: true, okStatuses: [404] })
            .catch(() => undefined);
        if (!info?.state || isFinal(info.state)) continue;
        await abortJob(client, path);
        aborted++;
        logger?.warn(
            { event: 'stale-job-aborted', jobId: id, takenOverFrom: stale.runId },
            'aborted a Bulk job of the stale run'
        );
    }
    return aborted;
}

export class Lease {
    readonly runId: string;
    /** RunId__c of the stale run this one took over, if any */
    takenOverFrom: string | null = null;
    private readonly client: SfClient;
    private readonly options: LeaseOptions;
    private timer: NodeJS.Timeout | undefined;
    private beat: Promise<void> | undefined;
    private readonly lostController = new AbortController();

    private constructor(client: SfClient, options: LeaseOptions) {
        this.client = client;
        this.options = options;
        this.runId = options.runId;
    }

    /** Aborted (with the reason) once a heartbeat finds the lease taken over. */
    get lost(): AbortSignal {
        return this.lostController.signal;
    }

    /**
     * Takes the lease or throws LeaseConflictError. Two API calls: the run first writes its own
     * Running record, then reads every Running lease in the org's order. Among live leases for
     * overlapping entities the first the org lists holds the lease, so two runs starting at the
     * same moment cannot both go on, whatever their clocks. A refused run closes its record as
     * Failed with the reason (one more call); each stale lease taken over costs one call, plus
     * two for each of its Bulk jobs still running.
     */
    static async acquire(client: SfClient, options: LeaseOptions): Promise<Lease> {
        const now = options.now ?? (() => new Date());
        const lease = new Lease(client, options);
        const mine = [...options.entities];
        const startedAt = now().toISOString();
        await client.json(
            'PATCH',
            syncRunPath(client, options.runId),
            {
                Status__c: 'Running',
                Mode__c: options.mode,
                DryRun__c: false,
                StartedAt__c: startedAt,
                Heartbeat__c: startedAt,
                Entities__c: mine.join(','),
                Source__c: options.source.slice(0, 255)
            },
            { essential: true, idempotent: true }
        );
        const leases = await readRunningLeases(client);
        // the org's clock: the last write of this run's own record, made just now
        const own = leases.find((h) => h.runId === options.runId);
        const orgNow = new Date(
            Number.isFinite(parseSalesforceDateTime(own?.lastModified ?? ''))
                ? parseSalesforceDateTime(own!.lastModified!)
                : now().getTime()
        );
        const staleLease = (h: LeaseHolder) => isStale(h, orgNow, options.staleAfterMs);
        const holder = holderBefore(leases, options.runId, mine, staleLease);
        if (holder) {
            const message = conflictMessage(holder, options.staleAfterMs);
            await markFailed(client, options.runId, `did not start: ${message}`, now()).catch(
                () => undefined
            );
            throw new LeaseConflictError(message, holder);
        }
        const stale = leases.filter(
            (h) => h.runId !== options.runId && overlaps(mine, h.entities) && staleLease(h)
        );
        await lease.takeOver(stale);
        lease.start();
        return lease;
    }

    /** Marks the stale leases Failed (their Bulk jobs aborted first) and records the first on
     *  this run's TakenOverFrom__c. */
    private async takeOver(stale: readonly LeaseHolder[]): Promise<void> {
        const { client, options } = this;
        const now = options.now ?? (() => new Date());
        for (const s of stale) {
            const aborted = await abortJobsOf(client, s, options.logger);
            const jobs = aborted ? ` ${aborted} Bulk job(s) it left running were aborted.` : '';
            const reason = `lease taken over by run ${options.runId}: no heartbeat since ${s.heartbeat ?? s.startedAt ?? 'its start'} (stale after ${Math.round(options.staleAfterMs / 1000)} s); the worker probably died.${jobs} Records it wrote are kept; the next runs converge.`;
            await markFailed(client, s.runId, reason, now());
            options.logger?.warn(
                { event: 'lease-takeover', runId: options.runId, takenOverFrom: s.runId },
                'took over a stale lease'
            );
        }
        if (!stale.length) return;
        this.takenOverFrom = stale[0].runId;
        await client.json(
            'PATCH',
            syncRunPath(client, options.runId),
            { TakenOverFrom__c: this.takenOverFrom },
            { essential: true, idempotent: true }
        );
    }

    private start(): void {
        if (this.options.heartbeatMs <= 0) return;
        this.timer = setInterval(() => {
            if (this.beat || this.lost.aborted) return; // the previous heartbeat is still in flight
            this.beat = this.heartbeat().finally(() => (this.beat = undefined));
        }, this.options.heartbeatMs);
        this.timer.unref();
    }

    /**
     * One heartbeat, then the lease read back (two calls): when another run has taken the lease
     * over (this run's record is no longer Running), `lost` is aborted and the run stops cleanly.
     * A heartbeat that fails is logged, never fatal (the lease only goes stale).
     */
    async heartbeat(): Promise<void> {
        const now = this.options.now ?? (() => new Date());
        try {
            await this.client.json(
                'PATCH',
                syncRunPath(this.client, this.runId),
                { Heartbeat__c: now().toISOString() },
                { idempotent: true }
            );
            const page = await queryFirstPage<{ Status__c?: string | null }>(
                this.client,
                `SELECT Status__c FROM SyncRun__c WHERE RunId__c = ${soqlString(this.runId)} LIMIT 1`
            );
            const status = page.records[0]?.Status__c ?? 'missing';
            if (status !== 'Running') {
                const reason = new Error(
                    `the lease was taken over by another run (this run's SyncRun__c is ${status})`
                );
                reason.name = 'LeaseLostError';
                this.options.logger?.warn(
                    { event: 'lease-lost', runId: this.runId, status },
                    'the lease was taken over: stopping'
                );
                this.lostController.abort(reason);
            }
        } catch (err) {
            this.options.logger?.warn(
                { event: 'heartbeat-failed', runId: this.runId, error: (err as Error)?.name },
                'could not refresh the lease heartbeat'
            );
        }
    }

    /** Stops the heartbeat (waits for one in flight). The run's final record ends the lease. */
    async stop(): Promise<void> {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        await this.beat;
    }
}
