import { createElement } from 'lwc';
import FsePrivacyRequest from 'c/fsePrivacyRequest';
import getMyRequests from '@salesforce/apex/FsePrivacyRequestController.getMyRequests';
import createRequest from '@salesforce/apex/FsePrivacyRequestController.createRequest';
import { refreshApex } from '@salesforce/apex';

const mockRequests = require('./data/getMyRequests.json');

jest.mock(
    '@salesforce/apex/FsePrivacyRequestController.getMyRequests',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/FsePrivacyRequestController.createRequest',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
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

jest.mock('@salesforce/label/c.FSE_Privacy_RequestedOn', () => ({ default: 'Inviata il' }), {
    virtual: true
});

function render() {
    const element = createElement('c-fse-privacy-request', { is: FsePrivacyRequest });
    document.body.appendChild(element);
    return element;
}

describe('c-fse-privacy-request', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading, then the requests with status and decision reason', async () => {
        const element = render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        getMyRequests.emit(mockRequests);
        await flush();
        const rows = element.shadowRoot.querySelectorAll('.fse-request');
        expect(rows.length).toBe(2);
        expect(rows[1].querySelector('.fse-status').label).toBe('Respinta');
        expect(rows[1].querySelector('.fse-reason').textContent).toContain('obbligo di legge');
        await expect(element).toBeAccessible();
    });

    it('shows empty and error states', async () => {
        const element = render();
        getMyRequests.emit([]);
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('empty');
        await expect(element).toBeAccessible();
        getMyRequests.error({ message: 'Errore' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
    });

    it('files a data access request and refreshes the list', async () => {
        createRequest.mockResolvedValue('a05000000000003AAA');
        const element = render();
        getMyRequests.emit([]);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, '.fse-access').click();
        await flush();
        expect(createRequest).toHaveBeenCalledWith({ requestType: 'DataAccess' });
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
        expect(refreshApex).toHaveBeenCalled();
    });

    it('asks for explicit confirmation before an erasure request', async () => {
        createRequest.mockResolvedValue('a05000000000004AAA');
        const element = render();
        getMyRequests.emit([]);
        await flush();
        $(element, '.fse-erasure').click();
        await flush();
        expect(createRequest).not.toHaveBeenCalled();
        expect($(element, '.fse-confirm-erasure').disabled).toBe(true);
        await expect(element).toBeAccessible();
        const checkbox = $(element, '.fse-understood');
        checkbox.checked = true;
        checkbox.dispatchEvent(new CustomEvent('change'));
        await flush();
        $(element, '.fse-confirm-erasure').click();
        await flush();
        expect(createRequest).toHaveBeenCalledWith({ requestType: 'Erasure' });
        expect($(element, '.fse-confirm')).toBeNull();
    });

    it('shows why a request was refused (e.g. one already open)', async () => {
        createRequest.mockRejectedValue({
            body: { message: 'Hai già una richiesta in lavorazione' }
        });
        const element = render();
        getMyRequests.emit(mockRequests);
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, '.fse-access').click();
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'Hai già una richiesta in lavorazione'
        });
    });

    it('shows when a request was sent with a space before the Italian date', async () => {
        const element = render();
        getMyRequests.emit(mockRequests);
        await flush();
        expect(element.shadowRoot.querySelector('.fse-requested').textContent.trim()).toBe(
            'Inviata il 1 novembre 2025'
        );
    });
});
