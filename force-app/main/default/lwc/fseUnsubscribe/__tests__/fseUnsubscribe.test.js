import { createElement } from 'lwc';
import FseUnsubscribe from 'c/fseUnsubscribe';
import checkToken from '@salesforce/apex/FseUnsubscribeController.checkToken';
import unsubscribe from '@salesforce/apex/FseUnsubscribeController.unsubscribe';
import { CurrentPageReference } from 'lightning/navigation';

const mockStatus = require('./data/checkToken.json');

jest.mock('@salesforce/apex/FseUnsubscribeController.checkToken', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/FseUnsubscribeController.unsubscribe', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.FSE_Unsubscribe_Question',
    () => ({ default: 'Non vuoi più ricevere comunicazioni di {0} via {1}?' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.FSE_Unsubscribe_Done',
    () => ({ default: 'Fatto: niente più comunicazioni di {0} via {1}.' }),
    { virtual: true }
);

jest.mock(
    '@salesforce/label/c.FSE_Unsubscribe_NotAllowed',
    () => ({ default: 'Le comunicazioni di {0} non prevedono la disiscrizione.' }),
    { virtual: true }
);

const TOKEN = 'dGVzdC10b2tlbi0wMDctQWJDZEVmR2hJaktsTW5PcFFyU3RVdg';
const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function render(state = { t: TOKEN }) {
    const element = createElement('c-fse-unsubscribe', { is: FseUnsubscribe });
    document.body.appendChild(element);
    CurrentPageReference.emit({ type: 'comm__namedPage', state });
    await flush();
    return element;
}

describe('c-fse-unsubscribe', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading while the link is checked', async () => {
        checkToken.mockReturnValue(new Promise(() => {}));
        const element = await render();
        expect(checkToken).toHaveBeenCalledWith({ token: TOKEN });
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        expect($(element, '.fse-confirm')).toBeNull();
    });

    it('asks before opting out, with the purpose and channel of the message', async () => {
        checkToken.mockResolvedValue(mockStatus);
        const element = await render();
        expect($(element, '.fse-question').textContent).toBe(
            'Non vuoi più ricevere comunicazioni di Formazione via E-mail?'
        );
        // opening the link changes nothing (mail scanners follow links)
        expect(unsubscribe).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('opts out on confirmation and moves focus to the outcome', async () => {
        checkToken.mockResolvedValue(mockStatus);
        unsubscribe.mockResolvedValue({ ...mockStatus, state: 'done' });
        const element = await render();
        $(element, '.fse-confirm').click();
        await flush();
        expect(unsubscribe).toHaveBeenCalledWith({ token: TOKEN });
        const done = $(element, '.fse-done');
        expect(done.textContent).toBe('Fatto: niente più comunicazioni di Formazione via E-mail.');
        expect(done.getAttribute('role')).toBe('status');
        expect(element.shadowRoot.activeElement).toBe(done);
        expect($(element, '.fse-confirm')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('a link already used says it is done, without asking again', async () => {
        checkToken.mockResolvedValue({ ...mockStatus, state: 'done' });
        const element = await render();
        expect($(element, '.fse-done')).not.toBeNull();
        expect($(element, '.fse-confirm')).toBeNull();
    });

    it('an expired link points to the consent preferences', async () => {
        checkToken.mockResolvedValue({ state: 'expired' });
        const element = await render();
        expect($(element, '.fse-expired').textContent).toBe('c.FSE_Unsubscribe_Expired');
        expect($(element, '.fse-preferences').textContent).toBe('c.FSE_Unsubscribe_Preferences');
        await expect(element).toBeAccessible();
    });

    it('a purpose that cannot be opted out of says so, without a button', async () => {
        checkToken.mockResolvedValue({ ...mockStatus, state: 'notAllowed' });
        const element = await render();
        expect($(element, '.fse-not-allowed').textContent).toBe(
            'Le comunicazioni di Formazione non prevedono la disiscrizione.'
        );
        expect($(element, '.fse-confirm')).toBeNull();
        expect($(element, '.fse-preferences')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('a confirmation the server refuses as not allowed shows that outcome, focused', async () => {
        checkToken.mockResolvedValue(mockStatus);
        unsubscribe.mockResolvedValue({ ...mockStatus, state: 'notAllowed' });
        const element = await render();
        $(element, '.fse-confirm').click();
        await flush();
        const outcome = $(element, '.fse-not-allowed');
        expect(outcome).not.toBeNull();
        expect(element.shadowRoot.activeElement).toBe(outcome);
        expect($(element, '.fse-confirm')).toBeNull();
    });

    it('an opt-out the server could not write says so and lets the professional retry', async () => {
        checkToken.mockResolvedValue(mockStatus);
        unsubscribe
            .mockResolvedValueOnce({ ...mockStatus, state: 'error' })
            .mockResolvedValueOnce({ ...mockStatus, state: 'done' });
        const element = await render();
        $(element, '.fse-confirm').click();
        await flush();
        const failed = $(element, '.fse-failed');
        expect(failed.textContent).toBe('c.FSE_Unsubscribe_Error');
        expect(failed.getAttribute('role')).toBe('alert');
        expect(element.shadowRoot.activeElement).toBe(failed);
        expect($(element, '.fse-done')).toBeNull();
        await expect(element).toBeAccessible();
        $(element, '.fse-confirm').click();
        await flush();
        expect(unsubscribe).toHaveBeenCalledTimes(2);
        expect($(element, '.fse-done')).not.toBeNull();
        expect($(element, '.fse-failed')).toBeNull();
    });

    it('a page without a token is an invalid link (the server is not asked)', async () => {
        const element = await render({});
        expect(checkToken).not.toHaveBeenCalled();
        expect($(element, '.fse-invalid').textContent).toBe('c.FSE_Unsubscribe_Invalid');
    });

    it('shows the error state and retries', async () => {
        checkToken.mockRejectedValueOnce({ body: { message: 'boom' } });
        const element = await render();
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('error');
        expect($(element, '.fse-confirm')).toBeNull();
        checkToken.mockResolvedValue(mockStatus);
        panel.dispatchEvent(new CustomEvent('retry'));
        await flush();
        expect($(element, '.fse-confirm')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('a failed opt-out shows the error, not a false confirmation', async () => {
        checkToken.mockResolvedValue(mockStatus);
        unsubscribe.mockRejectedValue({ body: { message: 'boom' } });
        const element = await render();
        $(element, '.fse-confirm').click();
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
        expect($(element, '.fse-done')).toBeNull();
    });
});
