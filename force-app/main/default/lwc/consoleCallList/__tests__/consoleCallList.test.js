import { createElement } from 'lwc';
import ConsoleCallList from 'c/consoleCallList';
import getCallList from '@salesforce/apex/CampaignSendController.getCallList';
import { getNavigateCalledWith } from 'lightning/navigation';

const mockRows = require('./data/getCallList.json');

jest.mock(
    '@salesforce/apex/CampaignSendController.getCallList',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.FSE_CallList_LastCall',
    () => ({ default: 'Ultima chiamata: {0} ({1})' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.FSE_CallList_Open', () => ({ default: 'Registra la chiamata' }), {
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

function render() {
    const element = createElement('c-console-call-list', { is: ConsoleCallList });
    element.recordId = '701000000000001AAA';
    document.body.appendChild(element);
    return element;
}

describe('c-console-call-list', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading until the list arrives', async () => {
        const element = render();
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        expect(getCallList.getLastConfig()).toEqual({
            campaignId: '701000000000001AAA',
            maxRows: 50
        });
    });

    it('lists the members in the order to call them, with why, phone and last call', async () => {
        const element = render();
        getCallList.emit(mockRows);
        await flush();
        const names = $$(element, '.fse-name').map((n) => n.textContent);
        expect(names).toEqual([
            '1. Giulia Esposito',
            '2. Marco Bianchi',
            '3. Anna Romano',
            '4. Luca Ferrari'
        ]);
        const badges = $$(element, 'lightning-badge').map((b) => b.label);
        expect(badges).toEqual([
            'c.FSE_CallList_PriorityCallBack',
            'c.FSE_CallList_PriorityUnreached',
            'c.FSE_CallList_PriorityNew',
            'c.FSE_CallList_PriorityRetry'
        ]);
        const phones = $$(element, '.fse-phone');
        expect(phones[0].getAttribute('href')).toBe('tel:+393330000001');
        expect(phones[1].tagName).toBe('SPAN');
        expect(phones[1].textContent).toBe('c.FSE_CallList_NoPhone');
        const lastCalls = $$(element, '.fse-last-call').map((p) => p.textContent);
        expect(lastCalls[0]).toMatch(/^Ultima chiamata: .*2025.* \(Da richiamare\)$/);
        expect(lastCalls[1]).toBe('c.FSE_CallList_NeverCalled');
        // every button names its professional (no "Apri" ×4)
        expect($$(element, '.fse-open').map((b) => b.label)[3]).toBe(
            'Registra la chiamata: Luca Ferrari'
        );
        await expect(element).toBeAccessible();
    });

    it('opens the member record, where the call outcome is recorded', async () => {
        const element = render();
        getCallList.emit(mockRows);
        await flush();
        $$(element, '.fse-open')[1].dispatchEvent(new CustomEvent('click'));
        expect(getNavigateCalledWith().pageReference).toEqual({
            type: 'standard__recordPage',
            attributes: {
                recordId: '00v000000000002AAA',
                objectApiName: 'CampaignMember',
                actionName: 'view'
            }
        });
    });

    it('shows the empty state when nobody is left to call', async () => {
        const element = render();
        getCallList.emit([]);
        await flush();
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_CallList_Empty');
        expect($(element, '.fse-calls')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the error state', async () => {
        const element = render();
        getCallList.error({ message: 'boom' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
        expect($(element, '.fse-calls')).toBeNull();
        await expect(element).toBeAccessible();
    });
});
