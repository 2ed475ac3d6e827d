// Single-flight: a run holds a lease in the org, i.e. its own SyncRun__c record in Running with
// Heartbeat__c refreshed periodically. A second run for overlapping entities refuses (exit 4)
// unless the other lease is stale (no heartbeat for `staleAfterMs`): then it takes over, records
// TakenOverFrom__c on its own run and marks the stale run Failed with the reason.
//
// The org offers no compare-and-set through REST, so a run first writes its Running record and
// then reads all Running leases: if two runs started at the same moment, the one that started
// first (then the smaller RunId__c) keeps the lease and the other one marks itself Failed.
//
// Lease writes go to SyncRun__c only: a run that changes nothing still writes no synced object.
import type { SfClient } from '../salesforce/http.ts';
import type { Logger } from '../util/log.ts';
import { queryFirstPage } from '../salesforce/query.ts';
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
}

export interface LeaseOptions {
    runId: string;
    entities: readonly string[];
    mode: 'Full' | 'Incremental' | 'Reconcile';
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
    const t = Date.parse(h.heartbeat ?? h.startedAt ?? '');
    return Number.isFinite(t) ? t : 0;
}

export function isStale(h: LeaseHolder, now: Date, staleAfterMs: number): boolean {
    return now.getTime() - lastSeen(h) > staleAfterMs;
}

export async function readRunningLeases(client: SfClient): Promise<LeaseHolder[]> {
    const soql =
        "SELECT RunId__c, Entities__c, StartedAt__c, Heartbeat__c FROM SyncRun__c WHERE Status__c = 'Running' AND DryRun__c = false ORDER BY StartedAt__c ASC";
    const page = await queryFirstPage<RunningRow>(client, soql, { essential: true });
    return page.records
        .filter((row) => row.RunId__c)
        .map((row) => ({
            runId: String(row.RunId__c),
            entities: splitEntities(row.Entities__c),
            startedAt: row.StartedAt__c ?? null,
            heartbeat: row.Heartbeat__c ?? null
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
        { essential: true }
    );
}

/** Among live leases for overlapping entities, the one that started first holds the lease. */
function holderBefore(
    others: readonly LeaseHolder[],
    stale: readonly LeaseHolder[],
    runId: string,
    startedAt: string
): LeaseHolder | undefined {
    // compared as instants: the org answers "2026-01-10T02:00:00.000+0000"
    const mineAt = Date.parse(startedAt);
    return others.find((h) => {
        if (stale.includes(h)) return false;
        const at = Date.parse(h.startedAt ?? '');
        return !(at > mineAt || (at === mineAt && h.runId > runId));
    });
}

export class Lease {
    readonly runId: string;
    /** RunId__c of the stale run this one took over, if any */
    takenOverFrom: string | null = null;
    private readonly client: SfClient;
    private readonly options: LeaseOptions;
    private timer: NodeJS.Timeout | undefined;
    private beat: Promise<void> | undefined;

    private constructor(client: SfClient, options: LeaseOptions) {
        this.client = client;
        this.options = options;
        this.runId = options.runId;
    }

    /**
     * Takes the lease or throws LeaseConflictError. Two API calls: the run first writes its own
     * Running record, then reads every Running lease. Among live leases for overlapping
     * entities the one that started first (then the smaller RunId__c) holds the lease, so two
     * runs starting at the same moment cannot both go on. A refused run closes its record as
     * Failed with the reason (one more call); each stale lease taken over costs one call.
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
            { essential: true }
        );
        const others = (await readRunningLeases(client)).filter(
            (h) => h.runId !== options.runId && overlaps(mine, h.entities)
        );
        const stale = others.filter((h) => isStale(h, now(), options.staleAfterMs));
        const holder = holderBefore(others, stale, options.runId, startedAt);
        if (holder) {
            const message = conflictMessage(holder, options.staleAfterMs);
            await markFailed(client, options.runId, `did not start: ${message}`, now()).catch(
                () => undefined
            );
            throw new LeaseConflictError(message, holder);
        }
        await lease.takeOver(stale);
        lease.start();
        return lease;
    }

    /** Marks the stale leases Failed and records the first on this run's TakenOverFrom__c. */
    private async takeOver(stale: readonly LeaseHolder[]): Promise<void> {
        const { client, options } = this;
        const now = options.now ?? (() => new Date());
        for (const s of stale) {
            const reason = `lease taken over by run ${options.runId}: no heartbeat since ${s.heartbeat ?? s.startedAt ?? 'its start'} (stale after ${Math.round(options.staleAfterMs / 1000)} s); the worker probably died. Records it wrote are kept; the next runs converge.`;
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
            { essential: true }
        );
    }

    private start(): void {
        if (this.options.heartbeatMs <= 0) return;
        this.timer = setInterval(() => {
            if (this.beat) return; // the previous heartbeat is still in flight
            this.beat = this.heartbeat().finally(() => (this.beat = undefined));
        }, this.options.heartbeatMs);
        this.timer.unref();
    }

    /** One heartbeat; failures are logged, never fatal (the lease only goes stale). */
    async heartbeat(): Promise<void> {
        const now = this.options.now ?? (() => new Date());
        try {
            await this.client.json('PATCH', syncRunPath(this.client, this.runId), {
                Heartbeat__c: now().toISOString()
            });
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
