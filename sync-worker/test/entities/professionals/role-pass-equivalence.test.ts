// The role pass of a run (readRoles over every PractitionerRole line) is built for speed (issue
// 22, stop 26): no line object per role, the role and category codings found in one walk, each
// vocabulary's answer remembered per code with the entry it is counted in, plain references read
// without the pattern, canonical instants timed from their digits. It must give exactly what the
// earlier code gave: the same best role of every practitioner, the same rejects (reasons,
// groups, hints, keys) in the same order, the same counts (vocabulary codes included) and the
// same `changed` set. The earlier code is kept below, verbatim but for names, as the oracle;
// fast-check draws the role lines.
import fc from 'fast-check';
import { referencedId } from '../../../src/entities/fhir-schemas.ts';
import { RoleTable } from '../../../src/entities/professionals/role-table.ts';
import { canonicalTime } from '../../../src/util/instant.ts';
import type { CompactRole } from '../../../src/entities/professionals/role-table.ts';
import { readRoles, type RoleJoin } from '../../../src/entities/professionals/roles.ts';
import {
    countPart,
    unparseableReject,
    type EntityContext,
    type EntityCounts,
    type RelatedReject
} from '../../../src/entities/types.ts';
import type { Vocabularies } from '../../../src/entities/vocabularies/load.ts';
import { shownCode } from '../../../src/entities/vocabularies/normalize.ts';
import type {
    Resolution,
    SeenCode,
    Vocabulary
} from '../../../src/entities/vocabularies/vocabulary.ts';
import { resourcePosition } from '../../../src/sources/raw-resource.ts';
import { UnparseableResource } from '../../../src/sources/types.ts';
import { isCanonicalInstant, isoInstant, isoOfTime } from '../../../src/util/instant.ts';
import { grow, Interner, KeyTable } from '../../../src/util/key-table.ts';
import { testVocabularies } from '../vocabularies/helpers.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const ROLE_SYSTEM = 'urn:fse2:ruolo';
const CATEGORY_SYSTEM = 'urn:fse2:categoria-target';

// ---- the oracle: the earlier code ---------------------------------------------------------------

/** The earlier referencedId: the pattern only. */
function oracleReferencedId(reference: unknown, type: string): string | undefined {
    if (typeof reference !== 'string') return undefined;
    const pattern = new RegExp(`(?:^|/)${type}/([^/\\s]+)(?:/_history/[^/]+)?$`);
    const m = pattern.exec(reference.trim());
    return m ? m[1] : undefined;
}

/** The earlier Vocabulary.resolve and count, on the vocabulary's own state. */
function oracleResolve(vocabulary: Vocabulary, code: string, count = true): Resolution {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const v = vocabulary as any;
    const key = v.keyFor(code);
    const explicit = key ? v.explicit.get(key) : undefined;
    const found: Resolution | undefined =
        explicit !== undefined
            ? { ok: true, value: explicit, by: 'config' }
            : key && v.index.has(key)
              ? { ok: true, ...v.index.get(key)! }
              : v.fallback !== null
                ? { ok: true, value: v.fallback, by: 'fallback' }
                : undefined;
    const result = found ?? v.miss(code, key);
    if (count) {
        const shown = shownCode(code);
        const seen = v.seen.get(shown) as SeenCode | undefined;
        if (seen) seen.count++;
        else if (v.seen.size >= 200) v.otherCodes++;
        else
            v.seen.set(
                shown,
                result.ok
                    ? { code: shown, count: 1, value: result.value, by: result.by }
                    : { code: shown, count: 1 }
            );
    }
    return result;
}

interface OracleMapping {
    orgCodeById: ReadonlyMap<string, string>;
    roles: Vocabulary;
    categories: Vocabulary;
    count?: boolean;
}
interface RoleProblem {
    reason: string;
    group: string;
    hint?: string;
}
type Raw = Record<string, unknown>;
const asObject = (value: unknown): Raw | undefined =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;

