// The Bulk API 2.0 job state machine with a scripted org (no network): a job that fails as a
// whole, counts that fall short, answers lost after the work was done, and aborts on stop and
// on timeout. Each test asserts the exact calls made.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
    localJobRegistry,
    runIngestJob,
    type IngestOutcome,
    type IngestRequest
} from '../../src/salesforce/bulk2/ingest.ts';
import { transientJobFailure, jobErrorCode } from '../../src/salesforce/bulk2/job.ts';
import { ReplyLostError } from '../../src/salesforce/retry.ts';
import { readNdjson } from '../../src/util/ndjson-file.ts';
import { FakeOrg, invalidJobState, type Answer, type Call } from './fake-org.ts';

const JOB = '750000000000001AAA';
const POLL = { initialMs: 0, maxMs: 0, timeoutMs: 60_000, sleep: async () => {} };
const CSV = 'FiscalCode__c,LastName\nA1,Uno\nA2,Due\nA3,Tre\n';

async function upload(): Promise<{ request: IngestRequest; dir: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'bulk2-'));
    const file = join(dir, 'Contact.csv');
    await writeFile(file, CSV);
    return {
        dir,
        request: { object: 'Contact', externalIdFieldName: 'FiscalCode__c', file, rows: 3 }
    };
}

const jobPath = (call: Call) => call.path.endsWith(`/jobs/ingest/${JOB}`);

/** A well-behaved org whose job ends with `final`; `override` answers some calls itself. */
function org(final: object, override: (call: Call) => Answer = () => undefined) {
    return new FakeOrg((call) => {
        const mine = override(call);
        if (mine !== undefined) return mine;
        if (call.method === 'POST') return { json: { id: JOB, state: 'Open' } };
        if (call.method === 'PUT') return undefined;
        if (call.method === 'PATCH') return { json: { id: JOB, state: 'UploadComplete' } };
        if (call.method === 'GET' && jobPath(call)) return { json: { id: JOB, ...final } };
        return { csv: '' };
    });
}

async function rows(file?: { path: string }): Promise<string[]> {
    const out: string[] = [];
    if (file)
        for await (const r of readNdjson<Record<string, string>>(file.path))
            out.push(r.FiscalCode__c);
    return out;
}

async function run(fake: FakeOrg, signal?: AbortSignal): Promise<IngestOutcome> {
    const { request, dir } = await upload();
    return runIngestJob(fake.client, request, {
        poll: POLL,
        jobs: localJobRegistry(),
        tmpDir: dir,
        signal
    });
}

