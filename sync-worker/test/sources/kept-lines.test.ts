// An incremental run over ndjson reads Practitioner.ndjson twice: the pre-scan (which changed
// practitioners, to parse only their roles) and the read proper. Since issue 22 the read proper
// replays the lines the pre-scan kept when that gives exactly what reading the file again would
// give. The oracle below is reading the file again, on any file: duplicates, ids in unusual
// forms, blank and broken lines, accents, dates on both sides of the watermark.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { namedIds, unchangedSince } from '../../src/entities/professionals/prefilter.ts';
import { KeptLines } from '../../src/sources/kept-lines.ts';
import { NdjsonSource } from '../../src/sources/ndjson.ts';
import type { ReadOptions } from '../../src/sources/types.ts';

const SINCE = '2025-06-01T00:00:00.000Z';
const IDS = ['p1', 'p2', 'p3', 'pè', 'new-1'];

async function all(source: NdjsonSource, options: ReadOptions): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const r of source.read('Practitioner', options)) out.push(r);
    return out;
}

const lineArb = fc.oneof(
    {
        weight: 6,
        arbitrary: fc
            .record({
                id: fc.constantFrom(...IDS),
                at: fc.constantFrom(
                    '2025-01-01T00:00:00.000Z',
                    '2025-09-01T00:00:00.000Z',
                    '2025-06-01T00:00:00.000Z',
                    'ieri'
                ),
                family: fc.constantFrom('Rossi', 'Niccolò'),
                other: fc.constantFrom(
                    '',
                    ',"managingOrganization":{"id":"p2"}',
                    ',"x":{"id": "p3"}'
                )
            })
            .map(
                ({ id, at, family, other }) =>
                    `{"resourceType":"Practitioner","id":"${id}","meta":{"lastUpdated":"${at}"},"name":[{"family":"${family}"}]${other}}`
            )
    },
    {
        weight: 1,
        arbitrary: fc.constantFrom(
            '',
            '  ',
            'not json',
            '{"id":"p1"',
            '{"id":"p\\u0031","meta":{"lastUpdated":"2025-01-01T00:00:00.000Z"}}'
        )
    }
);

describe('KeptLines: the pre-scan kept lines replayed instead of reading the file again', () => {
    it('gives exactly what reading the file again gives, whenever it says it may', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'kept-lines-'));
        const source = new NdjsonSource(dir);
        let replayed = 0;
        let refused = 0;
        await fc.assert(
            fc.asyncProperty(
                fc.array(lineArb, { maxLength: 40 }),
                fc.subarray(IDS),
                async (lines, changedIds) => {
                    await writeFile(join(dir, 'Practitioner.ndjson'), lines.join('\n'));
                    const keep = new KeptLines(namedIds);
                    await all(source, { skipRaw: unchangedSince(SINCE, new Set()), keep });
                    const changed = new Set(changedIds);
                    const skipRaw = unchangedSince(SINCE, changed);
                    if (!keep.replayableWith(changed)) {
                        refused++;
                        return;
                    }
                    replayed++;
                    expect(await all(source, { skipRaw, replay: keep })).toEqual(
                        await all(source, { skipRaw })
                    );
                }
            ),
            { numRuns: 800 }
        );
        // both answers happen: the property is not vacuous
        expect(replayed).toBeGreaterThan(100);
        expect(refused).toBeGreaterThan(50);
    });

    it('is not replayable after a pre-scan stopped early', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'kept-lines-'));
        await writeFile(
            join(dir, 'Practitioner.ndjson'),
            '{"id":"p1","meta":{"lastUpdated":"2025-09-01T00:00:00.000Z"}}\n'.repeat(3)
        );
        const keep = new KeptLines(namedIds);
        for await (const r of new NdjsonSource(dir).read('Practitioner', {
            skipRaw: unchangedSince(SINCE, new Set()),
            keep
        })) {
            expect(r).toBeDefined();
            break;
        }
        expect(keep.replayableWith(new Set())).toBe(false);
    });

    it('refuses when a ruled-out line names a practitioner whose role changed', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'kept-lines-'));
        await writeFile(
            join(dir, 'Practitioner.ndjson'),
            '{"id":"p1","meta":{"lastUpdated":"2025-01-01T00:00:00.000Z"}}\n' +
                '{"id":"p2","meta":{"lastUpdated":"2025-09-01T00:00:00.000Z"}}\n'
        );
        const keep = new KeptLines(namedIds);
        await all(new NdjsonSource(dir), { skipRaw: unchangedSince(SINCE, new Set()), keep });
        expect(keep.size).toBe(1);
        expect(keep.replayableWith(new Set(['p2']))).toBe(true);
        expect(keep.replayableWith(new Set(['p1']))).toBe(false);
    });

    it('namedIds agrees with the test the read proper uses', () => {
        fc.assert(
            fc.property(lineArb, fc.subarray(IDS), (line, ids) => {
                const named = namedIds(line);
                const set = new Set(ids);
                const names = named === undefined || named.some((id) => set.has(id));
                // unchangedSince(since, ids) = updatedBy && !namesAny; with no ids = updatedBy
                const updatedBy = unchangedSince(SINCE, new Set())(line);
                expect(unchangedSince(SINCE, set)(line)).toBe(
                    updatedBy && !(set.size > 0 && names)
                );
            }),
            { numRuns: 2000 }
        );
    });
});
