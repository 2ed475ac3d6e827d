// Issue 22, part 5: the org index tests a SyncHash__c for 64 lowercase hex digits without a
// RegExp (isHex64) and compares a stored hash with hashIs in place, without making its hex text.
// The oracle is the earlier code, kept below: /^[0-9a-f]{64}$/ and hashIs comparing
// `hashes.toString('hex', …)` with the hash.
import fc from 'fast-check';
import { OrgIndex, isHex64 } from '../../src/pipeline/org-index.ts';

const HEX64 = /^[0-9a-f]{64}$/;

/** The earlier OrgIndex.hashIs, over the index's own columns. */
function oracleHashIs(index: OrgIndex, key: string, hash: string): boolean {
    const i = index as unknown as {
        keys: { get(key: string): number };
        present: Uint8Array;
        hashMode: Uint8Array;
        hashes: Buffer;
        otherHash: Map<number, string>;
    };
    const s = i.keys.get(key);
    const slot = s >= 0 && s < i.present.length && i.present[s] === 1 ? s : -1;
    if (slot < 0) return false;
    switch (i.hashMode[slot]) {
        case 1:
            return (
                hash.length === 64 && i.hashes.toString('hex', slot * 32, slot * 32 + 32) === hash
            );
        case 2:
            return i.otherHash.get(slot) === hash;
        default:
            return hash === '';
    }
}

const hexArb = fc.string({
    unit: fc.constantFrom(...'0123456789abcdef'),
    minLength: 64,
    maxLength: 64
});

/** A hash as the org may hold it: mostly 64 hex digits, some with one character changed (to an
 *  uppercase digit, a neighbour of the ranges, a multi-byte character), other lengths, other text. */
const hashArb = fc.oneof(
    { weight: 4, arbitrary: hexArb },
    {
        weight: 4,
        arbitrary: fc
            .tuple(hexArb, fc.nat(63), fc.constantFrom(...'/:`gA F\u0130\u0660é\n', '0\u0000'))
            .map(([h, at, c]) => h.slice(0, at) + c + h.slice(at + 1))
    },
    { weight: 1, arbitrary: hexArb.map((h) => h + '\n') },
    { weight: 1, arbitrary: hexArb.map((h) => h.slice(1)) },
    { weight: 1, arbitrary: hexArb.map((h) => h + '0') },
    { weight: 1, arbitrary: fc.constantFrom('', 'deactivated', 'x') },
    { weight: 1, arbitrary: fc.string({ maxLength: 70 }) }
);

describe('org index hash checks without RegExp or hex strings (issue 22, part 5)', () => {
    it('isHex64 answers as /^[0-9a-f]{64}$/', () => {
        let yes = 0;
        let no = 0;
        fc.assert(
            fc.property(hashArb, (hash) => {
                const expected = HEX64.test(hash);
                expect(isHex64(hash)).toBe(expected);
                if (expected) yes++;
                else no++;
            }),
            { numRuns: 20000 }
        );
        expect(yes).toBeGreaterThan(3000);
        expect(no).toBeGreaterThan(3000);
        // every single character code at every position
        const base = 'a'.repeat(64);
        for (let at = 0; at < 64; at += 21)
            for (let c = 0; c < 0x10000; c++) {
                const h = base.slice(0, at) + String.fromCharCode(c) + base.slice(at + 1);
                if (isHex64(h) !== HEX64.test(h)) throw new Error(`differs at ${at} for ${c}`);
            }
    });

    it('hashIs answers as the earlier hashIs, for stored and asked hashes alike', () => {
        let equal = 0;
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E'), hashArb), {
                    maxLength: 12
                }),
                fc.array(
                    fc.tuple(
                        fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
                        hashArb,
                        fc.constantFrom('any', 'stored', 'near'),
                        fc.nat(63),
                        fc.constantFrom(...'0af9gA')
                    ),
                    { maxLength: 12 }
                ),
                (puts, asks) => {
                    const index = new OrgIndex();
                    puts.forEach(([key, hash], i) =>
                        index.put(key, {
                            id: `003Hp0000000${i}`.padEnd(18, 'A'),
                            hash,
                            status: 'Active'
                        })
                    );
                    for (const [key, hash, how, at, c] of asks) {
                        // the hash last stored for the key, or it with one character changed
                        const put = puts.findLast(([k]) => k === key);
                        let asked = hash;
                        if (how !== 'any' && put) asked = put[1];
                        if (how === 'near' && put)
                            asked = asked.slice(0, at) + c + asked.slice(at + 1);
                        const expected = oracleHashIs(index, key, asked);
                        expect(index.hashIs(key, asked)).toBe(expected);
                        if (expected) equal++;
                    }
                }
            ),
            { numRuns: 1500 }
        );
        expect(equal).toBeGreaterThan(600);
    });
});
