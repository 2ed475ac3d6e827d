import fc from 'fast-check';
import {
    indexOfIdName,
    indexOfLastUpdated,
    indexOfPractitionerName,
    namedIds,
    roleUnneeded,
    rolePractitionerOfText,
    unchangedSince
} from '../../../src/entities/professionals/prefilter.ts';

describe('incremental pre-filter of raw Practitioner lines (unchangedSince)', () => {
    const since = '2025-06-01T00:00:00.000Z';
    const line = (lu: string, id = 'p1') =>
        `{"resourceType":"Practitioner","id":"${id}","meta":{"lastUpdated":"${lu}"},"active":true}`;
    it('skips only lines certainly at or before the watermark', () => {
        const skip = unchangedSince(since, new Set());
        expect(skip(line('2025-05-31T23:59:59.000Z'))).toBe(true);
        expect(skip(line(since))).toBe(true);
        expect(skip(line('2025-06-01T00:00:00.001Z'))).toBe(false);
        // other date forms are normalised as the engine does
        expect(skip(line('2025-06-01T02:00:00+02:00'))).toBe(true);
        expect(skip(line('2025-06-01T02:00:01+02:00'))).toBe(false);
    });
    it('parses anything unusual', () => {
        const skip = unchangedSince(since, new Set());
        expect(skip('{"id":"p1","active":true}')).toBe(false); // no lastUpdated
        expect(
            skip(line('2025-01-01T00:00:00.000Z').replace('"lastUpdated":', '"lastUpdated" :'))
        ).toBe(false);
        expect(
            skip(line('2025-01-01T00:00:00.000Z').replace('"active"', '"x":"\\u0041","active"'))
        ).toBe(false);
        const twice = line('2025-01-01T00:00:00.000Z').replace(
            '"active":true',
            '"extension":[{"lastUpdated":"2025-01-01T00:00:00.000Z"}]'
        );
        expect(skip(twice)).toBe(false);
    });
    it('parses a practitioner whose role changed', () => {
        const skip = unchangedSince(since, new Set(['p2']));
        expect(skip(line('2025-01-01T00:00:00.000Z', 'p1'))).toBe(true);
        expect(skip(line('2025-01-01T00:00:00.000Z', 'p2'))).toBe(false);
        expect(skip(line('2025-01-01T00:00:00.000Z').replace('"id":', '"id" :'))).toBe(false);
    });
});

describe('incremental pre-filter of raw PractitionerRole lines (roleUnneeded)', () => {
    const since = '2025-06-01T00:00:00.000Z';
    const old = '2025-01-01T00:00:00.000Z';
    const role = (lu: string, practitioner = 'p1') =>
        JSON.stringify({
            resourceType: 'PractitionerRole',
            id: 'r1',
            meta: { lastUpdated: lu },
            active: true,
            period: { start: '2020-01-01' },
            practitioner: { reference: `Practitioner/${practitioner}` },
            organization: { reference: 'Organization/o1' },
            code: [{ coding: [{ system: 'urn:fse2:ruolo', code: 'MMG' }] }]
        });
    const skip = roleUnneeded(since, new Set(['p2']));
    it('skips only old roles of practitioners the run does not process', () => {
        expect(rolePractitionerOfText(role(old, 'p1'))).toBe('p1');
        expect(skip(role(old, 'p1'))).toBe(true);
        expect(skip(role(since, 'p1'))).toBe(true);
        // changed itself, or of a practitioner the run processes: parsed
        expect(skip(role('2025-06-01T00:00:00.001Z', 'p1'))).toBe(false);
        expect(skip(role('2025-06-01T02:00:01+02:00', 'p1'))).toBe(false);
        expect(skip(role(old, 'p2'))).toBe(false);
        // an id that is a prefix/extension of a needed one is another practitioner
        expect(skip(role(old, 'p22'))).toBe(true);
        expect(roleUnneeded(since, new Set(['p22']))(role(old, 'p2'))).toBe(true);
    });
    it('parses every tricky line', () => {
        const line = role(old, 'p1');
        const tricky = [
            // spacing, escapes, key order the test does not know
            line.replace('"practitioner":{', '"practitioner": {'),
            line.replace('{"reference":"Practitioner/p1"}', '{ "reference":"Practitioner/p1"}'),
            line.replace('"Practitioner/p1"', '"Practitioner\\/p1"'),
            line.replace('"Practitioner/p1"', '"Practitioner/\\u0070\\u0032"'), // p2 escaped
            line.replace('"lastUpdated":', '"lastUpdated" :'),
            line.replace(
                '{"reference":"Practitioner/p1"}',
                '{"reference":"Practitioner/p1","display":"x"}'
            ),
            line.replace(
                '{"reference":"Practitioner/p1"}',
                '{"display":"x","reference":"Practitioner/p2"}'
            ),
            // a second practitioner key (JSON.parse keeps the last one)
            line.replace('"active":true', '"practitioner":{"reference":"Practitioner/p2"}'),
            // a relative or absolute reference of another form
            line.replace('"Practitioner/p1"', '"https://x.example/Practitioner/p1"'),
            // no or several lastUpdated
            line.replace('"meta":{"lastUpdated":"2025-01-01T00:00:00.000Z"},', ''),
            line.replace('"active":true', '"lastUpdated":"2026-01-01T00:00:00.000Z"'),
            // no practitioner at all, or not JSON
            line.replace('"practitioner":{"reference":"Practitioner/p1"},', ''),
            '{"practitioner":{"reference":"Practitioner/p1"',
            '{"practitioner":{"reference":"Practitioner/p1"}'
        ];
        for (const t of tricky) expect([t, skip(t)]).toEqual([t, false]);
        // a line with an unparseable date has no usable date: treated as changed, parsed
        expect(skip(line.replace(old, 'not a date'))).toBe(false);
        // spacing elsewhere does not matter, nor another old date form
        expect(skip(line.replace(old, '2025-01-01T00:00:00Z').replace('"meta":', '"meta" :'))).toBe(
            true
        );
    });
});