describe('Bulk API 2.0 ingest job', () => {
    it('a clean job: create, upload, close, poll; no result list read', async () => {
        const fake = org({
            state: 'JobComplete',
            numberRecordsProcessed: 3,
            numberRecordsFailed: 0
        });
        const outcome = await run(fake);
        expect(outcome).toMatchObject({ uploaded: 3, ended: 'done' });
        expect(outcome.failed ?? outcome.unprocessed ?? outcome.noResult).toBeUndefined();
        expect(fake.trail).toEqual([
            'POST /jobs/ingest',
            `PUT /jobs/ingest/${JOB}/batches`,
            `PATCH /jobs/ingest/${JOB}`,
            `GET /jobs/ingest/${JOB}`
        ]);
    });

    it('a job that fails as a whole: its errorMessage kept, every row unprocessed', async () => {
        const fake = org(
            {
                state: 'Failed',
                numberRecordsProcessed: 0,
                numberRecordsFailed: 0,
                errorMessage: 'InvalidBatch : Field name not found : RegistryLastUpdated__c'
            },
            (call) => (call.path.includes('unprocessedrecords') ? { csv: CSV } : undefined)
        );
        const outcome = await run(fake);
        expect(outcome.info.errorMessage).toMatch(/Field name not found/);
        expect(await rows(outcome.unprocessed)).toEqual(['A1', 'A2', 'A3']);
        expect(outcome.noResult).toBeUndefined();
        expect(jobErrorCode(outcome.info.errorMessage)).toBe('InvalidBatch');
        expect(transientJobFailure(outcome.info.errorMessage)).toBe(false);
        expect(
            transientJobFailure(
                'InternalServerError : The job failed after the maximum number of retries'
            )
        ).toBe(true);
    });

    it('a failed job whose unprocessed list is empty: every row is without result (never loaded)', async () => {
        const fake = org({
            state: 'Failed',
            numberRecordsProcessed: 0,
            errorMessage:
                'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF'
        });
        const outcome = await run(fake);
        expect(await rows(outcome.noResult)).toEqual(['A1', 'A2', 'A3']);
        // nothing succeeded: successfulResults is not even read
        expect(fake.trail.some((t) => t.includes('successfulResults'))).toBe(false);
    });

    it('counts that fall short: the rows in no result list are found through successfulResults', async () => {
        const fake = org(
            { state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 },
            (call) => {
                if (call.path.includes('failedResults'))
                    return {
                        csv: 'sf__Id,sf__Error,FiscalCode__c,LastName\n,STRING_TOO_LONG:x:LastName --,A2,Due\n'
                    };
                if (call.path.includes('successfulResults'))
                    return { csv: 'sf__Id,sf__Created,FiscalCode__c,LastName\n003x,true,A1,Uno\n' };
                if (call.path.includes('unprocessedrecords'))
                    return { csv: 'FiscalCode__c,LastName\n' };
                return undefined;
            }
        );
        const outcome = await run(fake);
        expect(await rows(outcome.failed)).toEqual(['A2']);
        expect(await rows(outcome.noResult)).toEqual(['A3']);
    });

    it('close applied and its answer lost: the state read back, the job goes on', async () => {
        let closes = 0;
        const fake = org({ state: 'JobComplete', numberRecordsProcessed: 3 }, (call) => {
            if (call.method === 'PATCH' && closes++ === 0)
                return {
                    error: new ReplyLostError('PATCH', call.path, new Error('socket hang up'))
                };
            return undefined;
        });
        const outcome = await run(fake);
        expect(outcome.ended).toBe('done');
        // one close, then GET (UploadComplete or later: closed), then the polls
        expect(fake.trail.slice(2, 4)).toEqual([
            `PATCH /jobs/ingest/${JOB}`,
            `GET /jobs/ingest/${JOB}`
        ]);
        expect(fake.trail.filter((t) => t.startsWith('PATCH'))).toHaveLength(1);
    });

    it('a second close answered 409 INVALIDJOBSTATE is checked with GET, not reported', async () => {
        let state = 'Open';
        const fake = org({ state: 'JobComplete', numberRecordsProcessed: 3 }, (call) => {
            if (call.method === 'PATCH' && state === 'Open') {
                state = 'UploadComplete';
                return { error: new ReplyLostError('PATCH', call.path, new Error('reset')) };
            }
            if (call.method === 'GET' && jobPath(call) && state === 'Open')
                return { json: { id: JOB, state: 'Open' } };
            if (call.method === 'PATCH') return { error: invalidJobState() };
            return undefined;
        });
        expect((await run(fake)).ended).toBe('done');
    });

    it('a create whose answer is lost: the orphan Open job is aborted, then a new one created', async () => {
        let creates = 0;
        const orphan = '750000000000009AAA';
        const fake = org({ state: 'JobComplete', numberRecordsProcessed: 3 }, (call) => {
            if (call.method === 'POST' && creates++ === 0)
                return { error: new ReplyLostError('POST', call.path, new Error('reset')) };
            if (call.method === 'GET' && call.path.endsWith('/jobs/ingest'))
                return {
                    json: {
                        done: true,
                        records: [
                            {
                                id: orphan,
                                state: 'Open',
                                object: 'Contact',
                                operation: 'upsert',
                                externalIdFieldName: 'FiscalCode__c',
                                createdDate: '2026-01-10T02:00:01.000+0000'
                            },
                            {
                                id: '750000000000008AAA',
                                state: 'Open',
                                object: 'Account',
                                operation: 'upsert',
                                externalIdFieldName: 'OrgCode__c',
                                createdDate: '2026-01-10T02:00:01.000+0000'
                            }
                        ]
                    }
                };
            if (call.method === 'PATCH' && call.path.endsWith(orphan))
                return { json: { id: orphan, state: 'Aborted' } };
            return undefined;
        });
        await run(fake);
        expect(fake.trail.slice(0, 4)).toEqual([
            'POST /jobs/ingest',
            'GET /jobs/ingest',
            `PATCH /jobs/ingest/${orphan}`,
            'POST /jobs/ingest'
        ]);
        expect(fake.calls[2].body).toEqual({ state: 'Aborted' });
    });

    it('a stop while the job runs aborts it; what it did is read and counted', async () => {
        const stop = new AbortController();
        let polls = 0;
        const fake = org({}, (call) => {
            if (call.method === 'GET' && jobPath(call)) {
                if (++polls === 1) {
                    stop.abort();
                    return { json: { id: JOB, state: 'InProgress' } };
                }
                return {
                    json: {
                        id: JOB,
                        state: 'Aborted',
                        numberRecordsProcessed: 1,
                        numberRecordsFailed: 0
                    }
                };
            }
            if (call.method === 'PATCH' && (call.body as { state: string }).state === 'Aborted')
                return { json: { id: JOB, state: 'Aborted' } };
            if (call.path.includes('unprocessedrecords'))
                return { csv: 'FiscalCode__c,LastName\nA2,Due\nA3,Tre\n' };
            return undefined;
        });
        const outcome = await run(fake, stop.signal);
        expect(outcome.ended).toBe('stopped');
        expect(
            fake.calls.some(
                (c) => c.method === 'PATCH' && (c.body as { state: string }).state === 'Aborted'
            )
        ).toBe(true);
        expect(await rows(outcome.unprocessed)).toEqual(['A2', 'A3']);
    });

    it('a job not done in time is aborted (it must not write after the run gave up)', async () => {
        let aborted = false;
        const fake = org({}, (call) => {
            if (call.method === 'GET' && jobPath(call))
                return {
                    json: {
                        id: JOB,
                        state: aborted ? 'Aborted' : 'InProgress',
                        numberRecordsProcessed: 0
                    }
                };
            if (call.method === 'PATCH' && (call.body as { state: string }).state === 'Aborted') {
                aborted = true;
                return { json: { id: JOB, state: 'Aborted' } };
            }
            if (call.path.includes('unprocessedrecords')) return { csv: CSV };
            return undefined;
        });
        const { request, dir } = await upload();
        let t = 0;
        const realNow = Date.now;
        Date.now = () => realNow() + (t += 10_000);
        try {
            const outcome = await runIngestJob(fake.client, request, {
                poll: { ...POLL, timeoutMs: 25_000 },
                jobs: localJobRegistry(),
                tmpDir: dir
            });
            expect(outcome.ended).toBe('timeout');
            expect(aborted).toBe(true);
            expect(await rows(outcome.unprocessed)).toEqual(['A1', 'A2', 'A3']);
        } finally {
            Date.now = realNow;
        }
    });

    it('a failure after the job started aborts it before giving up', async () => {
        const fake = org({}, (call) => {
            if (call.method === 'GET' && jobPath(call)) return { error: new Error('boom') };
            if (call.method === 'PATCH' && (call.body as { state: string }).state === 'Aborted')
                return { json: { id: JOB, state: 'Aborted' } };
            return undefined;
        });
        await expect(run(fake)).rejects.toThrow('boom');
        expect(fake.calls.at(-1)).toMatchObject({ method: 'PATCH', body: { state: 'Aborted' } });
    });

    it('every job is recorded before its data is sent', async () => {
        const order: string[] = [];
        const fake = org({ state: 'JobComplete', numberRecordsProcessed: 3 }, (call) => {
            order.push(call.method);
            return undefined;
        });
        const jobs = localJobRegistry();
        const registry = {
            ...jobs,
            created: async (id: string) => void order.push(`recorded ${id}`)
        };
        const { request, dir } = await upload();
        await runIngestJob(fake.client, request, { poll: POLL, jobs: registry, tmpDir: dir });
        expect(order.slice(0, 3)).toEqual(['POST', `recorded ${JOB}`, 'PUT']);
    });
});
