// Deterministic synthetic registry (FHIR Bulk Data export: one NDJSON file per resource type).
// Seeded PRNG, streaming writes (1M professionals work), valid fiscal codes including omocodic
// ones, Italian names with accents and apostrophes, example.org e-mails, and a few invalid
// records on purpose (ids starting with "bad-").
import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
    buildFiscalCode,
    nameCode,
    omocodicVariant,
    plainLetters,
    surnameCode
} from '../domain/fiscal-code.ts';
import { NdjsonWriter } from '../util/ndjson-file.ts';
import {
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    GIVEN,
    ORG_TYPE_LABELS,
    ORGANIZATIONS,
    PLACES,
    PURPOSE_LABELS,
    ROLE_LABELS,
    ROLES,
    SURNAMES
} from './data.ts';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export interface GenerateOptions {
    count: number;
    out: string;
    seed?: number;
    /** share of professionals that are invalid on purpose (default 0.005) */
    invalidShare?: number;
    /** also write Consent.ndjson: 3 purposes x 2 channels per professional (default false) */
    consents?: boolean;
    /**
     * The spelling of coded elements. 'contract' (default): our picklists' API names. 'labels':
     * another registry's, valid FHIR but not our contract's letter: role codes in lower case or
     * as labels, target categories as labels in upper or lower case, with accents or as lower-case
     * API names, organisation types as labels or lower case, consent purposes and channels as
     * labels. Deterministic, and without extra random draws: the rest is byte-identical.
     */
    spelling?: 'contract' | 'labels';
    /** this share of professionals have roles with the target category `code`, which no picklist
     *  value matches (mass-reject tests); chosen by position, no random draw */
    unknownCategory?: { code: string; share: number };
    /** false: Consent resources without `meta` (optional in FHIR R4); default true */
    consentMeta?: boolean;
}

export interface GenerateSummary {
    seed: number;
    organizations: number;
    practitioners: number;
    invalid: number;
    duplicates: number;
    omocodic: number;
    ceased: number;
    /** professionals expected in the org after a full sync */
    expectedValid: number;
    expectedActive: number;
    /** Consent resources written (one per professional x channel x purpose) */
    consents?: number;
    /** OptIn decisions among the consents of valid professionals */
    consentOptIns?: number;
}

const INVALID_KINDS = [
    'check-character',
    'missing-family',
    'email',
    'family-too-long',
    'duplicate',
    'partial-birthdate',
    'unknown-org',
    'no-fiscal-code'
] as const;

const BASE = Date.UTC(2025, 0, 1);
const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)];
const pad = (n: number, w = 7) => String(n).padStart(w, '0');

function organizationResource(
    org: (typeof ORGANIZATIONS)[number],
    i: number,
    spelling: GenerateOptions['spelling']
) {
    const type =
        spelling === 'labels'
            ? i % 2
                ? ORG_TYPE_LABELS[org.type]
                : org.type.toLowerCase()
            : org.type;
    return {
        resourceType: 'Organization',
        id: `org-${pad(i + 1, 3)}`,
        meta: { lastUpdated: new Date(BASE).toISOString() },
        active: true,
        identifier: [{ system: org.system, value: org.code }],
        name: org.name,
        type: [{ coding: [{ system: 'urn:fse2:tipo-ente', code: type }] }]
    };
}

/** A few letters accented ("Pédiatra di libèra scelta"): a spelling our labels do not have. */
function accented(text: string): string {
    return text.replace('e', 'é').replace('a', 'à').replace('o', 'ò');
}

/** The role code and target category as another registry spells them (variant `n`). */
export function respell(code: string, category: string, n: number): [string, string] {
    const label = CATEGORY_LABELS[category] ?? category;
    const categories = [
        label,
        label.toUpperCase(),
        accented(label.toLowerCase()),
        category.toLowerCase()
    ];
    const roles = [
        code.toLowerCase(),
        ROLE_LABELS[code] ?? code,
        ` ${code[0]}${code.slice(1).toLowerCase()} `
    ];
    return [roles[n % roles.length], categories[n % categories.length]];
}

function slug(s: string): string {
    return plainLetters(s).toLowerCase();
}

type InvalidKind = (typeof INVALID_KINDS)[number];

