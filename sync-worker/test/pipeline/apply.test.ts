// Stage 4 (load) with a scripted org, no network: a job that fails as a whole fails its rows with
// the cause and the other uploads are not sent; counts short are failures, never loaded; a close
// whose answer was lost loads everything once; a stop aborts the job and counts what it did; a
// job the org failed for its own reasons is retried; failures past a few thousand go to disk.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseConfig } from '../../src/config/schema.ts';
import { applier } from '../../src/pipeline/apply.ts';
import type { RunContext } from '../../src/pipeline/context.ts';
import { FailureLog, type UpsertFailure } from '../../src/salesforce/failures.ts';
import { ReplyLostError } from '../../src/salesforce/retry.ts';
import { upsertOptions } from '../../src/salesforce/upsert.ts';
import type { SfRecord } from '../../src/salesforce/record.ts';
import { silentLogger } from '../../src/util/log.ts';
import { FakeOrg, type Answer, type Call } from '../salesforce/fake-org.ts';

type Row = Record<string, string>;

/** What a scripted job does with its rows: each row's fate, and how the job ends. */
interface JobScript {
    state?: 'JobComplete' | 'Failed';
    errorMessage?: string;
    /** rows (by key) that fail, with their sf__Error */
    failed?: Record<string, string>;
    /** rows processed but without any result (counts short) */
    lost?: string[];
    /** unprocessed rows listed (Failed job): all when true */
    listUnprocessed?: boolean;
}

/** A small Bulk API 2.0 org: jobs numbered in order, each following the next script. */
class BulkOrg {
    readonly fake: FakeOrg;
    readonly loaded = new Map<string, Row>();
    readonly jobs: Array<{ id: string; rows: Row[]; state: string; script: JobScript }> = [];
    readonly collections: Row[][] = [];
    private readonly scripts: JobScript[];
    /** rewrite answers (lost replies...) before the default handling */
    override: (call: Call) => Answer = () => undefined;

    constructor(scripts: JobScript[] = []) {
        this.scripts = scripts;
        this.fake = new FakeOrg((call) => this.override(call) ?? this.handle(call));
    }

    private job(path: string) {
        return this.jobs.find((j) => path.includes(j.id))!;
    }

    private info(job: BulkOrg['jobs'][number]) {
        const { script } = job;
        const lost = script.lost?.length ?? 0;
        const failedCount = Object.keys(script.failed ?? {}).length;
        const processed = script.state === 'Failed' ? 0 : job.rows.length - lost;
        return {
            id: job.id,
            state: job.state,
            numberRecordsProcessed: processed,
            numberRecordsFailed: script.state === 'Failed' ? 0 : failedCount,
            errorMessage: script.errorMessage
        };
    }

    private csv(header: string[], rows: Row[], extra: (r: Row) => string[] = () => []): string {
        return (
            [
                header.join(','),
                ...rows.map((r) => [...extra(r), ...Object.values(r)].join(','))
            ].join('\n') + '\n'
        );
    }

    private handle(call: Call): Answer {
        const { method, path } = call;
        if (method === 'POST' && path.endsWith('/jobs/ingest')) {
            const id = `7500000000000${String(this.jobs.length + 1).padStart(2, '0')}AAA`;
            this.jobs.push({
                id,
                rows: [],
                state: 'Open',
                script: this.scripts[this.jobs.length] ?? {}
            });
            return { json: { id, state: 'Open' } };
        }
        if (method === 'PUT') {
            this.job(path).rows = parse(readFileSync(call.file!), { columns: true }) as Row[];
            return undefined;
        }
        if (method === 'PATCH' && path.includes('/jobs/ingest/')) {
            const job = this.job(path);
            const target = (call.body as { state: string }).state;
            if (target === 'Aborted') job.state = 'Aborted';
            else {
                job.state = job.script.state ?? 'JobComplete';
                if (job.state === 'JobComplete')
                    for (const r of job.rows)
                        if (!job.script.failed?.[r.FiscalCode__c])
                            this.loaded.set(r.FiscalCode__c, r);
            }
            return { json: { id: job.id, state: job.state } };
        }
        if (method === 'GET' && /\/jobs\/ingest\/[^/]+$/.test(path))
            return { json: this.info(this.job(path)) };
        if (method === 'GET' && path.includes('/failedResults/')) {
            const job = this.job(path);
            const failed = job.rows.filter((r) => job.script.failed?.[r.FiscalCode__c]);
            const header = ['sf__Id', 'sf__Error', ...Object.keys(job.rows[0])];
            return {
                csv: this.csv(header, failed, (r) => ['', job.script.failed![r.FiscalCode__c]])
            };
        }
        if (method === 'GET' && path.includes('/unprocessedrecords/')) {
            const job = this.job(path);
            const rows = job.script.listUnprocessed || job.state === 'Aborted' ? job.rows : [];
            return { csv: this.csv(Object.keys(job.rows[0]), rows) };
        }
        if (method === 'GET' && path.includes('/successfulResults/')) {
            const job = this.job(path);
            const ok = job.rows.filter(
                (r) =>
                    !job.script.failed?.[r.FiscalCode__c] &&
                    !job.script.lost?.includes(r.FiscalCode__c)
            );
            return {
                csv: this.csv(['sf__Id', 'sf__Created', ...Object.keys(job.rows[0])], ok, () => [
                    '003x',
                    'true'
                ])
            };
        }
        if (method === 'PATCH' && path.includes('/composite/sobjects/')) {
            const records = (call.body as { records: Row[] }).records;
            this.collections.push(records);
            for (const r of records) this.loaded.set(r.FiscalCode__c, r);
            return { json: records.map(() => ({ success: true, created: true })) };
        }
        return { csv: '' };
    }
}

