import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NdjsonSource } from '../../src/sources/ndjson.ts';
import { UnparseableResource } from '../../src/sources/types.ts';

describe('ndjson source', () => {
    it('streams resources line by line and surfaces unparseable lines', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'ndjson-'));
        await writeFile(
            join(dir, 'Practitioner.ndjson'),
            '{"resourceType":"Practitioner","id":"1"}\n\nnot json\n{"resourceType":"Practitioner","id":"2"}\n'
        );
        const out: unknown[] = [];
        for await (const r of new NdjsonSource(dir).read('Practitioner')) out.push(r);
        expect(out).toHaveLength(3);
        expect(out[1]).toBeInstanceOf(UnparseableResource);
        expect((out[1] as UnparseableResource).position).toBe('Practitioner.ndjson line 3');
        const none: unknown[] = [];
        for await (const r of new NdjsonSource(dir).read('Organization')) none.push(r);
        expect(none).toEqual([]);
    });
});
