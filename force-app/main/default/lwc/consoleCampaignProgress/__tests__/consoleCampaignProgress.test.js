import { createElement } from 'lwc';
import ConsoleCampaignProgress from 'c/consoleCampaignProgress';
import getProgress from '@salesforce/apex/CampaignSendController.getProgress';
import requestSend from '@salesforce/apex/CampaignSendController.requestSend';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

const mockProgress = require('./data/getProgress.json');

jest.mock('@salesforce/apex/CampaignSendController.getProgress', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CampaignSendController.requestSend', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.FSE_CampaignSend_Progress',
    () => ({ default: '{0} di {1} professionisti con un esito' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.FSE_CampaignSend_StatusLine',
    () => ({ default: 'Stato: {0} · ultimo invio {1}' }),
    { virtual: true }
);

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

const IDLE = {
    ...mockProgress,
    status: 'Succeeded',
    statusLabel: 'Completato',
    isRunning: false,
    canSend: true,
    pending: 0,
    sent: 88628,
    percentDone: 100
};

async function render(props = {}) {
    const element = createElement('c-console-campaign-progress', { is: ConsoleCampaignProgress });
    Object.assign(element, { recordId: '701000000000001AAA', ...props });
    document.body.appendChild(element);
    await flush();
    return element;
}

describe('c-console-campaign-progress', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('shows loading while the counts are read', async () => {
        getProgress.mockReturnValue(new Promise(() => {}));
        const element = await render();
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        expect($(element, '.fse-send')).toBeNull();
    });

    it('shows the counts of a running send in Italian number format, and no second send', async () => {
        getProgress.mockResolvedValue(mockProgress);
        const element = await render({ pollSeconds: 0 });
        expect(getProgress).toHaveBeenCalledWith({ campaignId: '701000000000001AAA' });
        expect($(element, '.fse-count-sent').textContent).toBe('41.250');
        expect($(element, '.fse-count-pending').textContent).toBe('47.378');
        expect($(element, '.fse-percent').textContent).toBe(
            '47.622 di 95.000 professionisti con un esito'
        );
        const bar = $(element, '.fse-bar');
        expect(bar.getAttribute('aria-valuenow')).toBe('50');
        expect(bar.getAttribute('aria-label')).toBe($(element, '.fse-percent').textContent);
        expect($(element, '.fse-status').textContent).toMatch(/^Stato: In corso · ultimo invio /);
        expect($(element, '.fse-send').disabled).toBe(true);
        // running: not "cannot send", just wait
        expect($(element, '.fse-cannot-send')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the never-sent state with the send button', async () => {
        getProgress.mockResolvedValue({
            ...IDLE,
            status: null,
            statusLabel: null,
            lastSendAt: null,
            total: 0,
            sent: 0,
            skipped: 0,
            failed: 0,
            bounced: 0,
            unknown: 0,
            percentDone: 0
        });
        const element = await render();
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_CampaignSend_NeverSent');
        expect($(element, '.fse-send').disabled).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('shows the error state and retries', async () => {
        getProgress.mockRejectedValueOnce({ body: { message: 'boom' } });
        const element = await render();
        const panel = $(element, 'c-fse-state-panel');
        expect(panel.state).toBe('error');
        getProgress.mockResolvedValue(IDLE);
        panel.dispatchEvent(new CustomEvent('retry'));
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('data');
        await expect(element).toBeAccessible();
    });

    it('asks the worker to send, confirms with a toast and reloads the counts', async () => {
        getProgress.mockResolvedValueOnce(IDLE).mockResolvedValue({
            ...IDLE,
            status: 'Running',
            isRunning: true,
            canSend: false
        });
        requestSend.mockResolvedValue('op-1');
        const element = await render({ pollSeconds: 0 });
        const toast = jest.fn();
        element.addEventListener(ShowToastEventName, toast);
        $(element, '.fse-send').click();
        await flush();
        expect(requestSend).toHaveBeenCalledWith({
            campaignId: '701000000000001AAA',
            dryRun: false
        });
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            title: 'c.FSE_CampaignSend_Requested',
            variant: 'success'
        });
        expect(getProgress).toHaveBeenCalledTimes(2);
        expect($(element, '.fse-send').disabled).toBe(true);
        // focus stays on the panel the user acted in
        expect(element.shadowRoot.activeElement).toBe($(element, '.fse-title'));
    });

    it('a dry run asks for one; a refusal shows the server message meant for users', async () => {
        getProgress.mockResolvedValue(IDLE);
        requestSend.mockRejectedValue({
            body: { message: 'Un invio di questa campagna è già in corso.' }
        });
        const element = await render();
        const toast = jest.fn();
        element.addEventListener(ShowToastEventName, toast);
        $(element, '.fse-dry-run').click();
        await flush();
        expect(requestSend).toHaveBeenCalledWith({
            campaignId: '701000000000001AAA',
            dryRun: true
        });
        expect(toast.mock.calls[0][0].detail.variant).toBe('error');
        expect($(element, '.fse-dry-run').disabled).toBe(false);
    });

    it('a campaign the worker cannot send (calls) says so', async () => {
        getProgress.mockResolvedValue({ ...IDLE, canSend: false, channel: 'phone' });
        const element = await render();
        expect($(element, '.fse-send').disabled).toBe(true);
        expect($(element, '.fse-cannot-send').textContent).toBe('c.FSE_CampaignSend_CannotSend');
    });

    it('refreshes while a send runs and stops when it ends', async () => {
        jest.useFakeTimers();
        getProgress.mockResolvedValueOnce(mockProgress).mockResolvedValue(IDLE);
        const element = await render({ pollSeconds: 5 });
        expect(getProgress).toHaveBeenCalledTimes(1);
        jest.advanceTimersByTime(5000);
        await flush();
        expect(getProgress).toHaveBeenCalledTimes(2);
        expect($(element, '.fse-count-pending').textContent).toBe('0');
        jest.advanceTimersByTime(60000);
        await flush();
        expect(getProgress).toHaveBeenCalledTimes(2);
    });
});
