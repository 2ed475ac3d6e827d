import { RoleTable } from '../../../src/entities/professionals/role-table.ts';

describe('RoleTable', () => {
    it('returns the stored role tuple, nulls and odd instants included', () => {
        const t = new RoleTable();
        const a = {
            active: true,
            start: '2020-01-01',
            orgCode: '030ASST701',
            role: 'INF',
            category: 'Infermiere',
            updated: '2025-03-01T10:00:00.000Z'
        };
        const b = {
            active: false,
            start: '',
            orgCode: '030ATS321',
            role: null,
            category: null,
            updated: ''
        };
        const c = { ...a, updated: 'yesterday' };
        t.set('prac-1', a);
        t.set('prac-2', b);
        t.set('prac-3', c);
        expect(t.get('prac-1')).toEqual(a);
        expect(t.get('prac-2')).toEqual(b);
        expect(t.get('prac-3')).toEqual(c);
        expect(t.get('prac-4')).toBeUndefined();
        t.set('prac-1', b);
        expect(t.get('prac-1')).toEqual(b);
        expect(t.size).toBe(3);
    });
});
