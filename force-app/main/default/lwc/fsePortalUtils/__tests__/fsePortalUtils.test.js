import { format, ACTIVE_ENROLMENT, numericAnswers, questionRows } from 'c/fsePortalUtils';

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

describe('questionnaire helpers', () => {
    const questions = [
        { id: 'q1', text: 'Che cos’è il FSE?', options: ['A', 'B'] },
        { id: 'q2', text: 'Chi lo alimenta?', options: ['C', 'D', 'E'] }
    ];

    it('numbers the questions and offers option indexes as values', () => {
        const rows = questionRows(questions, { q2: '2' });
        expect(rows[0].label).toBe('1. Che cos’è il FSE?');
        expect(rows[0].value).toBeUndefined();
        expect(rows[1].value).toBe('2');
        expect(rows[1].options).toEqual([
            { label: 'C', value: '0' },
            { label: 'D', value: '1' },
            { label: 'E', value: '2' }
        ]);
    });

    it('returns numeric answers only when every question is answered', () => {
        expect(numericAnswers(questions, { q1: '1' })).toBeNull();
        expect(numericAnswers(questions, { q1: '1', q2: '0' })).toEqual({ q1: 1, q2: 0 });
    });
});
