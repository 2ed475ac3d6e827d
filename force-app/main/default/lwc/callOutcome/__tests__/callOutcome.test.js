import { createElement } from 'lwc';
import CallOutcome from 'c/callOutcome';
import logCall from '@salesforce/apex/CallOutcomeController.logCall';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

jest.mock('@salesforce/apex/CallOutcomeController.logCall', () => ({ default: jest.fn() }), {
    virtual: true
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-call-outcome', { is: CallOutcome });
    element.recordId = '00v000000000001AAA';
    document.body.appendChild(element);
    return element;
}

function change(element, selector, value) {
    element.shadowRoot
        .querySelector(selector)
        .dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-call-outcome', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('renders the three outcomes and is accessible', async () => {
        const element = mount();
        await flush();
        const radios = element.shadowRoot.querySelector('lightning-radio-group');
        expect(radios.options.map((o) => o.label)).toEqual([
            'c.FSE_Call_Reached',
            'c.FSE_Call_NoAnswer',
            'c.FSE_Call_CallBack'
        ]);
        await expect(element).toBeAccessible();
    });

    it('logs a call back with notes and next step', async () => {
        logCall.mockResolvedValue({
            callTaskId: '00T000000000001AAA',
            nextStepTaskId: '00T000000000002AAA'
        });
        const element = mount();
        const toast = jest.fn();
        element.addEventListener(ShowToastEventName, toast);
        change(element, 'lightning-radio-group', 'CallBack');
        change(element, 'lightning-textarea', 'Richiamare dopo le 15');
        change(element, 'lightning-input[data-id="date"]', '2026-03-02');
        change(element, 'lightning-input[data-id="subject"]', 'Richiamare per credenziali');
        await flush();
        element.shadowRoot.querySelector('.fse-submit').click();
        await flush();
        expect(logCall).toHaveBeenCalledWith({
            recordId: '00v000000000001AAA',
            outcome: 'CallBack',
            notes: 'Richiamare dopo le 15',
            nextStepDate: '2026-03-02',
            nextStepSubject: 'Richiamare per credenziali'
        });
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('requires a date for call back and does not call Apex without it', async () => {
        const element = mount();
        change(element, 'lightning-radio-group', 'CallBack');
        await flush();
        const date = element.shadowRoot.querySelector('lightning-input[data-id="date"]');
        expect(date.required).toBe(true);
        date.setCustomValidity = jest.fn();
        date.reportValidity = jest.fn();
        element.shadowRoot.querySelector('.fse-submit').click();
        await flush();
        expect(logCall).not.toHaveBeenCalled();
        expect(date.setCustomValidity).toHaveBeenCalledWith('c.FSE_Console_Error_CallBackDate');
    });

    it('shows an error toast when logging fails', async () => {
        logCall.mockRejectedValue({ body: { message: 'Operazione non riuscita' } });
        const element = mount();
        const toast = jest.fn();
        element.addEventListener(ShowToastEventName, toast);
        element.shadowRoot.querySelector('.fse-submit').click();
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'Operazione non riuscita'
        });
    });
});
