// The role join is built for speed (issue 22): a role is compared with the one kept so far in
// place (RoleTable.offer) instead of being read back, compared with betterRole and stored again;
// the role's coding is found without listing every coding first; instants are written back by
// hand instead of by toISOString. Each must give exactly what the earlier implementation gave (the
// professional's role, category, organisation and the reported problems), so the references
// below are the earlier code, kept as the oracle, and fast-check draws the inputs.
import fc from 'fast-check';
import { parseRole, type RoleMapping } from '../../../src/entities/professionals/role-map.ts';
import { RoleTable, type CompactRole } from '../../../src/entities/professionals/role-table.ts';
import { betterRole } from '../../../src/entities/professionals/roles.ts';
import type { Vocabulary } from '../../../src/entities/vocabularies/vocabulary.ts';
import { isoOfTime } from '../../../src/util/instant.ts';
import { testVocabularies } from '../vocabularies/helpers.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const ROLE_SYSTEM = 'urn:fse2:ruolo';
const CATEGORY_SYSTEM = 'urn:fse2:categoria-target';

/** `new Date(time).toISOString()`, or the error it throws. */
const viaDate = (time: number) => {
    try {
        return new Date(time).toISOString();
    } catch (e) {
        return `throws ${(e as Error).name}`;
    }
};
const viaHand = (time: number) => {
    try {
        return isoOfTime(time);
    } catch (e) {
        return `throws ${(e as Error).name}`;
    }
};

describe('isoOfTime', () => {
    const MIN = -62167219200000; // 0000-01-01T00:00:00.000Z
    const MAX = 253402300799999; // 9999-12-31T23:59:59.999Z

    it('writes every instant of the years 0-9999 as toISOString does', () => {
        fc.assert(
            fc.property(fc.integer({ min: MIN, max: MAX }), (t) => {
                expect(viaHand(t)).toBe(viaDate(t));
            }),
            { numRuns: 20000 }
        );
    });

    it('agrees on the edges: day and year boundaries, leap days, 1970, -0', () => {
        const edges = [
            MIN,
            MAX,
            MIN - 1,
            MAX + 1,
            0,
            -0,
            -1,
            1,
            Date.UTC(2000, 1, 29, 23, 59, 59, 999),
            Date.UTC(1900, 1, 28, 23, 59, 59, 999),
            Date.UTC(1900, 2, 1),
            Date.UTC(2100, 1, 28, 12),
            Date.UTC(2024, 11, 31, 23, 59, 59, 999),
            Date.UTC(2025, 0, 1),
            Date.UTC(9, 0, 1) - Date.UTC(1900, 0, 1) + Date.UTC(0, 0, 1), // odd composed value
            8.64e15,
            -8.64e15,
            8.64e15 + 1,
            0.5,
            NaN,
            Infinity
        ];
        for (const t of edges) expect(viaHand(t)).toBe(viaDate(t));
    });

    it('falls back to Date for any other number (fractions, out of range)', () => {
        fc.assert(
            fc.property(fc.double({ min: -9e15, max: 9e15 }), (t) => {
                expect(viaHand(t)).toBe(viaDate(t));
            }),
            { numRuns: 5000 }
        );
    });
});

/** Instants as roles carry them: canonical, other spellings, odd text, none. */
const updatedArb = fc.oneof(
    fc
        .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) })
        .map((t) => new Date(t).toISOString()),
    fc.constantFrom(
        '',
        'yesterday',
        '2025-03-01T10:00:00Z',
        '2025-03-01T10:00:00.000+01:00',
        '2025-02-29T10:00:00.000Z',
        '+010000-01-01T00:00:00.000Z'
    )
);
const roleArb: fc.Arbitrary<CompactRole> = fc.record({
    active: fc.boolean(),
    start: fc.constantFrom('', '2019-01-01', '2020-01-01', '2020-06-15', '2021'),
    orgCode: fc.constantFrom('', '030ASST701', '030ATS321'),
    role: fc.constantFrom(null, 'INF', 'APR', ''),
    category: fc.constantFrom(null, 'Infermiere', 'MMG'),
    updated: updatedArb
});

