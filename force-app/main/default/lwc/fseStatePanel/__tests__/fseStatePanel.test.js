import { createElement } from 'lwc';
import FseStatePanel from 'c/fseStatePanel';

function render(props) {
    const element = createElement('c-fse-state-panel', { is: FseStatePanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

describe('c-fse-state-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('announces loading with a spinner and a status region', async () => {
        const element = render({ state: 'loading' });
        const spinner = element.shadowRoot.querySelector('lightning-spinner');
        expect(spinner.alternativeText).toBe('c.FSE_Common_Loading');
        expect(element.shadowRoot.querySelector('[role="status"]')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the server message in an alert and fires retry', async () => {
        const element = render({
            state: 'error',
            error: { body: { message: 'Servizio non disponibile' } },
            retryable: true
        });
        const alert = element.shadowRoot.querySelector('[role="alert"]');
        expect(alert.textContent).toContain('Servizio non disponibile');
        const handler = jest.fn();
        element.addEventListener('retry', handler);
        element.shadowRoot.querySelector('lightning-button').click();
        expect(handler).toHaveBeenCalledTimes(1);
        await expect(element).toBeAccessible();
    });

    it('never shows a raw server exception: the generic Italian text instead', () => {
        // an unhandled Apex exception (type and stack trace) and a JavaScript error
        const element = render({
            state: 'error',
            error: [
                {
                    status: 500,
                    body: {
                        message: 'List has no rows for assignment to SObject',
                        exceptionType: 'System.QueryException',
                        stackTrace: 'Class.FseCatalogService.getCatalog: line 42, column 1'
                    }
                },
                new TypeError("Cannot read properties of undefined (reading 'items')")
            ]
        });
        const text = element.shadowRoot.querySelector('.fse-message').textContent;
        expect(text).toBe('c.FSE_Common_Error');
        expect(text).not.toContain('List has no rows');
    });

    it('never shows DML or UI API platform messages', () => {
        const element = render({
            state: 'error',
            error: {
                body: {
                    message: 'Insert failed',
                    pageErrors: [{ message: 'INSUFFICIENT_ACCESS_OR_READONLY' }]
                }
            }
        });
        expect(element.shadowRoot.querySelector('.fse-message').textContent).toBe(
            'c.FSE_Common_Error'
        );
    });

    it('falls back to the generic error label when the error has no message', () => {
        const element = render({ state: 'error', error: {} });
        expect(element.shadowRoot.querySelector('.fse-message').textContent).toBe(
            'c.FSE_Common_Error'
        );
        expect(element.shadowRoot.querySelector('lightning-button')).toBeNull();
    });

    it('shows the empty message given, or the generic one', async () => {
        const element = render({ state: 'empty', emptyMessage: 'Nessun corso trovato' });
        expect(element.shadowRoot.querySelector('.fse-message').textContent).toBe(
            'Nessun corso trovato'
        );
        element.emptyMessage = undefined;
        await Promise.resolve();
        expect(element.shadowRoot.querySelector('.fse-message').textContent).toBe(
            'c.FSE_Common_Empty'
        );
        await expect(element).toBeAccessible();
    });

    it('renders nothing for data state', () => {
        const element = render({ state: 'data' });
        expect(element.shadowRoot.childNodes.length).toBe(0);
    });
});
