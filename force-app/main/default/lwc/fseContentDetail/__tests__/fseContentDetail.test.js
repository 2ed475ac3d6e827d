import { createElement } from 'lwc';
import FseContentDetail from 'c/fseContentDetail';
import getContentDetail from '@salesforce/apex/FseCatalogController.getContentDetail';
import enroll from '@salesforce/apex/FseCatalogController.enroll';
import withdraw from '@salesforce/apex/FseCatalogController.withdraw';
import { CurrentPageReference, getNavigateCalledWith } from 'lightning/navigation';

const mockDetail = require('./data/getContentDetail.json');

jest.mock(
    '@salesforce/apex/FseCatalogController.getContentDetail',
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

jest.mock('@salesforce/label/c.FSE_Catalog_Minutes', () => ({ default: '{0} minuti' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.FSE_Catalog_CreditsFact', () => ({ default: '{0} crediti ECM' }), {
    virtual: true
});

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function render(detail) {
    const element = createElement('c-fse-content-detail', { is: FseContentDetail });
    document.body.appendChild(element);
    CurrentPageReference.emit({ state: { c__contentId: 'a01000000000001AAA' } });
    await flush();
    if (detail) {
        getContentDetail.emit(detail);
        await flush();
    }
    return element;
}

describe('c-fse-content-detail', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the empty state when no content is selected', async () => {
        const element = createElement('c-fse-content-detail', { is: FseContentDetail });
        document.body.appendChild(element);
        await flush();
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Catalog_NoContent');
        await expect(element).toBeAccessible();
    });

    it('loads the content named in the page state', async () => {
        const element = await render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        expect(getContentDetail.getLastConfig()).toEqual({ contentId: 'a01000000000001AAA' });
        await expect(element).toBeAccessible();
    });

    it('renders the content with its modules and enrols', async () => {
        enroll.mockResolvedValue('Enrolled');
        const element = await render(mockDetail);
        expect($(element, '.fse-title').textContent).toBe('Fondamenti del FSE 2.0');
        expect(element.shadowRoot.querySelectorAll('.fse-modules li').length).toBe(2);
        expect($(element, '.fse-withdraw')).toBeNull();
        await expect(element).toBeAccessible();
        $(element, '.fse-enrol').click();
        await flush();
        expect(enroll).toHaveBeenCalledWith({ contentId: 'a01000000000001AAA' });
    });

    it('refuses enrolment in a full live session', async () => {
        const element = await render({
            ...mockDetail,
            contentType: 'LiveSession',
            capacity: 20,
            seatsLeft: 0,
            isFull: true,
            modules: []
        });
        const button = $(element, '.fse-enrol');
        expect(button.disabled).toBe(true);
        expect(button.label).toBe('c.FSE_Catalog_Full');
        expect($(element, '.fse-seats')).not.toBeNull();
    });

    it('lets an enrolled professional start, take the test and withdraw', async () => {
        withdraw.mockResolvedValue('Withdrawn');
        const element = await render({ ...mockDetail, enrollmentStatus: 'InProgress' });
        expect($(element, '.fse-enrol')).toBeNull();
        $(element, '.fse-test').click();
        let nav = getNavigateCalledWith().pageReference;
        expect(nav.attributes.name).toBe('Test__c');
        expect(nav.state.c__contentId).toBe('a01000000000001AAA');
        $(element, '.fse-start').click();
        nav = getNavigateCalledWith().pageReference;
        expect(nav.attributes.url).toBe(mockDetail.url);
        $(element, '.fse-withdraw').click();
        await flush();
        expect(withdraw).toHaveBeenCalledWith({ contentId: 'a01000000000001AAA' });
    });

    it('shows the error state', async () => {
        const element = await render();
        getContentDetail.error({ message: 'Il contenuto non è disponibile.' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
        await expect(element).toBeAccessible();
    });

    it('separates the facts and shows credits in the Italian format', async () => {
        const element = await render(mockDetail);
        expect($(element, '.fse-facts').textContent).toBe(
            'Corso · Fondamenti FSE 2.0 · 30 minuti · 1,5 crediti ECM'
        );
    });

    it('keeps the enrol button enabled while saving and then focuses the start button that replaces it', async () => {
        let resolveEnrol;
        enroll.mockReturnValue(new Promise((resolve) => (resolveEnrol = resolve)));
        const element = await render(mockDetail);
        const focused = [];
        element.shadowRoot.addEventListener('stubfocus', (event) => focused.push(event.target));
        const button = $(element, '.fse-enrol');
        button.click();
        await flush();
        expect(button.disabled).toBe(false);
        resolveEnrol('Enrolled');
        getContentDetail.emit({ ...mockDetail, enrollmentStatus: 'Enrolled' });
        await flush();
        const start = $(element, '.fse-start');
        expect(start).not.toBeNull();
        expect(focused[focused.length - 1]).toBe(start);
    });
});
