// The Bulk API 2.0 jobs of a run: each recorded on the run's SyncRun__c (BulkJobs__c) as soon
// as it is created, before any data is sent, so a run that takes over a stale lease can abort
// them (ops/lease.ts); creations one at a time (a lost create is resolved without racing
// another); the jobs still open when the run ends badly are aborted.
import { abortJob } from '../salesforce/bulk2/job.ts';
import type { JobRegistry } from '../salesforce/bulk2/ingest.ts';
import type { SfClient } from '../salesforce/http.ts';
import { recordBulkJobs } from '../ops/run-record.ts';

export class RunJobs implements JobRegistry {
    /** every job the run created, in order */
    readonly ids: string[] = [];
    private readonly open = new Set<string>();
    private chain: Promise<unknown> = Promise.resolve();
    private readonly client: SfClient;
    /** the run's RunId__c when it has a SyncRun__c to record the jobs on (a leased run) */
    private readonly runId: string | undefined;

    constructor(client: SfClient, runId: string | undefined) {
        this.client = client;
        this.runId = runId;
    }

    async created(id: string): Promise<void> {
        this.ids.push(id);
        this.open.add(id);
        if (this.runId) await recordBulkJobs(this.client, this.runId, this.ids);
    }

    finished(id: string): void {
        this.open.delete(id);
    }

    has(id: string): boolean {
        return this.ids.includes(id);
    }

    exclusive<T>(fn: () => Promise<T>): Promise<T> {
        const next = this.chain.then(fn, fn);
        this.chain = next.catch(() => undefined);
        return next;
    }

    /** Aborts the jobs still open (the run failed): they must not go on writing. */
    async abortOpen(): Promise<void> {
        for (const id of [...this.open]) {
            await abortJob(this.client, `${this.client.dataPath}/jobs/ingest/${id}`).catch(
                () => undefined
            );
            this.open.delete(id);
        }
    }
}