function oracleCodingOf(
    raw: Raw,
    system: string | undefined
): { path: () => string; code: string } | undefined {
    const concepts = Array.isArray(raw.code) ? raw.code : [];
    for (let i = 0; i < concepts.length; i++) {
        const codings = asObject(concepts[i])?.coding;
        if (!Array.isArray(codings)) continue;
        for (let j = 0; j < codings.length; j++) {
            const c = asObject(codings[j]);
            if (c && c.system === system && typeof c.code === 'string' && c.code.trim())
                return { path: () => `code[${i}].coding[${j}].code`, code: c.code };
        }
    }
    return undefined;
}

function oracleCodedValue(
    raw: Raw,
    vocabulary: Vocabulary,
    problems: RoleProblem[],
    count: boolean
): string | null {
    const coding = oracleCodingOf(raw, vocabulary.system);
    if (!coding) return null;
    const resolved = oracleResolve(vocabulary, coding.code, count);
    if (resolved.ok) return resolved.value;
    problems.push({
        reason: `${coding.path()}: ${resolved.reason}`,
        group: resolved.reason,
        hint: resolved.hint
    });
    return null;
}

function oracleOrganizationCode(raw: Raw, mapping: OracleMapping, problems: RoleProblem[]) {
    const reference = asObject(raw.organization)?.reference;
    if (reference === undefined) return '';
    const id = oracleReferencedId(reference, 'Organization');
    if (id === undefined) {
        const reason = 'organization.reference: must be an Organization/<id> reference';
        problems.push({ reason, group: reason });
        return '';
    }
    const code = mapping.orgCodeById.get(id);
    if (code !== undefined) return code;
    const group = `unknown Organization/${id} (not a valid Organization of the registry)`;
    problems.push({
        reason: `organization.reference: ${group}`,
        group,
        hint: 'add the organisation to the export (or fix its reject)'
    });
    return '';
}

function oracleOptional(
    value: unknown,
    kind: 'boolean' | 'string',
    path: string,
    problems: RoleProblem[]
): unknown {
    if (value === undefined || typeof value === kind) return value;
    const reason = `${path}: must be a ${kind}`;
    problems.push({ reason, group: reason });
    return undefined;
}

type OracleResult =
    | { ok: true; practitionerId: string; role: CompactRole; problems: RoleProblem[] }
    | { ok: false; key: string; reason: string; group?: string };

function oracleParseRole(raw: unknown, now: string, mapping: OracleMapping): OracleResult {
    const resource = asObject(raw);
    const key = () => resourcePosition(raw, 'PractitionerRole');
    if (resource?.resourceType !== 'PractitionerRole')
        return { ok: false, key: key(), reason: 'resourceType: must be PractitionerRole' };
    const reference = asObject(resource.practitioner)?.reference;
    const practitionerId = oracleReferencedId(reference, 'Practitioner');
    if (practitionerId === undefined) {
        const reason =
            reference === undefined
                ? 'practitioner.reference: required (a role must name its practitioner)'
                : 'practitioner.reference: must be a Practitioner/<id> reference';
        return { ok: false, key: key(), reason };
    }
    const problems: RoleProblem[] = [];
    const count = mapping.count !== false;
    const active = oracleOptional(resource.active, 'boolean', 'active', problems);
    const period = asObject(resource.period) ?? {};
    const start = oracleOptional(period.start, 'string', 'period.start', problems) as
        string | undefined;
    const end = oracleOptional(period.end, 'string', 'period.end', problems) as string | undefined;
    const meta = asObject(resource.meta) ?? {};
    const lastUpdated = oracleOptional(meta.lastUpdated, 'string', 'meta.lastUpdated', problems);
    const updated = isoInstant(lastUpdated as string | undefined) ?? '';
    if (lastUpdated !== undefined && !updated) {
        const reason = 'meta.lastUpdated: must be a valid datetime (treated as changed)';
        problems.push({ reason, group: reason });
    }
    const role: CompactRole = {
        active: active !== false && !(end && end < now),
        start: start ?? '',
        orgCode: oracleOrganizationCode(resource, mapping, problems),
        role: oracleCodedValue(resource, mapping.roles, problems, count),
        category: oracleCodedValue(resource, mapping.categories, problems, count),
        updated
    };
    return { ok: true, practitionerId, role, problems };
}

