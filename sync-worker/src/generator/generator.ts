// Deterministic synthetic registry (FHIR Bulk Data export: one NDJSON file per resource type).
// Seeded PRNG, streaming writes (1M professionals work), valid fiscal codes including omocodic
// ones, Italian names with accents and apostrophes, example.org e-mails, and a few invalid
// records on purpose (ids starting with "bad-").
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildFiscalCode, nameCode, omocodicVariant, surnameCode } from '../domain/fiscal-code.ts';
import { GIVEN, ORGANIZATIONS, PLACES, ROLES, SURNAMES } from './data.ts';

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

class Out {
    private readonly s: NodeJS.WritableStream;
    constructor(path: string) {
        this.s = createWriteStream(path, { encoding: 'utf8' });
    }
    async line(obj: unknown): Promise<void> {
        if (!this.s.write(JSON.stringify(obj) + '\n')) await once(this.s, 'drain');
    }
    async close(): Promise<void> {
        this.s.end();
        await once(this.s, 'finish');
    }
}

export interface GenerateOptions {
    count: number;
    out: string;
    seed?: number;
    /** share of professionals that are invalid on purpose (default 0.005) */
    invalidShare?: number;
    /** also write Consent.ndjson: 3 purposes x 2 channels per professional (default false) */
    consents?: boolean;
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

function organizationResource(o: (typeof ORGANIZATIONS)[number], i: number) {
    return {
        resourceType: 'Organization',
        id: `org-${pad(i + 1, 3)}`,
        meta: { lastUpdated: new Date(BASE).toISOString() },
        active: true,
        identifier: [{ system: o.system, value: o.code }],
        name: o.name,
        type: [{ coding: [{ system: 'urn:fse2:tipo-ente', code: o.type }] }]
    };
}

function slug(s: string): string {
    return s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z]/g, '');
}

