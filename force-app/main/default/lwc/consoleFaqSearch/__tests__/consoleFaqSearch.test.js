import { createElement } from 'lwc';
import ConsoleFaqSearch from 'c/consoleFaqSearch';
import searchFaqs from '@salesforce/apex/CaseRoutingController.searchFaqs';
import attachFaq from '@salesforce/apex/CaseRoutingController.attachFaq';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

const mockFaqs = require('./data/searchFaqs.json');

jest.mock('@salesforce/apex/CaseRoutingController.searchFaqs', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CaseRoutingController.attachFaq', () => ({ default: jest.fn() }), {
    virtual: true
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mountAndSearch(term) {
    const element = createElement('c-console-faq-search', { is: ConsoleFaqSearch });
    element.recordId = '500000000000001AAA';
    document.body.appendChild(element);
    element.shadowRoot
        .querySelector('lightning-input')
        .dispatchEvent(new CustomEvent('change', { detail: { value: term } }));
    element.shadowRoot.querySelector('.fse-search').click();
    return element;
}

describe('c-console-faq-search', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows nothing but the search box before searching', async () => {
        const element = createElement('c-console-faq-search', { is: ConsoleFaqSearch });
        document.body.appendChild(element);
        await flush();
        expect(element.shadowRoot.querySelector('c-fse-state-panel')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the loading state while searching', async () => {
        searchFaqs.mockReturnValue(new Promise(() => {}));
        const element = await mountAndSearch('credenziali');
        await Promise.resolve();
        expect(element.shadowRoot.querySelector('c-fse-state-panel').state).toBe('loading');
    });

    it('searches with the typed term and lists the FAQs', async () => {
        searchFaqs.mockResolvedValue(mockFaqs);
        const element = await mountAndSearch('credenziali');
        await flush();
        expect(searchFaqs).toHaveBeenCalledWith({ term: 'credenziali' });
        const items = element.shadowRoot.querySelectorAll('.fse-faqs li');
        expect(items).toHaveLength(2);
        expect(items[0].querySelector('a').href).toBe('https://example.org/faq/spid');
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when nothing matches', async () => {
        searchFaqs.mockResolvedValue([]);
        const element = await mountAndSearch('zzz');
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Console_Faq_NoResults');
        await expect(element).toBeAccessible();
    });

    it('shows the error state when the search fails', async () => {
        searchFaqs.mockRejectedValue({ body: { message: 'Errore' } });
        const element = await mountAndSearch('credenziali');
        await flush();
        expect(element.shadowRoot.querySelector('c-fse-state-panel').state).toBe('error');
        await expect(element).toBeAccessible();
    });

    it('attaches the chosen FAQ to the case and confirms', async () => {
        searchFaqs.mockResolvedValue(mockFaqs);
        attachFaq.mockResolvedValue('00a000000000001AAA');
        const element = await mountAndSearch('credenziali');
        await flush();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        element.shadowRoot.querySelectorAll('.fse-attach')[1].click();
        await flush();
        expect(attachFaq).toHaveBeenCalledWith({
            caseId: '500000000000001AAA',
            faqId: 'a0F000000000002AAA'
        });
        expect(toastHandler.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('reports a failed attach with an error toast', async () => {
        searchFaqs.mockResolvedValue(mockFaqs);
        attachFaq.mockRejectedValue({ body: { message: 'Impossibile allegare' } });
        const element = await mountAndSearch('credenziali');
        await flush();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        element.shadowRoot.querySelector('.fse-attach').click();
        await flush();
        expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'Impossibile allegare'
        });
    });

    it('names each attach button with its FAQ', async () => {
        searchFaqs.mockResolvedValue(mockFaqs);
        const element = await mountAndSearch('accesso');
        await flush();
        const names = [...element.shadowRoot.querySelectorAll('.fse-attach')].map(
            (b) => b.ariaLabel
        );
        expect(names).toEqual(mockFaqs.map((faq) => `c.FSE_Console_Faq_Attach: ${faq.title}`));
    });
});