describe('indexOfIdName, indexOfLastUpdated, indexOfPractitionerName (the pre-scan searches, issue 22)', () => {
    // text made of the pieces that matter: quotes, the parts of the names searched for, colons,
    // backslashes, accents as UTF-8 bytes read one character a byte, and plain letters
    const piece = fc.constantFrom(
        ...['"', 'i', 'd', 'id', 'id"', '"id"', ':', ':"', 'x', '\\', '\u00c3\u00a8', '}'],
        ...[
            '"last',
            'last',
            'Updated"',
            'Updated',
            '"lastUpdated"',
            '"lastUpdated',
            'lastUpdated"'
        ],
        ...['"pr', 'pr', 'actitioner"', '"practitioner"', 'practitioner"', '"practitioner', 'P']
    );
    const textArb = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    const searches: [string, (text: string, from: number) => number][] = [
        ['"id"', indexOfIdName],
        ['"lastUpdated"', indexOfLastUpdated],
        ['"practitioner"', indexOfPractitionerName]
    ];
    it.each(searches)(
        'finds exactly what indexOf(%s, from) finds, from any position',
        (name, search) => {
            fc.assert(
                fc.property(textArb, fc.integer({ min: -3, max: 300 }), (text, from) => {
                    expect(search(text, from)).toBe(text.indexOf(name, from));
                }),
                { numRuns: 20_000 }
            );
            // and on the generator's lines
            const line =
                '{"resourceType":"PractitionerRole","id":"role-1","meta":{"lastUpdated":"2025-08-05T10:13:08.000Z"},"practitioner":{"reference":"Practitioner/prac-1"}}';
            for (let from = -1; from <= line.length + 1; from++)
                expect(search(line, from)).toBe(line.indexOf(name, from));
        }
    );
    it('namedIds gives the values of every plain "id", undefined when one is not plain', () => {
        // the oracle: namedIds as written before issue 22's change, with indexOf
        const before = (text: string): string[] | undefined => {
            const out: string[] = [];
            for (let i = text.indexOf('"id"'); i >= 0; i = text.indexOf('"id"', i + 4)) {
                const m = /^"id":"([^"]*)"/.exec(text.slice(i));
                if (!m || /[^\x00-\x7f]/.test(m[1])) return undefined;
                out.push(m[1]);
            }
            return out;
        };
        fc.assert(
            fc.property(textArb, (text) => expect(namedIds(text)).toEqual(before(text))),
            { numRuns: 20_000 }
        );
        expect(namedIds('{"id":"p1","x":{"id":"p2"},"valid":"idx"}')).toEqual(['p1', 'p2']);
        // a value that reads "id" is an "id" in another form: the line is parsed
        expect(namedIds('{"id":"p1","k":"id"}')).toBeUndefined();
        expect(namedIds('{"id":"p1","x":{"id": "p2"}}')).toBeUndefined();
    });
});