const NONE = 0xffffffff;

/** The earlier RoleTable (instants through Date.parse). */
class OracleRoleTable {
    readonly keys = new KeyTable(1 << 16);
    private readonly strings = new Interner();
    private active = new Uint8Array(1 << 16);
    private fields = new Uint32Array(4 << 16);
    private updated = new Float64Array(1 << 16);
    private readonly oddUpdated = new Map<number, string>();

    get size(): number {
        return this.keys.size;
    }

    get(id: string): CompactRole | undefined {
        const slot = this.keys.get(id);
        if (slot < 0) return undefined;
        const fields = this.fields;
        const values = this.strings.values;
        const updated = this.updated[slot];
        return {
            active: this.active[slot] === 1,
            start: values[fields[slot * 4]],
            orgCode: values[fields[slot * 4 + 1]],
            role: fields[slot * 4 + 2] === NONE ? null : values[fields[slot * 4 + 2]],
            category: fields[slot * 4 + 3] === NONE ? null : values[fields[slot * 4 + 3]],
            updated: Number.isNaN(updated) ? (this.oddUpdated.get(slot) ?? '') : isoOfTime(updated)
        };
    }

    offer(id: string, role: CompactRole): void {
        const known = this.keys.size;
        const slot = this.keys.add(id);
        if (slot < known) {
            const active = this.active[slot] === 1;
            if (
                active !== role.active
                    ? active
                    : !(role.start > this.strings.values[this.fields[slot * 4]])
            )
                return;
        }
        this.store(slot, role);
    }

    set(id: string, role: CompactRole): void {
        this.store(this.keys.add(id), role);
    }

    /** the stored time of `id` (NaN: kept as text) */
    time(id: string): number {
        return this.updated[this.keys.get(id)];
    }

    private store(slot: number, role: CompactRole): void {
        if (slot >= this.active.length) {
            this.active = grow(this.active, slot + 1);
            this.updated = grow(this.updated, this.active.length);
            this.fields = grow(this.fields, this.active.length * 4);
        }
        this.active[slot] = role.active ? 1 : 0;
        this.fields[slot * 4] = this.strings.id(role.start);
        this.fields[slot * 4 + 1] = this.strings.id(role.orgCode);
        this.fields[slot * 4 + 2] = role.role === null ? NONE : this.strings.id(role.role);
        this.fields[slot * 4 + 3] = role.category === null ? NONE : this.strings.id(role.category);
        const time = role.updated ? Date.parse(role.updated) : NaN;
        if (
            role.updated &&
            !isCanonicalInstant(role.updated) &&
            (Number.isNaN(time) || new Date(time).toISOString() !== role.updated)
        ) {
            this.oddUpdated.set(slot, role.updated);
            this.updated[slot] = NaN;
        } else {
            this.oddUpdated.delete(slot);
            this.updated[slot] = time;
        }
    }
}

interface OracleLine {
    joined?: { practitionerId: string; role: CompactRole };
    rejects: RelatedReject[];
}

function oracleRoleLine(context: EntityContext, raw: unknown, mapping: OracleMapping): OracleLine {
    if (raw instanceof UnparseableResource)
        return { rejects: [{ ...unparseableReject(raw), related: true, part: 'roles' }] };
    const parsed = oracleParseRole(raw, context.now, mapping);
    if (!parsed.ok) {
        const { key, reason } = parsed;
        return {
            rejects: [{ ok: false, key, reason, sourceId: key, related: true, part: 'roles' }]
        };
    }
    const joined = { practitionerId: parsed.practitionerId, role: parsed.role };
    if (!parsed.problems.length) return { joined, rejects: [] };
    const key = resourcePosition(raw, 'PractitionerRole');
    const rejects: RelatedReject[] = parsed.problems.map((p) => ({
        ok: false,
        key,
        reason: p.reason,
        group: p.group,
        hint: p.hint,
        sourceId: key,
        related: true,
        part: 'roles'
    }));
    return { joined, rejects };
}

