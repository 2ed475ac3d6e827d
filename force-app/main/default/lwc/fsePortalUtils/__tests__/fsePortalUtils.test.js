import { format, ACTIVE_ENROLMENT } from 'c/fsePortalUtils';

describe('c/fsePortalUtils', () => {
    it('fills numbered placeholders, repeated ones included', () => {
        expect(format('Pagina {0} di {1}', 2, 5)).toBe('Pagina 2 di 5');
        expect(format('{0} e {0}', 'a')).toBe('a e a');
    });
    it('tolerates missing templates and values', () => {
        expect(format(undefined, 1)).toBe('');
        expect(format('Posti: {0}', undefined)).toBe('Posti: ');
    });
    it('treats enrolled and in-progress as active', () => {
        expect(ACTIVE_ENROLMENT).toEqual(['Enrolled', 'InProgress']);
    });
});
