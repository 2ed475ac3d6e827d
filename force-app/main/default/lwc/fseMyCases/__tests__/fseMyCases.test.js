import { createElement } from 'lwc';
import FseMyCases from 'c/fseMyCases';
import getMyCases from '@salesforce/apex/FseSupportController.getMyCases';
import { getNavigateCalledWith } from 'lightning/navigation';

const mockCases = require('./data/getMyCases.json');

jest.mock(
    '@salesforce/apex/FseSupportController.getMyCases',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

jest.mock('@salesforce/label/c.FSE_Support_Opened', () => ({ default: 'Aperta il' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.FSE_Support_Agent', () => ({ default: 'Operatore' }), {
    virtual: true
});

function render() {
    const element = createElement('c-fse-my-cases', { is: FseMyCases });
    document.body.appendChild(element);
    return element;
}

describe('c-fse-my-cases', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading first', async () => {
        const element = render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('lists cases with status and the agent replies', async () => {
        const element = render();
        getMyCases.emit(mockCases);
        await flush();
        const cases = element.shadowRoot.querySelectorAll('.fse-case');
        expect(cases.length).toBe(2);
        expect(cases[0].querySelector('.fse-case-heading').textContent).toBe(
            '00001024 · Non riesco ad accedere'
        );
        expect(cases[0].querySelector('lightning-badge').label).toBe('Nuovo');
        expect(cases[0].querySelector('.fse-no-replies')).not.toBeNull();
        expect(cases[1].querySelector('.fse-reply-body').textContent).toBe(
            'I crediti sono stati registrati, li vedi ora nel profilo.'
        );
        expect(cases[1].querySelector('.fse-replies').textContent).toContain('Operatore');
        // only closed cases can be rated
        expect(cases[0].querySelector('.fse-rate')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('opens the satisfaction survey for a closed case', async () => {
        const element = render();
        getMyCases.emit(mockCases);
        await flush();
        $(element, '.fse-rate').click();
        const { pageReference } = getNavigateCalledWith();
        expect(pageReference.attributes.name).toBe('Gradimento__c');
        expect(pageReference.state).toEqual({
            c__caseId: '500000000000002AAA',
            c__surveyKey: 'CASE_SATISFACTION'
        });
    });

    it('shows empty and error states', async () => {
        const element = render();
        getMyCases.emit([]);
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('empty');
        expect($(element, 'c-fse-state-panel').emptyMessage).toBe('c.FSE_Support_MyCasesEmpty');
        await expect(element).toBeAccessible();
        getMyCases.error({ message: 'Errore' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
    });

    it('keeps the spaces around dates: "Aperta il 3 nov 2025", "Operatore · 21 ott 2025, 11:30"', async () => {
        const element = render();
        getMyCases.emit(mockCases);
        await flush();
        const opened = [...element.shadowRoot.querySelectorAll('.fse-opened')].map(
            (p) => p.textContent
        );
        expect(opened[0]).toBe('Accesso e credenziali · Aperta il 3 nov 2025');
        expect(element.shadowRoot.querySelector('.fse-byline').textContent).toBe(
            'Operatore · 21 ott 2025, 11:30'
        );
    });

    it('names the rating button with its case number', async () => {
        const element = render();
        getMyCases.emit(mockCases);
        await flush();
        expect($(element, '.fse-rate').ariaLabel).toBe('c.FSE_Support_Rate: 00001020');
    });
});