const TARGET = {
    object: 'Contact',
    externalId: 'FiscalCode__c',
    columns: ['FiscalCode__c', 'LastName']
};

function records(n: number): SfRecord[] {
    // ~50 bytes a row: 30 rows make two uploads of at most 1,024 bytes
    return Array.from({ length: n }, (_, i) => ({
        FiscalCode__c: `K${i}`,
        LastName: `L${i}`.padEnd(45, 'x')
    }));
}

async function load(
    org: BulkOrg,
    count: number,
    config: Record<string, unknown> = {},
    signal?: AbortSignal
): Promise<UpsertFailure[]> {
    const tmp = await mkdtemp(join(tmpdir(), 'apply-'));
    const cfg = parseConfig({
        bulkThreshold: 10,
        pollInitialMs: 0,
        pollMaxMs: 1,
        retryBaseMs: 0,
        lockRetries: 0,
        ...config
    });
    const run = {
        client: org.fake.client,
        config: cfg,
        logger: silentLogger,
        upsert: {
            ...upsertOptions(cfg, { tmpDir: tmp, logger: silentLogger, signal }),
            sleep: async () => {}
        }
    } as unknown as RunContext;
    const failed = await applier(run, tmp)({ target: TARGET, records: records(count), count });
    const out: UpsertFailure[] = [];
    for await (const f of failed) out.push(f);
    return out;
}

describe('load (pipeline/apply) with a scripted org', () => {
    it('a job that fails as a whole: every row fails with the cause, once; the next upload is not sent', async () => {
        const org = new BulkOrg([
            {
                state: 'Failed',
                errorMessage: 'InvalidBatch : Field name not found : LastName',
                listUnprocessed: true
            }
        ]);
        // two upload files, one job sent
        const failures = await load(org, 30, { maxUploadBytes: 1024, lockRetries: 3 });
        expect(org.jobs).toHaveLength(1);
        expect(failures).toHaveLength(30);
        expect(new Set(failures.map((f) => f.key)).size).toBe(30);
        expect(failures.every((f) => f.errorCode === 'InvalidBatch')).toBe(true);
        expect(failures[0].cause).toMatch(
            /^field LastName is not visible to the integration user on Contact .*FSE_Sync_Integration/
        );
        // not retried: sending the same header again fails the same way
        expect(org.collections).toHaveLength(0);
        expect(org.loaded.size).toBe(0);
    });

    it('counts that fall short: the rows without result are failures (NO_RESULT), never loaded', async () => {
        const org = new BulkOrg([{ lost: ['K3', 'K7'] }]);
        const failures = await load(org, 12);
        expect(failures.map((f) => [f.key, f.errorCode])).toEqual([
            ['K3', 'NO_RESULT'],
            ['K7', 'NO_RESULT']
        ]);
        expect(failures[0].cause).toMatch(/no result .*not counted as loaded/);
    });

    it('rows without result are sent again when a round is left (upsert by external id is safe)', async () => {
        const org = new BulkOrg([{ lost: ['K3'] }]);
        expect(await load(org, 12, { lockRetries: 1 })).toEqual([]);
        expect(org.collections.map((c) => c.map((r) => r.FiscalCode__c))).toEqual([['K3']]);
    });

    it('a close applied and its answer lost: every row loaded once, nothing failed', async () => {
        const org = new BulkOrg();
        let first = true;
        org.override = (call) => {
            if (call.method !== 'PATCH' || !call.path.includes('/jobs/ingest/') || !first)
                return undefined;
            first = false;
            org.jobs[0].state = 'JobComplete';
            for (const r of org.jobs[0].rows) org.loaded.set(r.FiscalCode__c, r);
            return { error: new ReplyLostError('PATCH', call.path, new Error('socket hang up')) };
        };
        expect(await load(org, 12)).toEqual([]);
        expect(org.loaded.size).toBe(12);
        expect(org.jobs).toHaveLength(1);
    });

    it('a job the org failed for its own reasons is tried again in a new job', async () => {
        const org = new BulkOrg([
            {
                state: 'Failed',
                errorMessage:
                    'InternalServerError : The job failed after the maximum number of retries',
                listUnprocessed: true
            }
        ]);
        expect(await load(org, 12, { lockRetries: 1 })).toEqual([]);
        expect(org.jobs).toHaveLength(2);
        expect(org.loaded.size).toBe(12);
    });

    it('a stop: the running job is aborted, its unprocessed rows RUN_STOPPED, later uploads unsent', async () => {
        const org = new BulkOrg();
        const stop = new AbortController();
        org.override = (call) => {
            if (
                call.method === 'PATCH' &&
                (call.body as { state: string }).state === 'UploadComplete'
            ) {
                stop.abort();
                org.jobs.at(-1)!.state = 'InProgress';
                return { json: { state: 'InProgress' } };
            }
            return undefined;
        };
        const failures = await load(
            org,
            30,
            { maxUploadBytes: 1024, maxConcurrentJobs: 1 },
            stop.signal
        );
        expect(org.jobs).toHaveLength(1);
        expect(org.jobs[0].state).toBe('Aborted');
        expect(failures).toHaveLength(30);
        expect(failures.every((f) => f.errorCode === 'RUN_STOPPED')).toBe(true);
    });

    it('failures past a few thousand go to disk and come back in order', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'failures-'));
        const log = new FailureLog(dir, 10);
        for (let i = 0; i < 25; i++)
            await log.add({ key: `K${i}`, errorCode: 'X', message: '', cause: 'c' });
        const keys: string[] = [];
        for await (const f of log) keys.push(f.key);
        expect(log.count).toBe(25);
        expect(keys).toEqual(Array.from({ length: 25 }, (_, i) => `K${i}`));
        await log.dispose();
    });
});
