import { createElement } from 'lwc';
import FseConsentPreferences from 'c/fseConsentPreferences';
import getPreferences from '@salesforce/apex/FseConsentController.getPreferences';
import savePreference from '@salesforce/apex/FseConsentController.savePreference';

const mockPreferences = require('./data/getPreferences.json');

jest.mock('@salesforce/apex/FseConsentController.getPreferences', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/FseConsentController.savePreference', () => ({ default: jest.fn() }), {
    virtual: true
});

jest.mock('@salesforce/label/c.FSE_Consent_LastChange', () => ({ default: 'Ultima modifica:' }), {
    virtual: true
});

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render() {
    const element = createElement('c-fse-consent-preferences', { is: FseConsentPreferences });
    document.body.appendChild(element);
    await flush();
    return element;
}
function toggle(element, key, checked) {
    const input = $(element, `[data-key="${key}"]`);
    input.checked = checked;
    input.dispatchEvent(new CustomEvent('change'));
}

describe('c-fse-consent-preferences', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading while the preferences are read', async () => {
        getPreferences.mockReturnValue(new Promise(() => {}));
        const element = await render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('renders one labelled switch per purpose and channel', async () => {
        getPreferences.mockResolvedValue(mockPreferences);
        const element = await render();
        const toggles = $$(element, '.fse-toggle');
        expect(toggles.length).toBe(3);
        expect(toggles[0].checked).toBe(true);
        expect(toggles[1].checked).toBe(false);
        expect(toggles[0].label).toBe('c.FSE_Consent_Toggle');
        // a purpose that cannot be opted out of is locked once given
        expect(toggles[2].disabled).toBe(true);
        expect($$(element, '.fse-locked')[1].textContent).toBe('c.FSE_Consent_Required');
        await expect(element).toBeAccessible();
    });

    it('shows empty and error states', async () => {
        getPreferences.mockResolvedValue([]);
        const empty = await render();
        expect($(empty, 'c-fse-state-panel').state).toBe('empty');
        getPreferences.mockRejectedValue({ body: { message: 'Errore' } });
        const failing = await render();
        expect($(failing, 'c-fse-state-panel').state).toBe('error');
        await expect(failing).toBeAccessible();
    });

    it('saves an opt-in for the purpose and channel and shows the capture date', async () => {
        getPreferences.mockResolvedValue(mockPreferences);
        savePreference.mockResolvedValue('2025-11-05T10:00:00.000Z');
        const element = await render();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        toggle(element, '0ZW000000000001AAA:0eB000000000002AAA', true);
        await flush();
        expect(savePreference).toHaveBeenCalledWith({
            purposeId: '0ZW000000000001AAA',
            channelId: '0eB000000000002AAA',
            optIn: true
        });
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
        const cell = $(element, '[data-key="0ZW000000000001AAA:0eB000000000002AAA"]').parentElement;
        expect(cell.textContent).toContain('c.FSE_Consent_SourcePortal');
    });

    it('saves an opt-out and puts the switch back if the server refuses', async () => {
        getPreferences.mockResolvedValue(mockPreferences);
        savePreference.mockRejectedValue({ body: { message: 'Non è possibile revocare' } });
        const element = await render();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        toggle(element, '0ZW000000000001AAA:0eB000000000001AAA', false);
        await flush();
        expect(savePreference).toHaveBeenCalledWith({
            purposeId: '0ZW000000000001AAA',
            channelId: '0eB000000000001AAA',
            optIn: false
        });
        expect(toast.mock.calls[0][0].detail.message).toBe('Non è possibile revocare');
        expect($(element, '[data-key="0ZW000000000001AAA:0eB000000000001AAA"]').checked).toBe(true);
    });

    it('shows the last change as words with spaces and an Italian date', async () => {
        getPreferences.mockResolvedValue(mockPreferences);
        const element = await render();
        expect($(element, '.fse-last-change').textContent).toBe(
            'Ultima modifica: 1 ott 2025 · Anagrafe regionale'
        );
    });

    it('keeps the switch enabled while it is saved, so the keyboard focus stays on it', async () => {
        getPreferences.mockResolvedValue(mockPreferences);
        let resolveSave;
        savePreference.mockReturnValue(new Promise((resolve) => (resolveSave = resolve)));
        const element = await render();
        const key = '0ZW000000000001AAA:0eB000000000002AAA';
        toggle(element, key, true);
        await flush();
        expect($(element, `[data-key="${key}"]`).disabled).toBe(false);
        // a second switch changed meanwhile is put back, not sent
        toggle(element, '0ZW000000000001AAA:0eB000000000001AAA', false);
        expect($(element, '[data-key="0ZW000000000001AAA:0eB000000000001AAA"]').checked).toBe(true);
        expect(savePreference).toHaveBeenCalledTimes(1);
        resolveSave('2025-11-05T10:00:00.000Z');
        await flush();
        expect($(element, `[data-key="${key}"]`).disabled).toBe(false);
    });
});
