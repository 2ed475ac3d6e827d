import { KeyTable } from '../../src/util/key-table.ts';

describe('KeyTable', () => {
    it('gives dense slots in insertion order, finds every key again after growing', () => {
        const t = new KeyTable(4);
        const keys = Array.from({ length: 5000 }, (_, i) => `K${i * 7919}`);
        keys.forEach((k, i) => expect(t.add(k)).toBe(i));
        expect(t.size).toBe(5000);
        expect(t.add('K0')).toBe(0);
        expect(t.size).toBe(5000);
        keys.forEach((k, i) => expect(t.get(k)).toBe(i));
        expect(t.get('missing')).toBe(-1);
        expect(t.has('K7919')).toBe(true);
        expect(t.key(3)).toBe(keys[3]);
        expect([...t.keys()].slice(0, 2)).toEqual(keys.slice(0, 2));
    });

    it('keeps non-ASCII keys and keys that differ only in length', () => {
        const t = new KeyTable();
        t.add('Noè');
        t.add('No');
        t.add('');
        expect(t.get('Noè')).toBe(0);
        expect(t.get('No')).toBe(1);
        expect(t.get('')).toBe(2);
        expect(t.key(0)).toBe('Noè');
    });
});
