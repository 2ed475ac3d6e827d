// The staging file keeps the heads and the records apart (issue 22: a run that changes nothing
// never reads its records back). The plan asks for records in sequence order; the records file
// must give each one exactly as staged, for any mix of asked and skipped sequences across the
// read batches, and refuse a sequence asked for again or missing (a defect, never silent).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { StagedRecordLines as StagedRecords } from '../../src/pipeline/plan.ts';
import { parseStagedHead, stagedHeadLine, type StagedHead } from '../../src/pipeline/stage.ts';
import type { SfRecord } from '../../src/salesforce/record.ts';

describe('StagedRecordLines (the plan reading staged records)', () => {
    it('gives every asked record as staged, the others skipped unparsed', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'staged-records-'));
        const path = join(dir, 'staged-records.ndjson');
        const recordArb = fc.dictionary(
            fc.constantFrom('Name', 'Email', 'Note__c', 'FiscalCode__c'),
            fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null), fc.constant('a\r\nb\u2028è'))
        ) as fc.Arbitrary<SfRecord>;
        await fc.assert(
            fc.asyncProperty(
                fc.array(fc.tuple(recordArb, fc.boolean()), { maxLength: 60 }),
                async (rows) => {
                    // long padding so the records cross the reader's 64 KiB batches
                    const records = rows.map(([r], i) => ({ ...r, Pad__c: 'x'.repeat(i * 997) }));
                    await writeFile(path, records.map((r) => JSON.stringify(r) + '\n').join(''));
                    const reader = new StagedRecords(path);
                    for (let i = 0; i < rows.length; i++)
                        if (rows[i][1]) expect(await reader.record(i + 1)).toEqual(records[i]);
                    await reader.close();
                }
            ),
            { numRuns: 150 }
        );
    });

    it('never opens the file when no record is asked for', async () => {
        const reader = new StagedRecords(join(tmpdir(), 'no-such-dir', 'staged-records.ndjson'));
        await expect(reader.close()).resolves.toBeUndefined();
    });

    it('refuses a record asked for again or beyond the file', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'staged-records-'));
        const path = join(dir, 'staged-records.ndjson');
        await writeFile(path, '{"Name":"a"}\n{"Name":"b"}\n');
        const reader = new StagedRecords(path);
        expect(await reader.record(2)).toEqual({ Name: 'b' });
        await expect(reader.record(1)).rejects.toThrow('staged record 1 asked for again');
        await expect(reader.record(3)).rejects.toThrow(`staged record 3 missing from ${path}`);
        await reader.close();
        await rm(dir, { recursive: true });
    });
});

describe('staged heads', () => {
    it('read back as written, with and without a watermark time', () => {
        const head: StagedHead = {
            sequence: 7,
            key: 'RSSMRA80A01H501U',
            updatedAt: '2025-01-01T00:00:00.000Z',
            sourceId: 'p-7 "è"\t',
            hash: 'ab'.repeat(32)
        };
        expect(parseStagedHead(stagedHeadLine(head))).toEqual(head);
        const consent = { ...head, watermarkAt: '2025-02-01T00:00:00.000Z' };
        expect(parseStagedHead(stagedHeadLine(consent))).toEqual(consent);
    });
});
