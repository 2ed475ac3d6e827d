import { createElement } from 'lwc';
import ConsoleKpiStrip from 'c/consoleKpiStrip';
import getKpis from '@salesforce/apex/ConsoleKpiController.getKpis';

const mockKpis = require('./data/getKpis.json');

jest.mock('@salesforce/apex/ConsoleKpiController.getKpis', () => ({ default: jest.fn() }), {
    virtual: true
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount(props = {}) {
    const element = createElement('c-console-kpi-strip', { is: ConsoleKpiStrip });
    Object.assign(element, { pollSeconds: 0, ...props });
    document.body.appendChild(element);
    return element;
}

const texts = (root, selector) =>
    [...root.querySelectorAll(selector)].map((e) => e.textContent.trim());

describe('c-console-kpi-strip', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state until the figures arrive', async () => {
        getKpis.mockReturnValue(new Promise(() => {}));
        const element = mount();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('loading');
        expect(element.shadowRoot.querySelector('.fse-kpis')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows backlog, SLA at risk and today satisfaction in Italian number format', async () => {
        getKpis.mockResolvedValue(mockKpis);
        const element = mount();
        await flush();
        const root = element.shadowRoot;
        expect(getKpis).toHaveBeenCalledTimes(1);
        // Italian numbers (CLDR): no separator below 10 000, so 1284 stays "1284"
        expect(texts(root, '.fse-kpi-value')).toEqual(['1284', '7', 'c.FSE_Kpi_CsatValue']);
        expect(root.querySelector('.fse-risk').classList).toContain('slds-text-color_error');
        expect(root.querySelector('.fse-as-of').getAttribute('aria-live')).toBe('polite');
        expect(root.querySelector('c-fse-state-panel')).toBeNull();
        expect(root.querySelectorAll('.fse-kpi')).toHaveLength(3);
        await expect(element).toBeAccessible();
    });

    it('fills the labels with the Italian figures (average with one decimal)', async () => {
        const labels = await import('c/fsePortalUtils');
        const spy = jest.spyOn(labels, 'format');
        getKpis.mockResolvedValue(mockKpis);
        mount();
        await flush();
        const calls = spy.mock.calls.map((c) => c.slice(1));
        expect(calls).toContainEqual(['60']);
        expect(calls).toContainEqual(['3']);
        expect(calls).toContainEqual(['4,3']);
        expect(calls).toContainEqual(['18']);
        // the time of the figures in the user's time zone (Europe/Rome: 09:15Z is 10:15)
        expect(calls).toContainEqual(['10:15']);
        spy.mockRestore();
    });

    it('says there is no rating yet instead of a zero average', async () => {
        getKpis.mockResolvedValue({ ...mockKpis, csatAverage: null, csatResponses: 0 });
        const element = mount();
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-csat').textContent).toBe('-');
        expect(texts(root, '.fse-kpi-detail')[2]).toBe('c.FSE_Kpi_NoCsat');
        expect(root.querySelector('.fse-risk').classList).toContain('slds-text-color_error');
        await expect(element).toBeAccessible();
    });

    it('does not colour the SLA tile when nothing is at risk', async () => {
        getKpis.mockResolvedValue({ ...mockKpis, dueSoonCases: 0, overdueCases: 0 });
        const element = mount();
        await flush();
        expect(element.shadowRoot.querySelector('.fse-risk').classList).not.toContain(
            'slds-text-color_error'
        );
    });

    it('shows the empty state when nothing is open and nobody rated a case today', async () => {
        getKpis.mockResolvedValue({
            ...mockKpis,
            openCases: 0,
            dueSoonCases: 0,
            overdueCases: 0,
            csatAverage: null,
            csatResponses: 0
        });
        const element = mount();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Kpi_Empty');
        expect(element.shadowRoot.querySelector('.fse-kpis')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the server message in the error state and retries', async () => {
        const error = { body: { message: 'Indicatori non disponibili.' }, status: 500 };
        getKpis.mockRejectedValueOnce(error).mockResolvedValueOnce(mockKpis);
        const element = mount();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('error');
        expect(panel.error).toEqual(error);
        expect(panel.retryable).toBe(true);
        await expect(element).toBeAccessible();

        panel.dispatchEvent(new CustomEvent('retry'));
        await flush();
        expect(getKpis).toHaveBeenCalledTimes(2);
        expect(element.shadowRoot.querySelector('c-fse-state-panel')).toBeNull();
        expect(element.shadowRoot.querySelectorAll('.fse-kpi')).toHaveLength(3);
    });

    it('refreshes with the button, keeps the figures meanwhile and the focus on the button', async () => {
        getKpis.mockResolvedValueOnce(mockKpis);
        const element = mount();
        await flush();
        let resolveSecond;
        getKpis.mockReturnValueOnce(
            new Promise((resolve) => {
                resolveSecond = resolve;
            })
        );
        const button = element.shadowRoot.querySelector('.fse-refresh');
        expect(button.alternativeText).toBe('c.FSE_Kpi_Refresh');
        button.click();
        await flush();
        const root = element.shadowRoot;
        // the old figures stay while the new ones load, marked busy for assistive technology
        expect(root.querySelector('.fse-open').textContent).toBe('1284');
        expect(root.querySelector('[aria-busy]').getAttribute('aria-busy')).toBe('true');
        resolveSecond({ ...mockKpis, openCases: 12840 });
        await flush();
        // a lead's team backlog: Italian thousands separator from 10 000
        expect(root.querySelector('.fse-open').textContent).toBe('12.840');
        expect(root.querySelector('[aria-busy]').getAttribute('aria-busy')).toBe('false');
        // the button is never re-rendered, so the focus stays on it (checked for real in the
        // browser tests: base components are empty stubs in jsdom and cannot take focus)
        expect(root.querySelector('.fse-refresh')).toBe(button);
    });
});