function oracleCountRole(context: EntityContext, line: OracleLine): void {
    const counts = context.tally.counts;
    const rejected = line.rejects.length > 0;
    countPart((counts.parts ??= {}), 'roles', rejected);
    if (rejected) counts.rolesRejected = (counts.rolesRejected ?? 0) + 1;
}

/** The earlier readRoles of a run without the incremental pre-filter (full runs, and
 *  incremental runs over a source that does not read lines). */
async function* oracleReadRoles(
    context: EntityContext,
    join: { roles: OracleRoleTable; changed: Set<string> }
): AsyncIterable<RelatedReject> {
    const since = context.since;
    const mapping: OracleMapping = {
        orgCodeById: context.organizations.codeById,
        roles: context.vocabularies.get('fseRole'),
        categories: context.vocabularies.get('targetCategory'),
        count: true
    };
    for await (const raw of context.source.read('PractitionerRole', { skipRaw: undefined })) {
        const line = oracleRoleLine(context, raw, mapping);
        oracleCountRole(context, line);
        if (line.rejects.length) yield* line.rejects;
        if (!line.joined) continue;
        const { practitionerId: id, role } = line.joined;
        join.roles.offer(id, role);
        if (since && (role.updated === '' || role.updated > since)) join.changed.add(id);
    }
}

// ---- the role lines -----------------------------------------------------------------------------

const ORGS = new Map([
    ['org-1', '030ASST701'],
    ['org-2', '030ATS321'],
    ['città', '030ASST702']
]);

/** Text with the odd characters references and codes may carry. */
const oddText = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.constantFrom('', ' ', '\u00a0', '\ufeff', '\u2028', '\t', '/', '_history', 'é', '😀', '\\')
);
const practitionerIdArb = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('p1', 'p2', 'P1', 'p-3', 'città', 'p.4', 'p$') },
    { weight: 1, arbitrary: oddText }
);
/** references to `type`: plain, spaced, absolute, versioned, to another type, odd, not text */
const referenceArb = (type: string, ids: fc.Arbitrary<string>) =>
    fc.oneof(
        { weight: 6, arbitrary: ids.map((id) => `${type}/${id}`) },
        {
            weight: 3,
            arbitrary: fc
                .tuple(
                    fc.constantFrom('', ' ', '\u00a0', 'https://fhir.example.org/', '/', 'x'),
                    fc.constantFrom(type, type.toLowerCase(), 'Patient', `${type}s`, ''),
                    fc.constantFrom('/', '//', ' /'),
                    ids,
                    fc.constantFrom(
                        '',
                        '/_history/2',
                        '/_history/',
                        '/_history/a/b',
                        '/',
                        ' ',
                        '\n'
                    )
                )
                .map(([a, b, c, d, e]) => a + b + c + d + e)
        },
        { weight: 1, arbitrary: oddText },
        { weight: 1, arbitrary: fc.constantFrom(undefined, null, 7, true, {}, ['x']) }
    );