describe('RoleTable.offer', () => {
    it('keeps what set(id, betterRole(get(id), role)) kept, role after role', () => {
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.constantFrom('p1', 'p2', 'P1', 'p-3', 'città'), roleArb), {
                    maxLength: 40
                }),
                (offers) => {
                    const fast = new RoleTable();
                    const reference = new RoleTable();
                    for (const [id, role] of offers) {
                        fast.offer(id, role);
                        reference.set(id, betterRole(reference.get(id), role));
                    }
                    expect(fast.size).toBe(reference.size);
                    for (const [id] of offers) expect(fast.get(id)).toEqual(reference.get(id));
                }
            ),
            { numRuns: 3000 }
        );
    });

    it('prefers an active role, then the later start, the first on a tie', () => {
        const t = new RoleTable();
        const base = { orgCode: 'A', role: 'INF', category: null, updated: '' };
        t.offer('p', { ...base, active: false, start: '2024-01-01' });
        t.offer('p', { ...base, active: true, start: '2019-01-01', orgCode: 'B' });
        expect(t.get('p')?.orgCode).toBe('B');
        t.offer('p', { ...base, active: false, start: '2025-01-01', orgCode: 'C' });
        expect(t.get('p')?.orgCode).toBe('B');
        t.offer('p', { ...base, active: true, start: '2019-01-01', orgCode: 'D' });
        expect(t.get('p')?.orgCode).toBe('B');
        t.offer('p', { ...base, active: true, start: '2020-01-01', orgCode: 'E' });
        expect(t.get('p')?.orgCode).toBe('E');
    });
});

// ---- parseRole's codings against the earlier lookup -------------------------------------------

type Raw = Record<string, unknown>;
const asObject = (value: unknown): Raw | undefined =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;

/** The earlier implementation: every coding with its path, then the first that fits. */
function referenceCodedValue(raw: Raw, vocabulary: Vocabulary) {
    const all: Array<{ path: string; system: unknown; code: unknown }> = [];
    const concepts = Array.isArray(raw.code) ? raw.code : [];
    concepts.forEach((concept, i) => {
        const codings = asObject(concept)?.coding;
        if (!Array.isArray(codings)) return;
        codings.forEach((coding, j) => {
            const c = asObject(coding);
            if (c)
                all.push({ path: `code[${i}].coding[${j}].code`, system: c.system, code: c.code });
        });
    });
    const coding = all.find(
        (c) => c.system === vocabulary.system && typeof c.code === 'string' && c.code.trim()
    );
    if (!coding) return { value: null, problem: undefined };
    const resolved = vocabulary.resolve(String(coding.code), false);
    if (resolved.ok) return { value: resolved.value, problem: undefined };
    return { value: null, problem: `${coding.path}: ${resolved.reason}` };
}

const codeArb = fc.oneof(
    fc.constantFrom('APR', 'inf', ' oam ', 'ASS', '', '  ', 'MMG', 'Infermiere', 'Astronauta'),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.constant(null)
);
const codingArb = fc.oneof(
    fc.record(
        {
            system: fc.constantFrom(ROLE_SYSTEM, CATEGORY_SYSTEM, 'urn:other', undefined),
            code: codeArb
        },
        { requiredKeys: [] }
    ),
    fc.constantFrom(null, 'text', 3, [] as unknown[])
);
const conceptArb = fc.oneof(
    fc.record({ coding: fc.array(codingArb, { maxLength: 4 }) }),
    fc.record({ coding: fc.constantFrom(null, 'x', {}) }),
    fc.constantFrom(null, 'concept', [] as unknown[], {})
);

describe('parseRole codings', () => {
    let mapping: RoleMapping;
    beforeAll(async () => {
        const vocabularies = await testVocabularies();
        mapping = {
            orgCodeById: new Map([['org-1', '030ASST701']]),
            roles: vocabularies.get('fseRole'),
            categories: vocabularies.get('targetCategory'),
            count: false
        };
    });

    it('finds the role and category codings, and reports their problems, as the earlier lookup did', () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    fc.array(conceptArb, { maxLength: 4 }),
                    fc.constantFrom(undefined, null, 'APR', {})
                ),
                (code) => {
                    const raw: Raw = {
                        resourceType: 'PractitionerRole',
                        id: 'r1',
                        practitioner: { reference: 'Practitioner/p1' },
                        organization: { reference: 'Organization/org-1' },
                        ...(code === undefined ? {} : { code })
                    };
                    const r = parseRole(raw, NOW, mapping);
                    if (!r.ok) throw new Error(r.reason);
                    const role = referenceCodedValue(raw, mapping.roles);
                    const category = referenceCodedValue(raw, mapping.categories);
                    expect(r.role.role).toBe(role.value);
                    expect(r.role.category).toBe(category.value);
                    expect(r.problems.map((p) => p.reason)).toEqual(
                        [role.problem, category.problem].filter((p) => p !== undefined)
                    );
                }
            ),
            { numRuns: 3000 }
        );
    });

    it('names the position of a role it rejects', () => {
        const r = parseRole({ resourceType: 'PractitionerRole', id: 'r9' }, NOW, mapping);
        expect(r).toMatchObject({
            ok: false,
            reason: expect.stringMatching(/^practitioner\.reference/)
        });
        const other = parseRole({ resourceType: 'Practitioner', id: 'r9' }, NOW, mapping);
        expect(other).toMatchObject({
            ok: false,
            reason: 'resourceType: must be PractitionerRole'
        });
        expect(other.ok || other.key).toContain('r9');
    });
});
