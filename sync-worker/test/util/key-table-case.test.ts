// Keys that differ only in case share a slot when the table compares without case (the org's
// matching of a Unique, case-insensitive external id), and the slot keeps the first spelling.
import fc from 'fast-check';
import { KeyTable } from '../../src/util/key-table.ts';

describe('KeyTable without case', () => {
    it('"Course-1" and "course-1" are one key; the first spelling is kept', () => {
        const keys = new KeyTable(16, { caseInsensitive: true });
        const a = keys.add('Course-1');
        expect(keys.add('course-1')).toBe(a);
        expect(keys.get('COURSE-1')).toBe(a);
        expect(keys.key(a)).toBe('Course-1');
        expect(keys.add('Course-2')).not.toBe(a);
        expect(keys.get('città')).toBe(-1);
        expect(keys.add('CITTÀ')).toBe(keys.add('città'));
    });
    it('with case, they are two keys', () => {
        const keys = new KeyTable(16);
        expect(keys.add('Course-1')).not.toBe(keys.add('course-1'));
    });
    it('stays right past growth and rehash', () => {
        const keys = new KeyTable(16, { caseInsensitive: true });
        for (let i = 0; i < 5000; i++) keys.add(`Key-${i}`);
        for (let i = 0; i < 5000; i += 97) expect(keys.get(`KEY-${i}`)).toBe(i);
        expect(keys.size).toBe(5000);
    });
});

describe('KeyTable against a Map (any keys, with and without case)', () => {
    it('gives the slot a Map keyed by the (lower-cased) key would give, and the first spelling', () => {
        const key = fc.oneof(
            fc.string({ maxLength: 6 }),
            fc
                .array(fc.constantFrom('a', 'B', 'è', 'À', 'K', 'k', 'İ', 'i', '€', '𝒜', '1'), {
                    maxLength: 5
                })
                .map((cs) => cs.join(''))
        );
        fc.assert(
            fc.property(fc.array(key, { maxLength: 60 }), fc.boolean(), (keys, caseless) => {
                const table = new KeyTable(4, { caseInsensitive: caseless });
                const ref = new Map<string, { slot: number; first: string }>();
                const fold = (k: string) => (caseless ? k.toLowerCase() : k);
                for (const k of keys) {
                    const known = ref.get(fold(k));
                    expect(table.get(k)).toBe(known ? known.slot : -1);
                    const slot = table.add(k);
                    if (!known) ref.set(fold(k), { slot: ref.size, first: k });
                    expect(slot).toBe(ref.get(fold(k))!.slot);
                    expect(table.key(slot)).toBe(ref.get(fold(k))!.first);
                }
                expect(table.size).toBe(ref.size);
            }),
            { numRuns: 2000 }
        );
    });
});