const instantArb = fc.oneof(
    fc
        .integer({ min: -62167219200000, max: 253402300799999 })
        .map((t) => new Date(t).toISOString()),
    fc
        .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 0, 1) })
        .map((t) => new Date(t).toISOString()),
    fc.constantFrom(
        '',
        'yesterday',
        '2025-03-01T10:00:00Z',
        '2025-03-01T10:00:00.000+01:00',
        '2025-02-29T10:00:00.000Z',
        '2024-02-29T10:00:00.000Z',
        '2025-13-01T10:00:00.000Z',
        '2025-03-01T24:00:00.000Z',
        '2025-03-01',
        '+010000-01-01T00:00:00.000Z',
        '0000-01-01T00:00:00.000Z',
        '9999-12-31T23:59:59.999Z',
        '1970-01-01T00:00:00.000Z'
    ),
    oddText
);
const codeArb = fc.oneof(
    fc.constantFrom(
        'APR',
        'apr',
        ' oam ',
        'DRS',
        'PSS',
        'ASS',
        'Astronauta',
        'MMG',
        'Infermiere',
        'Dirigente',
        'OperatoreAccoglienza',
        'dirigènte',
        '',
        '  '
    ),
    fc.string({ maxLength: 70 }),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
    fc.integer(),
    fc.constant(null)
);
const codingArb = fc.oneof(
    {
        weight: 5,
        arbitrary: fc.record(
            {
                system: fc.constantFrom(ROLE_SYSTEM, CATEGORY_SYSTEM, 'urn:other', undefined),
                code: codeArb
            },
            { requiredKeys: [] }
        )
    },
    { weight: 1, arbitrary: fc.constantFrom(null, 'text', 3, [] as unknown[]) }
);
const conceptArb = fc.oneof(
    { weight: 5, arbitrary: fc.record({ coding: fc.array(codingArb, { maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.constantFrom(null, 'concept', [] as unknown[], {}, { coding: 'x' }) }
);
const optionalOf = <T>(a: fc.Arbitrary<T>) =>
    fc.oneof(
        { weight: 5, arbitrary: a },
        { weight: 1, arbitrary: fc.constantFrom(undefined, null, 1, 'true', [] as unknown[]) }
    );

const roleArb: fc.Arbitrary<unknown> = fc.oneof(
    {
        weight: 12,
        arbitrary: fc.record(
            {
                resourceType: fc.constantFrom(
                    'PractitionerRole',
                    'PractitionerRole',
                    'Practitioner'
                ),
                id: fc.oneof(fc.constantFrom('r1', 'r2', 'ròle'), oddText, fc.constant(3)),
                meta: optionalOf(
                    fc.record({ lastUpdated: optionalOf(instantArb) }, { requiredKeys: [] })
                ),
                active: optionalOf(fc.boolean()),
                period: optionalOf(
                    fc.record(
                        {
                            start: optionalOf(
                                fc.oneof(
                                    fc.constantFrom(
                                        '2019-01-01',
                                        '2020-01-01',
                                        '2020-06-15',
                                        '2021',
                                        ''
                                    ),
                                    oddText
                                )
                            ),
                            end: optionalOf(
                                fc.oneof(
                                    fc.constantFrom(
                                        '2019-12-31',
                                        '2030-01-01',
                                        '2026-01-01T00:00:00.000Z',
                                        ''
                                    ),
                                    oddText
                                )
                            )
                        },
                        { requiredKeys: [] }
                    )
                ),
                practitioner: fc.oneof(
                    {
                        weight: 8,
                        arbitrary: fc.record(
                            { reference: referenceArb('Practitioner', practitionerIdArb) },
                            { requiredKeys: [] }
                        )
                    },
                    {
                        weight: 1,
                        arbitrary: fc.constantFrom(
                            undefined,
                            null,
                            'Practitioner/p1',
                            [] as unknown[]
                        )
                    }
                ),
                organization: fc.oneof(
                    {
                        weight: 6,
                        arbitrary: fc.record(
                            {
                                reference: referenceArb(
                                    'Organization',
                                    fc.oneof(
                                        fc.constantFrom('org-1', 'org-2', 'città', 'org-9'),
                                        oddText
                                    )
                                )
                            },
                            { requiredKeys: [] }
                        )
                    },
                    {
                        weight: 1,
                        arbitrary: fc.constantFrom(
                            undefined,
                            null,
                            'Organization/org-1',
                            [] as unknown[]
                        )
                    }
                ),
                code: fc.oneof(
                    { weight: 6, arbitrary: fc.array(conceptArb, { maxLength: 3 }) },
                    { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'APR', {}) }
                )
            },
            { requiredKeys: ['resourceType'] }
        )
    },
    { weight: 1, arbitrary: fc.constantFrom(null, 'text', 5, [] as unknown[], {}) },
    {
        weight: 1,
        arbitrary: fc
            .nat(1000)
            .map(
                (n) =>
                    new UnparseableResource(
                        'PractitionerRole',
                        `PractitionerRole.ndjson line ${n}`,
                        'line is not valid JSON'
                    )
            )
    }
);

// ---- the comparison -----------------------------------------------------------------------------

/** The vocabulary configurations drawn: the default (no fallback), fallbacks, maps, the roles
 *  read from the categories' system (one coding may then give both). */
const CONFIGS: Record<string, unknown>[] = [
    {},
    { fseRole: { fallback: 'APR' }, targetCategory: { fallback: 'Dirigente' } },
    {
        fseRole: { map: { ASS: 'PSS', Astronauta: 'DRS' } },
        targetCategory: { map: { MMG: 'Dirigente' } }
    },
    { fseRole: { system: CATEGORY_SYSTEM, fallback: 'PSS' } }
];

function contextOf(lines: unknown[], vocabularies: Vocabularies, since?: string): EntityContext {
    const counts: EntityCounts = { read: 0, valid: 0, rejected: 0 } as EntityCounts;
    return {
        source: {
            readsLines: false,
            async *read() {
                yield* lines;
            }
        },
        since,
        now: NOW,
        organizations: { results: [], codeById: ORGS },
        vocabularies,
        incrementalRolePrefilter: true,
        tally: { counts }
    } as unknown as EntityContext;
}

async function collect(rejects: AsyncIterable<RelatedReject>): Promise<RelatedReject[]> {
    const all: RelatedReject[] = [];
    for await (const r of rejects) all.push(r);
    return all;
}

describe('the role pass', () => {
    // one pair of vocabularies per configuration for the whole property (the new and the
    // oracle's), so that codes pile up past the 200 the report keeps
    let pairs: Array<[Vocabularies, Vocabularies]>;
    beforeAll(async () => {
        pairs = await Promise.all(
            CONFIGS.map(
                async (c) =>
                    [await testVocabularies(c), await testVocabularies(c)] as [
                        Vocabularies,
                        Vocabularies
                    ]
            )
        );
        // 190 codes seen before: the 200th distinct code comes during the property
        for (const [mine, theirs] of pairs) {
            for (const name of ['fseRole', 'targetCategory'] as const) {
                for (let i = 0; i < 190; i++) {
                    mine.get(name).resolve(`before-${i}`);
                    oracleResolve(theirs.get(name), `before-${i}`);
                }
            }
        }
    });

    it('keeps the same roles, rejects, counts, vocabulary counts and changed set as the earlier code', async () => {
        const seen = { rejects: 0, joined: 0, problems: 0, odd: 0 };
        await fc.assert(
            fc.asyncProperty(
                fc.array(roleArb, { maxLength: 30 }),
                fc.nat(CONFIGS.length - 1),
                fc.constantFrom(undefined, '2025-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z'),
                async (lines, config, since) => {
                    const [mine, theirs] = pairs[config];
                    const context = contextOf(lines, mine, since);
                    const oracleContext = contextOf(lines, theirs, since);
                    const join: RoleJoin = { roles: new RoleTable(), changed: new Set() };
                    const oracleJoin = { roles: new OracleRoleTable(), changed: new Set<string>() };
                    const rejects = await collect(readRoles(context, join));
                    const expected = await collect(oracleReadRoles(oracleContext, oracleJoin));
                    expect(rejects).toEqual(expected);
                    expect(context.tally.counts).toEqual(oracleContext.tally.counts);
                    expect([...join.changed]).toEqual([...oracleJoin.changed]);
                    const ids = [...oracleJoin.roles.keys.keys()];
                    // eslint-disable-next-line @typescript-eslint/no-explicit-any
                    expect([...(join.roles as any).keys.keys()]).toEqual(ids);
                    for (const id of ids)
                        expect(join.roles.get(id)).toEqual(oracleJoin.roles.get(id));
                    for (const name of ['fseRole', 'targetCategory'] as const)
                        expect(mine.get(name).report()).toEqual(theirs.get(name).report());
                    seen.rejects += expected.length;
                    seen.joined += ids.length;
                    seen.problems += expected.filter((r) => r.group !== undefined).length;
                    seen.odd += ids.filter((id) => Number.isNaN(oracleJoin.roles.time(id))).length;
                }
            ),
            { numRuns: 1000 }
        );
        // not vacuous: lines rejected, roles joined, parts rejected, instants kept as text (measured
        // over 1,000 runs: ~4,700 rejects, ~790 practitioners, ~850 part rejects, ~530 as text)
        expect(seen.rejects).toBeGreaterThan(2500);
        expect(seen.joined).toBeGreaterThan(400);
        expect(seen.problems).toBeGreaterThan(400);
        expect(seen.odd).toBeGreaterThan(250);
        // the vocabularies saw more codes than the report keeps (otherCodes counted)
        const overflow = pairs.map(([, theirs]) => theirs.get('fseRole').report().otherCodes);
        expect(Math.max(...overflow)).toBeGreaterThan(0);
    });
});

describe('referencedId', () => {
    it('gives what the pattern gives, for any text and type', () => {
        const typeArb = fc.constantFrom(
            'Practitioner',
            'Organization',
            'Patient',
            'A.B',
            'Prac titioner',
            '',
            'Pràctitioner'
        );
        fc.assert(
            fc.property(
                typeArb,
                fc.oneof(
                    referenceArb('Practitioner', practitionerIdArb),
                    referenceArb('Organization', oddText),
                    typeArb.chain((t) => oddText.map((id) => `${t}/${id}`)),
                    fc.string({ unit: 'binary', maxLength: 30 })
                ),
                (type, reference) => {
                    expect(referencedId(reference, type)).toBe(oracleReferencedId(reference, type));
                }
            ),
            { numRuns: 20000 }
        );
    });
});

describe('canonicalTime', () => {
    it('is Date.parse of every canonical instant of the years 0-9999, NaN for any other text', () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    instantArb,
                    fc
                        .integer({ min: -62167219200000, max: 253402300799999 })
                        .map((t) => new Date(t).toISOString())
                ),
                (text) => {
                    const t = canonicalTime(text);
                    if (isCanonicalInstant(text)) expect(t).toBe(Date.parse(text));
                    else expect(t).toBeNaN();
                }
            ),
            { numRuns: 20000 }
        );
    });
});

