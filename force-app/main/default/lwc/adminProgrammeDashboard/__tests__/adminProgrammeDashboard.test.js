import { createElement } from 'lwc';
import AdminProgrammeDashboard from 'c/adminProgrammeDashboard';
import getDashboard from '@salesforce/apex/ProgrammeDashboardController.getDashboard';
import { loadScript } from 'lightning/platformResourceLoader';

const mockDashboard = require('./data/getDashboard.json');

jest.mock(
    '@salesforce/apex/ProgrammeDashboardController.getDashboard',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('lightning/platformResourceLoader', () => ({ loadScript: jest.fn() }), {
    virtual: true
});
// Real label texts for the templates with placeholders, so the numbers can be asserted.
jest.mock(
    '@salesforce/label/c.FSE_Programme_KpiShareOf',
    () => ({ default: '{0}% ({1} su {2})' }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/label/c.FSE_Programme_Projection',
    () => ({ default: 'ultimi {0} mesi, {1}/mese, {2}% ({3})' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.FSE_Programme_OffTrack', () => ({ default: 'servono {0}/mese' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.FSE_Programme_Target',
    () => ({ default: 'obiettivo {0}% al {1}' }),
    {
        virtual: true
    }
);

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-admin-programme-dashboard', { is: AdminProgrammeDashboard });
    document.body.appendChild(element);
    return element;
}

function kpi(element, key) {
    return element.shadowRoot.querySelector(`[data-kpi="${key}"]`).textContent.trim();
}

describe('c-admin-programme-dashboard', () => {
    let chartConfigs;

    beforeEach(() => {
        chartConfigs = [];
        loadScript.mockResolvedValue();
        window.Chart = jest.fn((canvas, config) => {
            chartConfigs.push({ canvas, config });
            return { destroy: jest.fn() };
        });
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        delete window.Chart;
    });

    it('shows the loading state first', async () => {
        const element = mount();
        await flush();
        expect(element.shadowRoot.querySelector('c-fse-state-panel').state).toBe('loading');
        expect(loadScript).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });

    it('shows the error state when the data cannot be loaded', async () => {
        const element = mount();
        getDashboard.error({ message: 'Impossibile caricare i dati del programma' });
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('error');
        expect(panel.error.body.message).toBe('Impossibile caricare i dati del programma');
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when there is no MMG/PLS to measure', async () => {
        const element = mount();
        getDashboard.emit({ ...mockDashboard, population: 0, organisations: [], monthly: [] });
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Programme_Empty');
        expect(loadScript).not.toHaveBeenCalled();
    });

    it('shows engaged and trained shares against the target, with the projection', async () => {
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        expect(kpi(element, 'population')).toBe('200');
        expect(kpi(element, 'engaged')).toBe('60% (120 su 200)');
        expect(kpi(element, 'trained')).toBe('30% (60 su 200)');
        expect(element.shadowRoot.querySelector('.fse-target').textContent).toBe(
            'obiettivo 85% al 30 giugno 2026'
        );
        // trend Dec-Feb 10, 15, 20 -> 25 a month and rising: the population is reached
        expect(element.shadowRoot.querySelector('.fse-projection-text').textContent).toBe(
            'ultimi 3 mesi, 25/mese, 100% (200)'
        );
        expect(element.shadowRoot.querySelector('.fse-projection-verdict').textContent).toBe(
            'c.FSE_Programme_OnTrack'
        );
        await expect(element).toBeAccessible();
    });

    it('says when the pace is below the target', async () => {
        const element = mount();
        getDashboard.emit({
            ...mockDashboard,
            trainedByMonth: [
                { month: '2024-12', count: 1 },
                { month: '2025-01', count: 1 },
                { month: '2025-02', count: 1 }
            ]
        });
        await flush();
        // needs ceil(170 - 60) over ~15.5 months
        expect(element.shadowRoot.querySelector('.fse-projection-verdict').textContent).toBe(
            'servono 8/mese'
        );
    });

    it('has no projection without a deadline', async () => {
        const element = mount();
        getDashboard.emit({
            ...mockDashboard,
            settings: { ...mockDashboard.settings, deadline: null }
        });
        await flush();
        expect(element.shadowRoot.querySelector('.fse-no-projection')).not.toBeNull();
    });

    it('loads Chart.js from the static resource and draws both charts with text alternatives', async () => {
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        await flush();
        expect(loadScript).toHaveBeenCalledTimes(1);
        expect(loadScript.mock.calls[0][1]).toContain('chartjs');
        expect(window.Chart).toHaveBeenCalledTimes(2);
        const org = chartConfigs[0];
        expect(org.config.data.labels).toEqual(['ASST Alfa', 'ATS Beta']);
        expect(org.config.data.datasets[0].data).toEqual([83.3, 25]);
        expect(org.config.data.datasets[1].data).toEqual([50, 0]);
        expect(org.config.data.datasets[2].data).toEqual([85, 85]);
        expect(org.canvas.getAttribute('role')).toBe('img');
        expect(org.canvas.getAttribute('aria-label')).toBe('c.FSE_Programme_OrgChartAlt');
        const time = chartConfigs[1];
        expect(time.config.data.labels).toHaveLength(12);
        expect(time.config.data.labels[0]).toBe('apr 2024');
        expect(time.config.data.labels[11]).toBe('mar 2025');
        expect(time.config.data.datasets.map((d) => d.label)).toEqual([
            'Fondamenti FSE',
            'Servizi privacy FSE'
        ]);
        expect(time.config.data.datasets[0].data.slice(9, 11)).toEqual([40, 5]);
        expect(element.shadowRoot.querySelector('.fse-chart-error')).toBeNull();
    });

    it('shows the organisation table on demand', async () => {
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        expect(element.shadowRoot.querySelector('.fse-org-table')).toBeNull();
        const toggle = element.shadowRoot.querySelector('lightning-button.fse-toggle-org');
        expect(toggle.label).toBe('c.FSE_Programme_ShowTable');
        toggle.click();
        await flush();
        const rows = element.shadowRoot.querySelectorAll('.fse-org-table tbody tr');
        expect(rows).toHaveLength(2);
        expect(rows[0].querySelector('th[scope="row"]').textContent).toBe('ASST Alfa');
        expect(Array.from(rows[0].querySelectorAll('td')).map((td) => td.textContent)).toEqual([
            '120',
            '100',
            '83,3',
            '60',
            '50'
        ]);
        expect(toggle.label).toBe('c.FSE_Programme_HideTable');
        await expect(element).toBeAccessible();
    });

    it('switches the time series to completions by target category', async () => {
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        element.shadowRoot
            .querySelector('lightning-radio-group.fse-measure')
            .dispatchEvent(new CustomEvent('change', { detail: { value: 'completions' } }));
        element.shadowRoot
            .querySelector('lightning-radio-group.fse-dimension')
            .dispatchEvent(new CustomEvent('change', { detail: { value: 'target' } }));
        element.shadowRoot.querySelector('lightning-button.fse-toggle-time').click();
        await flush();
        const headers = Array.from(
            element.shadowRoot.querySelectorAll('.fse-time-table thead th')
        ).map((th) => th.textContent);
        expect(headers).toEqual([
            'c.FSE_Programme_ColMonth',
            'Medici di medicina generale',
            'Pediatri di libera scelta',
            'c.FSE_Programme_Total'
        ]);
        const feb = Array.from(
            element.shadowRoot.querySelectorAll('.fse-time-table tbody tr')
        ).find((tr) => tr.querySelector('th').textContent === 'feb 2025');
        expect(Array.from(feb.querySelectorAll('td')).map((td) => td.textContent)).toEqual([
            '12',
            '2',
            '14'
        ]);
        // the chart was redrawn for the new series
        const last = chartConfigs[chartConfigs.length - 1].config;
        expect(last.data.datasets.map((d) => d.label)).toEqual([
            'Medici di medicina generale',
            'Pediatri di libera scelta'
        ]);
        await expect(element).toBeAccessible();
    });

    it('exports the organisation table as CSV with Italian headers', async () => {
        const clicks = [];
        const clickSpy = jest
            .spyOn(HTMLAnchorElement.prototype, 'click')
            .mockImplementation(function click() {
                clicks.push({ href: this.href, download: this.download });
            });
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        element.shadowRoot.querySelector('lightning-button.fse-export-org').click();
        expect(clicks).toHaveLength(1);
        expect(clicks[0].download).toBe('programma-fse-enti.csv');
        const csv = decodeURIComponent(clicks[0].href.split(',')[1]);
        expect(csv.split('\r\n')).toEqual([
            '\ufeffc.FSE_Programme_ColOrganisation;c.FSE_Programme_ColPopulation;' +
                'c.FSE_Programme_ColEngaged;c.FSE_Programme_ColEngagedShare;' +
                'c.FSE_Programme_ColTrained;c.FSE_Programme_ColTrainedShare',
            'ASST Alfa;120;100;83.3;60;50',
            'ATS Beta;80;20;25;0;0'
        ]);

        element.shadowRoot.querySelector('lightning-button.fse-export-time').click();
        expect(clicks).toHaveLength(2);
        const series = decodeURIComponent(clicks[1].href.split(',')[1]).split('\r\n');
        expect(series[0]).toBe(
            '\ufeffc.FSE_Programme_ColMonth;Fondamenti FSE;Servizi privacy FSE;c.FSE_Programme_Total'
        );
        expect(series).toContain('2025-02;5;30;35');
        clickSpy.mockRestore();
    });

    it('falls back to the tables when Chart.js cannot be loaded', async () => {
        loadScript.mockRejectedValue(new Error('blocked'));
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        await flush();
        expect(window.Chart).not.toHaveBeenCalled();
        expect(element.shadowRoot.querySelector('.fse-chart-error')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.fse-org-table')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.fse-time-table')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('names the table and export buttons of each section differently', async () => {
        const element = mount();
        getDashboard.emit(mockDashboard);
        await flush();
        const name = (selector) => element.shadowRoot.querySelector(selector).ariaLabel;
        expect(name('.fse-toggle-org')).toBe(
            'c.FSE_Programme_ShowTable: c.FSE_Programme_OrgHeading'
        );
        expect(name('.fse-toggle-time')).toBe(
            'c.FSE_Programme_ShowTable: c.FSE_Programme_TimeHeading'
        );
        expect(name('.fse-export-org')).not.toBe(name('.fse-export-time'));
    });
});
