import { createElement } from 'lwc';
import FseCatalog from 'c/fseCatalog';
import getCatalog from '@salesforce/apex/FseCatalogController.getCatalog';
import getFilterOptions from '@salesforce/apex/FseCatalogController.getFilterOptions';
import enroll from '@salesforce/apex/FseCatalogController.enroll';
import withdraw from '@salesforce/apex/FseCatalogController.withdraw';
import { getNavigateCalledWith } from 'lightning/navigation';

const mockCatalog = require('./data/getCatalog.json');
const mockOptions = require('./data/getFilterOptions.json');

jest.mock(
    '@salesforce/apex/FseCatalogController.getCatalog',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/FseCatalogController.getFilterOptions',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/FseCatalogController.enroll', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/FseCatalogController.withdraw', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
    virtual: true
});

// the real Italian texts, so that numbers and names can be asserted inside them
jest.mock('@salesforce/label/c.FSE_Catalog_Credits', () => ({ default: '· {0} crediti ECM' }), {
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

async function renderWithData(data = mockCatalog) {
    const element = createElement('c-fse-catalog', { is: FseCatalog });
    document.body.appendChild(element);
    getFilterOptions.emit(mockOptions);
    getCatalog.emit(data);
    await flush();
    return element;
}

describe('c-fse-catalog', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading and asks for the own category first (allCategories false)', async () => {
        const element = createElement('c-fse-catalog', { is: FseCatalog });
        document.body.appendChild(element);
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        await flush();
        expect(getCatalog.getLastConfig()).toMatchObject({
            allCategories: false,
            pageNumber: 1,
            pageSize: 12,
            ecmOnly: false
        });
        await expect(element).toBeAccessible();
    });

    it('renders the items, seats of a full live session and paging', async () => {
        const element = await renderWithData();
        expect($$(element, '.fse-item-name').map((n) => n.textContent)).toEqual([
            'Fondamenti del FSE 2.0',
            'Webinar: oscuramento dei documenti',
            'Pillola: il Patient Summary'
        ]);
        const session = $(element, '[data-id="a01000000000002AAA"] .fse-enrol');
        expect(session.disabled).toBe(true);
        expect(session.label).toBe('c.FSE_Catalog_Full');
        expect($(element, '.fse-seats')).not.toBeNull();
        // already in progress: no enrol button, a withdraw button instead
        expect($(element, '[data-id="a01000000000003AAA"] .fse-enrol')).toBeNull();
        expect($(element, '[data-id="a01000000000003AAA"] .fse-withdraw')).not.toBeNull();
        expect($(element, '.fse-previous').disabled).toBe(true);
        expect($(element, '.fse-next').disabled).toBe(false);
        expect($(element, '.fse-results').getAttribute('aria-live')).toBe('polite');
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when nothing matches', async () => {
        const element = await renderWithData({ ...mockCatalog, total: 0, items: [] });
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Catalog_Empty');
        await expect(element).toBeAccessible();
    });

    it('shows the error state', async () => {
        const element = createElement('c-fse-catalog', { is: FseCatalog });
        document.body.appendChild(element);
        getCatalog.error({ message: 'Errore' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
        expect($(element, '.fse-item')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('re-queries with the chosen filters and the next page', async () => {
        const element = await renderWithData();
        const macro = $(element, '[data-name="macroCategory"]');
        macro.dispatchEvent(new CustomEvent('change', { detail: { value: 'Privacy' } }));
        const duration = $(element, '[data-name="maxDuration"]');
        duration.dispatchEvent(new CustomEvent('change', { detail: { value: '60' } }));
        const all = $(element, '[data-name="allCategories"]');
        all.checked = true;
        all.dispatchEvent(new CustomEvent('change'));
        await flush();
        expect(getCatalog.getLastConfig()).toMatchObject({
            macroCategory: 'Privacy',
            maxDuration: 60,
            allCategories: true,
            pageNumber: 1
        });
        getCatalog.emit(mockCatalog);
        await flush();
        $(element, '.fse-next').click();
        await flush();
        expect(getCatalog.getLastConfig().pageNumber).toBe(2);
    });

    it('enrols with the content id and confirms with a toast', async () => {
        enroll.mockResolvedValue('Enrolled');
        const element = await renderWithData();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, '[data-id="a01000000000001AAA"] .fse-enrol').click();
        await flush();
        expect(enroll).toHaveBeenCalledWith({ contentId: 'a01000000000001AAA' });
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('shows the refusal of a full session as an error toast', async () => {
        enroll.mockRejectedValue({ body: { message: 'La sessione è al completo' } });
        const element = await renderWithData();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, '[data-id="a01000000000001AAA"] .fse-enrol').click();
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'La sessione è al completo'
        });
    });

    it('withdraws and opens the detail page', async () => {
        withdraw.mockResolvedValue('Withdrawn');
        const element = await renderWithData();
        $(element, '[data-id="a01000000000003AAA"] .fse-withdraw').click();
        await flush();
        expect(withdraw).toHaveBeenCalledWith({ contentId: 'a01000000000003AAA' });
        $(element, '[data-id="a01000000000001AAA"] .fse-details').click();
        const { pageReference } = getNavigateCalledWith();
        expect(pageReference.attributes.name).toBe('Contenuto__c');
        expect(pageReference.state.c__contentId).toBe('a01000000000001AAA');
    });

    it('names every action with its course, so that three "Dettagli" are told apart', async () => {
        const element = await renderWithData();
        const card = (id) => $(element, `[data-id="${id}"]`);
        expect(card('a01000000000001AAA').querySelector('.fse-details').ariaLabel).toBe(
            'c.FSE_Catalog_Details: Fondamenti del FSE 2.0'
        );
        expect(card('a01000000000001AAA').querySelector('.fse-enrol').ariaLabel).toBe(
            'c.FSE_Catalog_Enrol: Fondamenti del FSE 2.0'
        );
        expect(card('a01000000000003AAA').querySelector('.fse-withdraw').ariaLabel).toBe(
            'c.FSE_Catalog_Withdraw: Pillola: il Patient Summary'
        );
        const names = $$(element, '.fse-details').map((b) => b.ariaLabel);
        expect(new Set(names).size).toBe(3);
    });

    it('shows ECM credits in the Italian format (1,5, not 1.5)', async () => {
        const element = await renderWithData();
        const facts = $(element, '[data-id="a01000000000001AAA"]').textContent;
        expect(facts).toContain('1,5 crediti ECM');
        expect(facts).not.toContain('1.5');
    });

    it('keeps the enrol button enabled while saving and moves focus to the withdraw button that replaces it', async () => {
        let resolveEnrol;
        enroll.mockReturnValue(new Promise((resolve) => (resolveEnrol = resolve)));
        const focused = [];
        {
            const element = await renderWithData();
            element.shadowRoot.addEventListener('stubfocus', (event) => focused.push(event.target));
            const button = $(element, '[data-id="a01000000000001AAA"] .fse-enrol');
            button.click();
            await flush();
            // a disabled button drops the keyboard focus to the top of the page
            expect(button.disabled).toBe(false);
            button.click(); // a second press while saving does nothing
            expect(enroll).toHaveBeenCalledTimes(1);
            const enrolled = mockCatalog.items.map((item) => ({
                ...item,
                enrollmentStatus:
                    item.id === 'a01000000000001AAA' ? 'Enrolled' : item.enrollmentStatus
            }));
            resolveEnrol('Enrolled');
            getCatalog.emit({ ...mockCatalog, items: enrolled });
            await flush();
            const withdrawButton = $(element, '[data-id="a01000000000001AAA"] .fse-withdraw');
            expect(withdrawButton).not.toBeNull();
            expect(focused[focused.length - 1]).toBe(withdrawButton);
        }
    });

    it('tells the user when the filters cannot be loaded instead of leaving them empty', async () => {
        const element = createElement('c-fse-catalog', { is: FseCatalog });
        document.body.appendChild(element);
        getFilterOptions.error({ body: { message: 'boom', stackTrace: 'Class.X' } });
        getCatalog.emit(mockCatalog);
        await flush();
        const panel = $(element, '.fse-filters-error');
        expect(panel).not.toBeNull();
        expect(panel.state).toBe('error');
        expect(panel.error).toBe('c.FSE_Catalog_FiltersError');
        expect(panel.retryable).toBe(true);
        expect($$(element, '.fse-item')).toHaveLength(3);
        await expect(element).toBeAccessible();
    });
});