describe('RoleTable', () => {
    it('stores and gives back what the earlier table did, offer after offer', () => {
        const compactArb: fc.Arbitrary<CompactRole> = fc.record({
            active: fc.boolean(),
            start: fc.constantFrom('', '2019-01-01', '2020-01-01', '2021'),
            orgCode: fc.constantFrom('', '030ASST701'),
            role: fc.constantFrom(null, 'APR', ''),
            category: fc.constantFrom(null, 'Dirigente'),
            updated: instantArb
        });
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.constantFrom('p1', 'p2', 'città'), compactArb, fc.boolean()), {
                    maxLength: 30
                }),
                (offers) => {
                    const table = new RoleTable();
                    const oracle = new OracleRoleTable();
                    for (const [id, role, set] of offers) {
                        if (set) {
                            table.set(id, role);
                            oracle.set(id, role);
                        } else {
                            table.offer(id, role);
                            oracle.offer(id, role);
                        }
                    }
                    expect(table.size).toBe(oracle.size);
                    for (const id of ['p1', 'p2', 'città'])
                        expect(table.get(id)).toEqual(oracle.get(id));
                }
            ),
            { numRuns: 1000 }
        );
    });
});

describe('Vocabulary.resolve', () => {
    it('answers and counts as the earlier resolve did, for codes seen again and past 200 codes', async () => {
        for (const config of CONFIGS) {
            const mine = (await testVocabularies(config)).get('fseRole');
            const theirs = (await testVocabularies(config)).get('fseRole');
            fc.assert(
                fc.property(
                    fc.array(fc.tuple(codeArb.map(String), fc.boolean()), { maxLength: 40 }),
                    (calls) => {
                        for (const [code, count] of calls)
                            expect(mine.resolve(code, count)).toEqual(
                                oracleResolve(theirs, code, count)
                            );
                        expect(mine.report()).toEqual(theirs.report());
                    }
                ),
                { numRuns: 300 }
            );
            expect(theirs.report().otherCodes).toBeGreaterThan(0);
        }
    });
});
