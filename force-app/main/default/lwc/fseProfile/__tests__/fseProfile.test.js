import { createElement } from 'lwc';
import FseProfile from 'c/fseProfile';
import getProfile from '@salesforce/apex/FsePortalProfileController.getProfile';
import updateContactDetails from '@salesforce/apex/FsePortalProfileController.updateContactDetails';
import { getNavigateCalledWith } from 'lightning/navigation';

const mockProfile = require('./data/getProfile.json');

jest.mock(
    '@salesforce/apex/FsePortalProfileController.getProfile',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/FsePortalProfileController.updateContactDetails',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
    virtual: true
});

function render() {
    const element = createElement('c-fse-profile', { is: FseProfile });
    document.body.appendChild(element);
    return element;
}
// Lets wires, Apex promises and re-renders settle (several microtask hops).
const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

describe('c-fse-profile', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state until the profile arrives', async () => {
        const element = render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        expect($(element, '.fse-name')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('renders registry data read-only and the learning summary', async () => {
        const element = render();
        getProfile.emit(mockProfile);
        await flush();
        expect($(element, '.fse-name').textContent).toBe('Prova Professionista 1');
        expect($(element, '.fse-role').textContent).toBe('MMG/PLS');
        expect($(element, '.fse-organisation').textContent).toBe('ASST di prova');
        expect($(element, '.fse-enrolled').textContent.trim()).toBe('4');
        expect($(element, '.fse-completed').textContent.trim()).toBe('2');
        expect($(element, 'lightning-formatted-number').value).toBe(7.5);
        // registry data is not editable: only phones and language are inputs
        const fields = [...element.shadowRoot.querySelectorAll('[data-field]')].map(
            (input) => input.dataset.field
        );
        expect(fields).toEqual(['phone', 'mobilePhone', 'language']);
        await expect(element).toBeAccessible();
    });

    it('shows the empty learning message when there are no enrolments', async () => {
        const element = render();
        getProfile.emit({ ...mockProfile, enrolledCount: 0, completedCount: 0, ecmCredits: 0 });
        await flush();
        const panels = element.shadowRoot.querySelectorAll('c-fse-state-panel');
        const empty = [...panels].find((panel) => panel.state === 'empty');
        expect(empty.emptyMessage).toBe('c.FSE_Profile_NoLearning');
        expect($(element, '.fse-summary')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the error state with the server message', async () => {
        const element = render();
        getProfile.error({ message: 'Utente non collegato' });
        await flush();
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('error');
        expect(panel.error).toBeTruthy();
        expect($(element, 'form')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('saves the edited phone and language with the right arguments and toasts', async () => {
        updateContactDetails.mockResolvedValue();
        const element = render();
        getProfile.emit(mockProfile);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        const mobile = $(element, '[data-field="mobilePhone"]');
        mobile.dispatchEvent(new CustomEvent('change', { detail: { value: '333 1234567' } }));
        const language = $(element, '[data-field="language"]');
        language.dispatchEvent(new CustomEvent('change', { detail: { value: 'en_US' } }));
        $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
        await flush();
        expect(updateContactDetails).toHaveBeenCalledWith({
            phone: '02 1234567',
            mobilePhone: '333 1234567',
            language: 'en_US'
        });
        expect(toast).toHaveBeenCalledTimes(1);
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('shows the server error in an error toast when saving fails', async () => {
        updateContactDetails.mockRejectedValue({ body: { message: 'Lingua non disponibile' } });
        const element = render();
        getProfile.emit(mockProfile);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'Lingua non disponibile'
        });
    });

    it('opens a support request when the registry data is wrong', async () => {
        const element = render();
        element.supportPageName = 'Assistenza__c';
        getProfile.emit(mockProfile);
        await flush();
        $(element, '.fse-wrong-data').click();
        const { pageReference } = getNavigateCalledWith();
        expect(pageReference.type).toBe('comm__namedPage');
        expect(pageReference.attributes.name).toBe('Assistenza__c');
        expect(pageReference.state.c__topic).toBe('Other');
    });
});