/** What the generation keeps from one professional to the next. */
interface Generation {
    options: GenerateOptions;
    /** the registry's random stream; consents have their own, so the rest is the same with
     *  or without them */
    random: () => number;
    consentRandom: () => number;
    practitioners: NdjsonWriter<unknown>;
    roles: NdjsonWriter<unknown>;
    consents?: NdjsonWriter<unknown>;
    summary: GenerateSummary;
    /** fiscal codes already given (omocodia) */
    used: Set<string>;
    invalidEvery: number;
    lastValid?: { fiscalCode: string; updated: number };
    invalidCount: number;
    roleCount: number;
    consentCount: number;
}

interface Person {
    surname: string;
    givenNames: string[];
    female: boolean;
    year: number;
    month: number;
    day: number;
    fiscalCode: string;
}

/** Name, sex, birth date and fiscal code of professional `n` (omocodic when it collides). */
function drawPerson(g: Generation, n: number): Person {
    const r = g.random;
    const surname = pick(r, SURNAMES);
    const [given, female] = pick(r, GIVEN);
    const second = r() < 0.1 ? pick(r, GIVEN) : undefined;
    const givenNames =
        second && second[1] === female && second[0] !== given ? [given, second[0]] : [given];
    const year = 1955 + Math.floor(r() * 45);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    let fiscalCode = buildFiscalCode({
        surname3: surnameCode(surname),
        name3: nameCode(givenNames.join('')),
        year,
        month,
        day,
        female,
        place: pick(r, PLACES)
    });
    // real omocodia: a colliding code gets the next omocodic variant
    let level = n % 997 === 0 ? 1 + (n % 3) : 0;
    while (g.used.has(level ? omocodicVariant(fiscalCode, level) : fiscalCode)) level++;
    if (level) {
        fiscalCode = omocodicVariant(fiscalCode, level);
        g.summary.omocodic++;
    }
    return { surname, givenNames, female, year, month, day, fiscalCode };
}

/** Spoils `resource` as `kind` says; returns the organisation reference of its role. */
function spoil(
    g: Generation,
    kind: InvalidKind | undefined,
    resource: Record<string, unknown>,
    person: Person,
    n: number,
    orgRef: string
): string {
    const { fiscalCode, surname, givenNames } = person;
    const identifier = () => resource.identifier as Array<{ value: string }>;
    switch (kind) {
        case 'check-character':
            identifier()[0].value = fiscalCode.slice(0, 15) + (fiscalCode[15] === 'A' ? 'B' : 'A');
            break;
        case 'missing-family':
            resource.name = [{ given: givenNames }];
            break;
        case 'email':
            (resource.telecom as Array<{ value: string }>)[0].value =
                `${slug(surname)}.at.example.org`;
            break;
        case 'family-too-long':
            resource.name = [
                { family: `${surname} ${'Bianchi-Rossi '.repeat(6)}`.trim(), given: givenNames }
            ];
            break;
        case 'duplicate':
            if (g.lastValid) {
                // same fiscal code as an earlier professional, updated earlier: it loses
                identifier()[0].value = g.lastValid.fiscalCode;
                resource.meta = {
                    lastUpdated: new Date(g.lastValid.updated - 86_400_000).toISOString()
                };
                g.summary.duplicates++;
            }
            break;
        case 'partial-birthdate':
            resource.birthDate = `${person.year}-${String(person.month).padStart(2, '0')}`;
            break;
        case 'unknown-org':
            return 'Organization/org-999';
        case 'no-fiscal-code':
            resource.identifier = [{ system: 'urn:example:badge', value: `B${n}` }];
            break;
    }
    return orgRef;
}

/** The Practitioner resource of `person` (the random draws in the generator's fixed order). */
function practitionerResource(
    g: Generation,
    person: Person,
    n: number,
    id: string,
    updated: number,
    ceased: boolean
): Record<string, unknown> {
    const r = g.random;
    const { surname, givenNames, female, year, month, day } = person;
    const email = `${slug(givenNames[0])}.${slug(surname)}.${n}@example.org`;
    return {
        resourceType: 'Practitioner',
        id,
        meta: { lastUpdated: new Date(updated).toISOString() },
        active: !ceased,
        identifier: [{ system: 'http://hl7.it/sid/codiceFiscale', value: person.fiscalCode }],
        name: [{ use: 'official', family: surname, given: givenNames }],
        telecom: [
            { system: 'email', value: email, use: 'work' },
            ...(r() < 0.7
                ? [
                      {
                          system: 'phone',
                          value: `+39 3${pad(Math.floor(r() * 1e9), 9)}`,
                          use: 'mobile'
                      }
                  ]
                : [])
        ],
        birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        gender: female ? 'female' : 'male'
    };
}

