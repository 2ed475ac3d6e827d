import { createElement } from 'lwc';
import ConsoleCallOutcome from 'c/consoleCallOutcome';
import logCall from '@salesforce/apex/CallOutcomeController.logCall';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

jest.mock('@salesforce/apex/CallOutcomeController.logCall', () => ({ default: jest.fn() }), {
    virtual: true
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-console-call-outcome', { is: ConsoleCallOutcome });
    element.recordId = '00v000000000001AAA';
    document.body.appendChild(element);
    return element;
}

function change(element, selector, value) {
    element.shadowRoot
        .querySelector(selector)
        .dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-console-call-outcome', () => {
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
        const date = element.shadowRoot.querySelector('input[data-id="date"]');
        date.value = '2026-03-02';
        date.dispatchEvent(new CustomEvent('change'));
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
        const date = element.shadowRoot.querySelector('input[data-id="date"]');
        expect(date.required).toBe(true);
        element.shadowRoot.querySelector('.fse-submit').click();
        await flush();
        expect(logCall).not.toHaveBeenCalled();
        expect(element.shadowRoot.querySelector('.fse-date-error').textContent.trim()).toBe(
            'c.FSE_Console_Error_CallBackDate'
        );
        expect(date.getAttribute('aria-invalid')).toBe('true');
        expect(element.shadowRoot.activeElement).toBe(date);
        await expect(element).toBeAccessible();
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

    it('uses a date field without the 16 px calendar button of lightning-input (WCAG 2.2 target size)', async () => {
        const element = mount();
        await flush();
        const date = element.shadowRoot.querySelector('input[type="date"][data-id="date"]');
        expect(date).not.toBeNull();
        expect(element.shadowRoot.querySelector('lightning-input[type="date"]')).toBeNull();
        const label = element.shadowRoot.querySelector(`label[for="${date.id}"]`);
        expect(label.textContent.trim()).toBe('c.FSE_Call_NextStepDate');
    });
});
