import { createElement } from 'lwc';
import FseSupportRequest from 'c/fseSupportRequest';
import searchFaqs from '@salesforce/apex/FseSupportController.searchFaqs';
import getTopics from '@salesforce/apex/FseSupportController.getTopics';
import createCase from '@salesforce/apex/FseSupportController.createCase';
import { CurrentPageReference } from 'lightning/navigation';

const mockFaqs = require('./data/searchFaqs.json');
const mockTopics = require('./data/getTopics.json');

jest.mock('@salesforce/apex/FseSupportController.searchFaqs', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/FseSupportController.getTopics',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/FseSupportController.createCase', () => ({ default: jest.fn() }), {
    virtual: true
});

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
    virtual: true
});

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function render(props = { showFaqFirst: true }) {
    const element = createElement('c-fse-support-request', { is: FseSupportRequest });
    Object.assign(element, props);
    document.body.appendChild(element);
    getTopics.emit(mockTopics);
    await flush();
    return element;
}
async function searchFor(element, term) {
    jest.useFakeTimers();
    $(element, '.fse-faq-search').dispatchEvent(
        new CustomEvent('change', { detail: { value: term } })
    );
    jest.runAllTimers();
    jest.useRealTimers();
    await flush();
}
function fill(element, selector, value) {
    $(element, selector).dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-fse-support-request', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('offers the FAQ search first, the form only after "not solved"', async () => {
        const element = await render();
        expect($(element, '.fse-faq-search')).not.toBeNull();
        expect($(element, '.fse-form')).toBeNull();
        $(element, '.fse-open-form').click();
        await flush();
        expect($(element, '.fse-form')).not.toBeNull();
        expect($(element, '.fse-topic').options).toEqual(mockTopics);
        await expect(element).toBeAccessible();
    });

    it('searches FAQs with the typed words and shows the answers', async () => {
        searchFaqs.mockResolvedValue(mockFaqs);
        const element = await render();
        await searchFor(element, 'smart card');
        expect(searchFaqs).toHaveBeenCalledWith({ searchTerm: 'smart card' });
        expect(element.shadowRoot.querySelectorAll('.fse-faq-results li').length).toBe(2);
        await expect(element).toBeAccessible();
    });

    it('shows loading, empty and error states of the FAQ search', async () => {
        let resolveSearch;
        searchFaqs.mockReturnValue(
            new Promise((resolve) => {
                resolveSearch = resolve;
            })
        );
        const element = await render();
        await searchFor(element, 'pin');
        expect($(element, '.fse-faq c-fse-state-panel').state).toBe('loading');
        resolveSearch([]);
        await flush();
        expect($(element, '.fse-faq c-fse-state-panel').state).toBe('empty');
        searchFaqs.mockRejectedValue({ body: { message: 'Ricerca non disponibile' } });
        await searchFor(element, 'pin nuovo');
        expect($(element, '.fse-faq c-fse-state-panel').state).toBe('error');
    });

    it('does not search for fewer than 2 characters', async () => {
        const element = await render();
        await searchFor(element, 'a');
        expect(searchFaqs).not.toHaveBeenCalled();
    });

    it('opens a case with topic, subject and description, then allows an attachment', async () => {
        createCase.mockResolvedValue({ id: '500000000000001AAA', caseNumber: '00001024' });
        const element = await render({ showFaqFirst: false });
        const handler = jest.fn();
        element.addEventListener('casecreated', handler);
        fill(element, '.fse-topic', 'AccessCredentials');
        fill(element, '.fse-subject', 'Non riesco ad accedere');
        fill(element, '.fse-description', 'Errore con la smart card dal mattino.');
        $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
        await flush();
        expect(createCase).toHaveBeenCalledWith({
            topic: 'AccessCredentials',
            subject: 'Non riesco ad accedere',
            description: 'Errore con la smart card dal mattino.'
        });
        expect(handler.mock.calls[0][0].detail.caseId).toBe('500000000000001AAA');
        expect($(element, '.fse-upload').recordId).toBe('500000000000001AAA');
        $(element, '.fse-upload').dispatchEvent(
            new CustomEvent('uploadfinished', { detail: { files: [{ name: 'errore.png' }] } })
        );
        await flush();
        expect($(element, '.fse-attached').textContent).toBe('c.FSE_Support_Attached');
        await expect(element).toBeAccessible();
    });

    it('keeps the form and shows the error when the case cannot be created', async () => {
        createCase.mockRejectedValue({ body: { message: 'Scegli un argomento' } });
        const element = await render({ showFaqFirst: false });
        fill(element, '.fse-topic', 'Other');
        fill(element, '.fse-subject', 'Domanda');
        fill(element, '.fse-description', 'Testo');
        $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
        await flush();
        expect($(element, '.fse-form c-fse-state-panel').state).toBe('error');
        expect($(element, '.fse-created')).toBeNull();
    });

    it('does not send an incomplete form', async () => {
        const element = await render({ showFaqFirst: false });
        fill(element, '.fse-subject', 'Solo oggetto');
        $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
        await flush();
        expect(createCase).not.toHaveBeenCalled();
    });

    it('pre-fills topic and subject from the page state (profile "wrong data")', async () => {
        const element = await render();
        CurrentPageReference.emit({ state: { c__topic: 'Other', c__subject: 'Dati errati' } });
        await flush();
        expect($(element, '.fse-topic').value).toBe('Other');
        expect($(element, '.fse-subject').value).toBe('Dati errati');
    });

    it('says so when the topics cannot be loaded and offers a retry, instead of a form that can never be sent', async () => {
        const { refreshApex } = require('@salesforce/apex');
        const element = createElement('c-fse-support-request', { is: FseSupportRequest });
        document.body.appendChild(element);
        getTopics.error({ body: { message: 'Read timed out', stackTrace: 'Class.X' } });
        await flush();
        const panel = $(element, '.fse-topics-error');
        expect(panel).not.toBeNull();
        expect(panel.state).toBe('error');
        expect(panel.error).toBe('c.FSE_Support_TopicsError');
        expect(panel.retryable).toBe(true);
        panel.dispatchEvent(new CustomEvent('retry'));
        expect(refreshApex).toHaveBeenCalledTimes(1);
        await expect(element).toBeAccessible();
        // once the topics load, the message goes away
        getTopics.emit(mockTopics);
        await flush();
        expect($(element, '.fse-topics-error')).toBeNull();
    });
});