export async function generateRegistry(o: GenerateOptions): Promise<GenerateSummary> {
    const seed = o.seed ?? 1;
    const r = prng(seed);
    await mkdir(o.out, { recursive: true });
    const orgOut = new Out(join(o.out, 'Organization.ndjson'));
    for (const [i, org] of ORGANIZATIONS.entries()) await orgOut.line(organizationResource(org, i));
    await orgOut.close();

    const pr = new Out(join(o.out, 'Practitioner.ndjson'));
    const roles = new Out(join(o.out, 'PractitionerRole.ndjson'));
    // consents have their own random stream: the rest of the registry is the same with or without
    const consents = o.consents ? new Out(join(o.out, 'Consent.ndjson')) : undefined;
    const rc = prng(seed * 7919 + 13);
    let consentN = 0;
    const used = new Set<string>();
    const summary: GenerateSummary = {
        seed,
        organizations: ORGANIZATIONS.length,
        practitioners: 0,
        invalid: 0,
        duplicates: 0,
        omocodic: 0,
        ceased: 0,
        expectedValid: 0,
        expectedActive: 0
    };
    const invalidEvery = Math.max(2, Math.round(1 / (o.invalidShare ?? 0.005)));
    let lastValid: { fc: string; updated: number } | undefined;
    let invalidN = 0;
    let roleN = 0;
    for (let n = 1; n <= o.count; n++) {
        const surname = pick(r, SURNAMES);
        const [given, female] = pick(r, GIVEN);
        const second = r() < 0.1 ? pick(r, GIVEN) : undefined;
        const givenNames =
            second && second[1] === female && second[0] !== given ? [given, second[0]] : [given];
        const year = 1955 + Math.floor(r() * 45);
        const month = 1 + Math.floor(r() * 12);
        const day = 1 + Math.floor(r() * 28);
        let fc = buildFiscalCode({
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
        while (used.has(level ? omocodicVariant(fc, level) : fc)) level++;
        if (level) {
            fc = omocodicVariant(fc, level);
            summary.omocodic++;
        }
        const updated = BASE + Math.floor(r() * 300) * 86_400_000 + Math.floor(r() * 86_400) * 1000;
        const invalid = n % invalidEvery === Math.floor(invalidEvery / 2);
        const kind = invalid ? INVALID_KINDS[invalidN++ % INVALID_KINDS.length] : undefined;
        const id = `${invalid ? 'bad' : 'prac'}-${pad(n)}`;
        const ceased = !invalid && r() < 0.02;
        const orgIdx = Math.floor(r() * ORGANIZATIONS.length);
        const [roleCode, cats] = pick(r, ROLES);
        const email = `${slug(givenNames[0])}.${slug(surname)}.${n}@example.org`;
        const resource: Record<string, unknown> = {
            resourceType: 'Practitioner',
            id,
            meta: { lastUpdated: new Date(updated).toISOString() },
            active: !ceased,
            identifier: [{ system: 'http://hl7.it/sid/codiceFiscale', value: fc }],
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
        let orgRef = `Organization/org-${pad(orgIdx + 1, 3)}`;
        switch (kind) {
            case 'check-character': {
                const wrong = fc[15] === 'A' ? 'B' : 'A';
                (resource.identifier as Array<{ value: string }>)[0].value =
                    fc.slice(0, 15) + wrong;
                break;
            }
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
                if (lastValid) {
                    // same fiscal code as an earlier professional, updated earlier: it loses
                    (resource.identifier as Array<{ value: string }>)[0].value = lastValid.fc;
                    resource.meta = {
                        lastUpdated: new Date(lastValid.updated - 86_400_000).toISOString()
                    };
                    summary.duplicates++;
                }
                break;
            case 'partial-birthdate':
                resource.birthDate = `${year}-${String(month).padStart(2, '0')}`;
                break;
            case 'unknown-org':
                orgRef = 'Organization/org-999';
                break;
            case 'no-fiscal-code':
                resource.identifier = [{ system: 'urn:example:badge', value: `B${n}` }];
                break;
        }
        if (invalid) summary.invalid++;
        else {
            used.add(fc);
            summary.expectedValid++;
            if (!ceased) summary.expectedActive++;
            else summary.ceased++;
            lastValid = { fc, updated };
        }
        if (kind !== 'check-character' && kind !== 'duplicate' && kind !== 'no-fiscal-code')
            used.add(fc);
        summary.practitioners++;
        await pr.line(resource);
        if (consents) {
            for (const channel of CONSENT_CHANNELS) {
                for (const purpose of CONSENT_PURPOSES) {
                    const permit = rc() < (purpose === 'sondaggi' ? 0.6 : 0.85);
                    const revoked = rc() < 0.03;
                    const captured = updated - Math.floor(rc() * 200) * 86_400_000;
                    await consents.line(
                        consentResource(`cons-${pad(++consentN, 9)}`, id, {
                            channel,
                            purpose,
                            permit,
                            active: !revoked,
                            captured,
                            updated
                        })
                    );
                    summary.consents = (summary.consents ?? 0) + 1;
                    if (!invalid && permit && !revoked)
                        summary.consentOptIns = (summary.consentOptIns ?? 0) + 1;
                }
            }
        }
        // a few have an older, ended role at another organisation
        if (r() < 0.05) {
            await roles.line(
                roleResource(
                    `role-${pad(++roleN)}`,
                    id,
                    `Organization/org-${pad(((orgIdx + 3) % ORGANIZATIONS.length) + 1, 3)}`,
                    roleCode,
                    cats[0],
                    false,
                    '2015-01-01',
                    updated
                )
            );
        }
        await roles.line(
            roleResource(
                `role-${pad(++roleN)}`,
                id,
                orgRef,
                roleCode,
                pick(r, cats),
                true,
                '2020-01-01',
                updated
            )
        );
    }
    await pr.close();
    await roles.close();
    await consents?.close();
    await writeFile(join(o.out, 'generator-summary.json'), JSON.stringify(summary, null, 2) + '\n');
    return summary;
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
    const out = new Out(tmp);
    const rl = createInterface({
        input: createReadStream(path, { encoding: 'utf8' }),
        crlfDelay: Infinity
    });
    for await (const line of rl) {
        if (!line.trim()) continue;
        const next = fn(JSON.parse(line));
        if (next) await out.line(next);
    }
    for (const e of extra) await out.line(e);
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