/** The six consents (channel x purpose) of practitioner `id`. */
async function writeConsents(
    g: Generation,
    id: string,
    updated: number,
    loaded: boolean
): Promise<void> {
    if (!g.consents) return;
    const rc = g.consentRandom;
    const summary = g.summary;
    for (const channel of CONSENT_CHANNELS) {
        for (const purpose of CONSENT_PURPOSES) {
            const permit = rc() < (purpose === 'sondaggi' ? 0.6 : 0.85);
            const revoked = rc() < 0.03;
            const captured = updated - Math.floor(rc() * 200) * 86_400_000;
            const labels = g.options.spelling === 'labels';
            const resource = consentResource(`cons-${pad(++g.consentCount, 9)}`, id, {
                channel: labels ? CHANNEL_LABELS[channel] : channel,
                purpose: labels ? PURPOSE_LABELS[purpose] : purpose,
                permit,
                active: !revoked,
                captured,
                updated
            });
            if (g.options.consentMeta === false) delete (resource as { meta?: unknown }).meta;
            await g.consents.write(resource);
            summary.consents = (summary.consents ?? 0) + 1;
            if (loaded && permit && !revoked)
                summary.consentOptIns = (summary.consentOptIns ?? 0) + 1;
        }
    }
}

/** The roles of practitioner `id`: a few have an older, ended role at another organisation. */
async function writeRoles(
    g: Generation,
    id: string,
    role: {
        n: number;
        orgIndex: number;
        orgRef: string;
        code: string;
        categories: readonly string[];
    },
    updated: number
): Promise<void> {
    const r = g.random;
    const { spelling, unknownCategory } = g.options;
    // options change the codes written, never the random draws
    const coded = (category: string): [string, string] => {
        const [code, spelled] =
            spelling === 'labels'
                ? respell(role.code, category, g.roleCount)
                : [role.code, category];
        const unknown = unknownCategory && role.n % 1000 < unknownCategory.share * 1000;
        return [code, unknown ? unknownCategory.code : spelled];
    };
    if (r() < 0.05) {
        const older = `Organization/org-${pad(((role.orgIndex + 3) % ORGANIZATIONS.length) + 1, 3)}`;
        const [code, category] = coded(role.categories[0]);
        await g.roles.write(
            roleResource(
                `role-${pad(++g.roleCount)}`,
                id,
                older,
                code,
                category,
                false,
                '2015-01-01',
                updated
            )
        );
    }
    const [code, category] = coded(pick(r, role.categories));
    await g.roles.write(
        roleResource(
            `role-${pad(++g.roleCount)}`,
            id,
            role.orgRef,
            code,
            category,
            true,
            '2020-01-01',
            updated
        )
    );
}

/** Professional `n`: its Practitioner, consents and roles, counted in the summary. */
async function generateProfessional(g: Generation, n: number): Promise<void> {
    const r = g.random;
    const summary = g.summary;
    const person = drawPerson(g, n);
    const updated = BASE + Math.floor(r() * 300) * 86_400_000 + Math.floor(r() * 86_400) * 1000;
    const invalid = n % g.invalidEvery === Math.floor(g.invalidEvery / 2);
    const kind = invalid ? INVALID_KINDS[g.invalidCount++ % INVALID_KINDS.length] : undefined;
    const id = `${invalid ? 'bad' : 'prac'}-${pad(n)}`;
    const ceased = !invalid && r() < 0.02;
    const orgIndex = Math.floor(r() * ORGANIZATIONS.length);
    const [code, categories] = pick(r, ROLES);
    const resource = practitionerResource(g, person, n, id, updated, ceased);
    const defaultOrg = `Organization/org-${pad(orgIndex + 1, 3)}`;
    const orgRef = spoil(g, kind, resource, person, n, defaultOrg);
    const fiscalCode = person.fiscalCode;
    // an unknown organisation is a rejected part of the role: the professional is loaded (Active,
    // without an Account), so it counts among the expected ones; it is still "invalid" data
    const loaded = !invalid || kind === 'unknown-org';
    if (invalid) summary.invalid++;
    if (loaded) {
        summary.expectedValid++;
        if (!ceased) summary.expectedActive++;
        else summary.ceased++;
    }
    if (!invalid) {
        g.used.add(fiscalCode);
        g.lastValid = { fiscalCode, updated };
    }
    if (kind !== 'check-character' && kind !== 'duplicate' && kind !== 'no-fiscal-code')
        g.used.add(fiscalCode);
    summary.practitioners++;
    await g.practitioners.write(resource);
    await writeConsents(g, id, updated, loaded);
    await writeRoles(g, id, { n, orgIndex, orgRef, code, categories }, updated);
}

