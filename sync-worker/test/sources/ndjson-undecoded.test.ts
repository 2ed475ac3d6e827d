// Incremental runs read NDJSON lines undecoded (latin1: one character a byte) and decode from
// UTF-8 only the lines the cheap text tests keep (issue 22: most lines of an incremental run are
// skipped, and decoding the accented names made every line a two-byte string). The resources a
// run gets must be exactly those of the earlier reading (decode every line, then test it), for
// any file: accented and invalid UTF-8, CR, blank lines, escapes, unusual forms. The reference
// below is the earlier NdjsonSource.read, kept as the oracle.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
    lastUpdatedOfText,
    namesNoneOf,
    rolePractitionerOfText,
    roleUnneeded,
    unchangedSince
} from '../../src/entities/professionals/prefilter.ts';
import { NdjsonSource } from '../../src/sources/ndjson.ts';
import { UnparseableResource } from '../../src/sources/types.ts';
import { lineBatches, utf8OfLatin1 } from '../../src/util/ndjson-file.ts';

const SINCE = '2025-06-01T00:00:00.000Z';

/** The earlier reading: every line decoded, then tested, then parsed. */
async function referenceRead(path: string, skip: (text: string) => boolean): Promise<unknown[]> {
    const out: unknown[] = [];
    let number = 1;
    for await (const lines of lineBatches(path)) {
        for (let i = 0; i < lines.length; i++) {
            const line = lines[i];
            if (!line.trim() || skip(line)) continue;
            try {
                out.push(JSON.parse(line));
            } catch {
                out.push(
                    new UnparseableResource(
                        'Practitioner',
                        `Practitioner.ndjson line ${number + i}`,
                        'line is not valid JSON'
                    )
                );
            }
        }
        number += lines.length;
    }
    return out;
}

const idArb = fc.constantFrom('p1', 'p2', 'pè', 'p\\"1', 'città-7', '');
const instantArb = fc.constantFrom(
    '2025-01-01T00:00:00.000Z',
    '2025-09-01T00:00:00.000Z',
    '2025-06-01T00:00:00.000Z',
    '2025-09-01T00:00:00+02:00',
    '2025-01-01T00:00:00.00éZ',
    'ieri',
    ''
);
const nameArb = fc.constantFrom('Rossi', 'Niccolò', 'Müller', 'Đặng', '😀', 'a\\u00e8');
/** Line pieces: JSON resources in the plain form and in others, junk, invalid UTF-8 bytes. */
const lineArb: fc.Arbitrary<Buffer> = fc.oneof(
    fc
        .record({ id: idArb, at: instantArb, name: nameArb, practitioner: idArb })
        .map(({ id, at, name, practitioner }) =>
            Buffer.from(
                `{"resourceType":"PractitionerRole","id":"${id}","meta":{"lastUpdated":"${at}"},` +
                    `"practitioner":{"reference":"Practitioner/${practitioner}"},"name":"${name}"}`
            )
        ),
    fc
        .record({ id: idArb, at: instantArb, name: nameArb })
        .map(({ id, at, name }) =>
            Buffer.from(
                `{"id": "${id}","meta":{"lastUpdated":"${at}"},"name":[{"family":"${name}"}]}`
            )
        ),
    fc
        .constantFrom(
            '',
            '   ',
            '\u00a0',
            'not json è',
            '{"id":"p1"}',
            '{"meta":{"lastUpdated":"2025-01-01T00:00:00.000Z"},"id":"p9"}'
        )
        .map((s) => Buffer.from(s)),
    fc
        .constantFrom([0xc3], [0xa9], [0xff, 0xfe], [0xe2, 0x82], [0xef, 0xbb, 0xbf])
        .map((b) => Buffer.from(b))
);
const fileArb = fc
    .array(
        fc.tuple(
            fc.array(lineArb, { minLength: 1, maxLength: 3 }),
            fc.constantFrom('\n', '\r\n', '\r')
        ),
        {
            maxLength: 30
        }
    )
    .map((lines) => Buffer.concat(lines.flatMap(([parts, end]) => [...parts, Buffer.from(end)])));

const tests: Array<[string, (text: string) => boolean]> = [
    ['unchangedSince', unchangedSince(SINCE, new Set())],
    ['unchangedSince with role changes', unchangedSince(SINCE, new Set(['p2', 'pè']))],
    ['roleUnneeded', roleUnneeded(SINCE, new Set(['p1', 'città-7']))],
    ['namesNoneOf', namesNoneOf(new Set(['p1', 'pè']))]
];

describe('ndjson lines read undecoded', () => {
    it.each(tests)(
        'gives the resources of the earlier reading with %s, on any bytes',
        async (_name, skip) => {
            const dir = await mkdtemp(join(tmpdir(), 'ndjson-undecoded-'));
            const path = join(dir, 'Practitioner.ndjson');
            await fc.assert(
                fc.asyncProperty(fileArb, async (bytes) => {
                    await writeFile(path, bytes);
                    const got: unknown[] = [];
                    for await (const r of new NdjsonSource(dir).read('Practitioner', {
                        skipRaw: skip
                    }))
                        got.push(r);
                    expect(got).toEqual(await referenceRead(path, skip));
                }),
                { numRuns: 300 }
            );
        }
    );

    it('the text tests answer the same on the bytes and on the decoded line', () => {
        fc.assert(
            fc.property(fc.array(lineArb, { minLength: 1, maxLength: 3 }), (parts) => {
                const bytes = Buffer.concat(parts);
                const decoded = bytes.toString('utf8');
                const undecoded = bytes.toString('latin1');
                expect(utf8OfLatin1(undecoded)).toBe(decoded);
                expect(lastUpdatedOfText(undecoded)).toBe(lastUpdatedOfText(decoded));
                expect(rolePractitionerOfText(undecoded)).toBe(rolePractitionerOfText(decoded));
                for (const [, skip] of tests) expect(skip(undecoded)).toBe(skip(decoded));
            }),
            { numRuns: 3000 }
        );
    });

    it('still skips the plain unchanged lines, accented names and all', () => {
        const line =
            '{"resourceType":"PractitionerRole","id":"r1","meta":{"lastUpdated":"2025-01-01T00:00:00.000Z"},' +
            '"practitioner":{"reference":"Practitioner/p7"},"name":"Niccolò"}';
        const undecoded = Buffer.from(line).toString('latin1');
        expect(unchangedSince(SINCE, new Set())(undecoded)).toBe(true);
        expect(roleUnneeded(SINCE, new Set(['p1']))(undecoded)).toBe(true);
        expect(roleUnneeded(SINCE, new Set(['p7']))(undecoded)).toBe(false);
        // a non-ASCII value is unusual: parsed, never skipped on a guess
        expect(rolePractitionerOfText(undecoded.replace('p7', 'pè'))).toBeUndefined();
    });
});
