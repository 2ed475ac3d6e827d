// Practitioners are validated by a hand-written check first and by zod only when it fails
// (issue 22: zod was the largest CPU item of a run). The check may be stricter than zod, never
// looser: when it accepts, zod accepts too and the mapping is the one zod's output gives. Proven
// here on a generated registry (its on-purpose invalid records included) and on random
// mutations of its records: deleted elements, wrong types, odd dates, extra keys.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isPlainPractitioner, PractitionerSchema } from '../../../src/entities/fhir-schemas.ts';
import { mapPractitioner } from '../../../src/entities/professionals/map.ts';
import type { CompactRole } from '../../../src/entities/professionals/role-table.ts';
import { generateRegistry } from '../../../src/generator/generator.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ROLE: CompactRole = {
    active: true,
    start: '2020-01-01',
    orgCode: '030ASST701',
    role: 'INF',
    category: 'Infermiere',
    updated: '2025-03-01T10:00:00.000Z'
};

/** Values close to what the schema wants, and plain wrong ones. */
const NEAR: Json[] = [
    '',
    ' ',
    '  Rossi ',
    'x',
    '2025-02-29',
    '2024-02-29',
    '1999-12-08',
    '1999-13-08',
    '2025-08-05T10:13:08.000Z',
    '2025-08-05T10:13:08Z',
    '2025-08-05T10:13:08.000+02:00',
    '2025-08-05T10:13:08.000+0200',
    '2025-08-05 10:13:08',
    '2025-02-30T00:00:00.000Z',
    '2025-01-01T24:00:00.000Z',
    'Practitioner',
    'http://hl7.it/sid/codiceFiscale',
    0,
    1,
    true,
    false,
    null,
    [],
    {},
    [''],
    ['Anna'],
    [{}],
    [{ family: 'Rossi' }],
    [{ system: 'email', value: 'a@example.org' }]
];

/** Every path (keys and indexes) inside a JSON value. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
    const out: (string | number)[][] = [];
    if (Array.isArray(value))
        value.forEach((v, i) => out.push([...at, i], ...paths(v, [...at, i])));
    else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) out.push([...at, k], ...paths(v, [...at, k]));
    return out;
}

type Mutation = { pick: number; op: 'delete' | 'set' | 'near' | 'extra'; value: Json };

function mutate(record: Json, mutations: Mutation[]): Json {
    const copy = structuredClone(record);
    for (const m of mutations) {
        const all = paths(copy);
        if (!all.length) break;
        const path = all[m.pick % all.length];
        let parent = copy as Record<string | number, Json>;
        for (const step of path.slice(0, -1)) parent = parent[step] as Record<string, Json>;
        const last = path[path.length - 1];
        if (m.op === 'delete') {
            if (Array.isArray(parent)) parent.splice(Number(last), 1);
            else delete parent[last];
        } else if (m.op === 'extra' && parent && typeof parent === 'object')
            (parent as Record<string, Json>)[`extra${m.pick % 3}`] = m.value;
        else parent[last] = m.op === 'near' ? structuredClone(NEAR[m.pick % NEAR.length]) : m.value;
    }
    return copy;
}

/** The fast path's verdict, checked against zod and against the mapping of zod's output. */
function check(raw: Json, role: CompactRole | undefined): boolean {
    const fast = isPlainPractitioner(raw);
    const zod = PractitionerSchema.safeParse(raw);
    if (fast) {
        expect(zod.success).toBe(true);
        // zod's output is what the mapper read before the fast path
        expect(mapPractitioner(raw, role)).toEqual(mapPractitioner(zod.data, role));
    }
    return fast;
}

describe('practitioner validation: the hand-written check against zod', () => {
    let records: Json[] = [];

    beforeAll(async () => {
        const dir = await mkdtemp(join(tmpdir(), 'fast-validation-'));
        await generateRegistry({ count: 3000, out: dir, seed: 7, invalidShare: 0.05 });
        const text = await readFile(join(dir, 'Practitioner.ndjson'), 'utf8');
        records = text
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Json);
    });

    it('accepts every generated practitioner zod accepts, and agrees on the mapping', () => {
        let valid = 0;
        let fast = 0;
        for (const raw of records) {
            if (PractitionerSchema.safeParse(raw).success) valid++;
            if (check(raw, ROLE)) fast++;
            check(raw, undefined);
        }
        expect(valid).toBeGreaterThan(2800);
        expect(fast).toBe(valid);
    });

    it('never accepts what zod rejects, and maps the same, on mutated practitioners', () => {
        const mutation = fc.record({
            pick: fc.nat(10_000),
            op: fc.constantFrom('delete', 'set', 'near', 'near', 'extra'),
            value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>
        }) as fc.Arbitrary<Mutation>;
        let accepted = 0;
        let rejected = 0;
        fc.assert(
            fc.property(
                fc.nat(records.length - 1),
                fc.array(mutation, { minLength: 1, maxLength: 3 }),
                fc.boolean(),
                (index, mutations, withRole) => {
                    const raw = mutate(records[index], mutations);
                    if (check(raw, withRole ? ROLE : undefined)) accepted++;
                    else rejected++;
                }
            ),
            { numRuns: 20_000 }
        );
        // both sides are exercised: mutations that keep a record valid, and ones that do not
        expect(accepted).toBeGreaterThan(1000);
        expect(rejected).toBeGreaterThan(1000);
    });
});