export async function generateRegistry(options: GenerateOptions): Promise<GenerateSummary> {
    const seed = options.seed ?? 1;
    await mkdir(options.out, { recursive: true });
    const organizations = new NdjsonWriter<unknown>(join(options.out, 'Organization.ndjson'));
    for (const [i, org] of ORGANIZATIONS.entries())
        await organizations.write(organizationResource(org, i, options.spelling));
    await organizations.close();
    const g: Generation = {
        options,
        random: prng(seed),
        consentRandom: prng(seed * 7919 + 13),
        practitioners: new NdjsonWriter(join(options.out, 'Practitioner.ndjson')),
        roles: new NdjsonWriter(join(options.out, 'PractitionerRole.ndjson')),
        consents: options.consents
            ? new NdjsonWriter(join(options.out, 'Consent.ndjson'))
            : undefined,
        summary: {
            seed,
            organizations: ORGANIZATIONS.length,
            practitioners: 0,
            invalid: 0,
            duplicates: 0,
            omocodic: 0,
            ceased: 0,
            expectedValid: 0,
            expectedActive: 0
        },
        used: new Set(),
        invalidEvery: Math.max(2, Math.round(1 / (options.invalidShare ?? 0.005))),
        invalidCount: 0,
        roleCount: 0,
        consentCount: 0
    };
    for (let n = 1; n <= options.count; n++) await generateProfessional(g, n);
    await g.practitioners.close();
    await g.roles.close();
    await g.consents?.close();
    const summaryFile = join(options.out, 'generator-summary.json');
    await writeFile(summaryFile, JSON.stringify(g.summary, null, 2) + '\n');
    return g.summary;
}

export const CONSENT_PURPOSES = ['formazione', 'comunicazione', 'sondaggi'] as const;
export const CONSENT_CHANNELS = ['email', 'sms'] as const;

/** A registry Consent (docs/anagrafe-contract.md): one purpose and one channel each. */
export function consentResource(
    id: string,
    pracId: string,
    c: {
        channel: string;
        purpose: string;
        permit: boolean;
        active: boolean;
        captured: number;
        updated: number;
    }
) {
    return {
        resourceType: 'Consent',
        id,
        meta: { lastUpdated: new Date(c.updated).toISOString() },
        extension: [{ url: 'urn:fse2:canale', valueCode: c.channel }],
        status: c.active ? 'active' : 'inactive',
        scope: {
            coding: [
                {
                    system: 'http://terminology.hl7.org/CodeSystem/consentscope',
                    code: 'patient-privacy'
                }
            ]
        },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
        dateTime: new Date(c.captured).toISOString(),
        performer: [{ reference: `Practitioner/${pracId}` }],
        provision: {
            type: c.permit ? 'permit' : 'deny',
            purpose: [{ system: 'urn:fse2:finalita', code: c.purpose }]
        }
    };
}

function roleResource(
    id: string,
    pracId: string,
    orgRef: string,
    code: string,
    cat: string,
    active: boolean,
    start: string,
    updated: number
) {
    return {
        resourceType: 'PractitionerRole',
        id,
        meta: { lastUpdated: new Date(updated).toISOString() },
        active,
        period: active ? { start } : { start, end: '2019-12-31' },
        practitioner: { reference: `Practitioner/${pracId}` },
        organization: { reference: orgRef },
        code: [
            {
                coding: [
                    { system: 'urn:fse2:ruolo', code },
                    { system: 'urn:fse2:categoria-target', code: cat }
                ]
            }
        ]
    };
}

