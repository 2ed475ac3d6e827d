import { reduceErrors } from 'c/fseErrorUtils';

describe('c-fse-error-utils reduceErrors', () => {
    it('returns no message for no error', () => {
        expect(reduceErrors(undefined)).toEqual([]);
        expect(reduceErrors(null)).toEqual([]);
    });

    it('reads Apex AuraHandledException bodies', () => {
        expect(reduceErrors({ body: { message: 'Iscrizione chiusa' } })).toEqual([
            'Iscrizione chiusa'
        ]);
    });

    it('reads UI API error arrays and DML page and field errors', () => {
        expect(reduceErrors({ body: [{ message: 'a' }, { message: 'b' }] })).toEqual(['a', 'b']);
        expect(reduceErrors({ body: { pageErrors: [{ message: 'page' }] } })).toEqual(['page']);
        expect(reduceErrors({ body: { fieldErrors: { Email: [{ message: 'email' }] } } })).toEqual([
            'email'
        ]);
    });

    it('reads JS errors, strings and lists of mixed errors', () => {
        expect(reduceErrors([new Error('boom'), 'testo', { statusText: 'Not Found' }])).toEqual([
            'boom',
            'testo',
            'Not Found'
        ]);
    });
});