export interface ChangeOptions {
    /** professionals whose e-mail changes */
    update?: number;
    /** professionals who become inactive (Ceased) */
    cease?: number;
    /** professionals removed from the snapshot (deactivated by a full run) */
    remove?: number;
    /** new professionals */
    add?: number;
    /** meta.lastUpdated of the changes (ISO); default now */
    at?: string;
    seed?: number;
}

export interface ChangeSummary {
    updated: string[];
    ceased: string[];
    removed: string[];
    added: string[];
}

async function rewrite(
    path: string,
    fn: (obj: Record<string, unknown>) => Record<string, unknown> | null,
    extra: unknown[] = []
): Promise<void> {
    const tmp = `${path}.tmp`;
    const out = new NdjsonWriter<unknown>(tmp);
    const rl = createInterface({
        input: createReadStream(path, { encoding: 'utf8' }),
        crlfDelay: Infinity
    });
    for await (const line of rl) {
        if (!line.trim()) continue;
        const next = fn(JSON.parse(line));
        if (next) await out.write(next);
    }
    for (const e of extra) await out.write(e);
    await out.close();
    await rename(tmp, path);
}

/**
 * Apply "registry changes" for demos and incremental tests: the first valid professionals (in
 * file order, every 7th one) are updated, ceased or removed, and new ones are appended; every
 * change gets meta.lastUpdated = `at`. Returns the affected practitioner ids.
 */
export async function applyChanges(dir: string, o: ChangeOptions): Promise<ChangeSummary> {
    const at = o.at ?? new Date().toISOString();
    const r = prng(o.seed ?? 99);
    const want = { update: o.update ?? 0, cease: o.cease ?? 0, remove: o.remove ?? 0 };
    const s: ChangeSummary = { updated: [], ceased: [], removed: [], added: [] };
    let k = 0;
    await rewrite(join(dir, 'Practitioner.ndjson'), (p) => {
        const id = String(p.id);
        if (!id.startsWith('prac-') || p.active === false) return p;
        if (k++ % 7 !== 3) return p;
        if (s.updated.length < want.update) {
            s.updated.push(id);
            const telecom = (p.telecom as Array<{ system: string; value: string }>).map((t) =>
                t.system === 'email'
                    ? { ...t, value: t.value.replace('@', `.new${Math.floor(r() * 1000)}@`) }
                    : t
            );
            return { ...p, telecom, meta: { lastUpdated: at } };
        }
        if (s.ceased.length < want.cease) {
            s.ceased.push(id);
            return { ...p, active: false, meta: { lastUpdated: at } };
        }
        if (s.removed.length < want.remove) {
            s.removed.push(id);
            return null;
        }
        return p;
    });
    const newPractitioners: unknown[] = [];
    const newRoles: unknown[] = [];
    for (let i = 1; i <= (o.add ?? 0); i++) {
        const id = `new-${Date.parse(at)}-${i}`;
        const fc = buildFiscalCode({
            surname3: surnameCode('Nuovo'),
            name3: nameCode(pick(r, GIVEN)[0]),
            year: 2000,
            month: 1 + (i % 12),
            day: 1 + Math.floor(r() * 28),
            female: r() < 0.5,
            place: 'F205'
        });
        s.added.push(id);
        newPractitioners.push({
            resourceType: 'Practitioner',
            id,
            meta: { lastUpdated: at },
            active: true,
            identifier: [
                {
                    system: 'http://hl7.it/sid/codiceFiscale',
                    value: omocodicVariant(fc, Math.floor(r() * 8))
                }
            ],
            name: [{ family: "Nuovo D'Ingresso", given: ['Noè'] }],
            telecom: [{ system: 'email', value: `nuovo.${i}.${Date.parse(at)}@example.org` }],
            birthDate: '2000-01-01'
        });
        newRoles.push(
            roleResource(
                `${id}-role`,
                id,
                'Organization/org-001',
                'INF',
                'Infermiere',
                true,
                at.slice(0, 10),
                Date.parse(at)
            )
        );
    }
    if (newPractitioners.length) {
        await rewrite(join(dir, 'Practitioner.ndjson'), (p) => p, newPractitioners);
        await rewrite(join(dir, 'PractitionerRole.ndjson'), (p) => p, newRoles);
    }
    return s;
}
