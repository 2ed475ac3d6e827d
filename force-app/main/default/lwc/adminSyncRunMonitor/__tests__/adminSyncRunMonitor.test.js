import { createElement } from 'lwc';
import AdminSyncRunMonitor from 'c/adminSyncRunMonitor';
import getMonitorData from '@salesforce/apex/SyncRunMonitorController.getMonitorData';
import getRunDetail from '@salesforce/apex/SyncRunMonitorController.getRunDetail';
import requestRun from '@salesforce/apex/SyncRunMonitorController.requestRun';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

const mockMonitorData = require('./data/getMonitorData.json');
const mockRunDetail = require('./data/getRunDetail.json');

jest.mock(
    '@salesforce/apex/SyncRunMonitorController.getMonitorData',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SyncRunMonitorController.getRunDetail',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/SyncRunMonitorController.requestRun', () => ({ default: jest.fn() }), {
    virtual: true
});

function mount(props = {}) {
    const element = createElement('c-admin-sync-run-monitor', { is: AdminSyncRunMonitor });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function statePanel(element) {
    return element.shadowRoot.querySelector('c-fse-state-panel');
}

describe('c-admin-sync-run-monitor', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state until the runs arrive', async () => {
        const element = mount();
        await flush();
        expect(statePanel(element).state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('shows a retryable error when the runs cannot be loaded', async () => {
        const element = mount();
        getMonitorData.error({ message: 'Impossibile caricare' });
        await flush();
        const panel = statePanel(element);
        expect(panel.state).toBe('error');
        expect(panel.retryable).toBe(true);
        expect(panel.error.body.message).toBe('Impossibile caricare');
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when no run was recorded', async () => {
        const element = mount();
        getMonitorData.emit({
            runs: [],
            hasRunning: false,
            apiBudget: { used: 10, max: 15000, remaining: 14990, percentUsed: 0.1 }
        });
        await flush();
        const panel = statePanel(element);
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_SyncMonitor_Empty');
        expect(element.shadowRoot.querySelector('.fse-runs-table')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('lists recent runs with counts, duration and today API budget', async () => {
        const element = mount({ maxRuns: 30 });
        getMonitorData.emit(mockMonitorData);
        await flush();
        expect(getMonitorData.getLastConfig()).toEqual({ maxRuns: 30 });
        const rows = element.shadowRoot.querySelectorAll('.fse-runs-table tbody tr');
        expect(rows).toHaveLength(2);
        const firstCells = rows[0].querySelectorAll('td');
        expect(rows[0].querySelector('th').textContent).toBe('SYNC-000002');
        expect(firstCells[0].textContent).toContain('Completata con errori');
        // duration 307 s through the label template "{0} min {1} s" (key in Jest)
        expect(rows[0].querySelector('.fse-duration').textContent).toBe(
            'c.FSE_SyncMonitor_DurationFormat'
        );
        expect(Array.from(firstCells).map((c) => c.textContent)).toEqual(
            expect.arrayContaining(['112', '11', '2', '1', '14'])
        );
        // dry-run badge on the second run
        expect(rows[1].textContent).toContain('c.FSE_SyncMonitor_DryRun');
        const bar = element.shadowRoot.querySelector('[role="progressbar"]');
        expect(bar.getAttribute('aria-valuenow')).toBe('8');
        // the newest run is selected by default and its detail requested
        expect(getRunDetail.getLastConfig()).toEqual({ runId: 'a0B000000000002AAA' });
        expect(element.shadowRoot.querySelector('.fse-running-warning')).toBeNull();
    });

    it('shows the selected run report: counts per entity, masked rejects and failures', async () => {
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        getRunDetail.emit(mockRunDetail);
        await flush();
        const entityRows = element.shadowRoot.querySelectorAll('.fse-entities-table tbody tr');
        expect(entityRows).toHaveLength(2);
        expect(entityRows[1].querySelector('th').textContent).toBe(
            'c.FSE_SyncMonitor_EntityProfessionals'
        );
        expect(entityRows[1].querySelectorAll('td')[0].textContent).toBe('120');
        const rejects = element.shadowRoot.querySelectorAll('.fse-rejects-table tbody tr');
        expect(rejects).toHaveLength(2);
        expect(rejects[0].querySelector('th').textContent).toBe('RSS************X');
        expect(rejects[0].textContent).toContain('identifier: invalid check character');
        expect(element.shadowRoot.querySelector('.fse-rejects-more')).not.toBeNull();
        const failures = element.shadowRoot.querySelectorAll('.fse-failures-table tbody tr');
        expect(failures).toHaveLength(1);
        expect(failures[0].textContent).toContain('UNABLE_TO_LOCK_ROW');
        expect(element.shadowRoot.querySelector('.fse-warnings li').textContent).toBe(
            'API budget share reached 80%'
        );
        expect(element.shadowRoot.querySelector('.fse-taken-over')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.fse-no-issues')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says so when a run report cannot be read', async () => {
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        getRunDetail.emit({
            run: mockRunDetail.run,
            report: { available: false, unreadable: true, entities: [], rejects: [] }
        });
        await flush();
        expect(element.shadowRoot.querySelector('.fse-report-unreadable')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.fse-entities-table')).toBeNull();
    });

    it('shows the detail error when one run cannot be loaded', async () => {
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        getRunDetail.error({ message: 'Esecuzione non trovata' });
        await flush();
        const panels = element.shadowRoot.querySelectorAll('c-fse-state-panel');
        const errorPanel = Array.from(panels).find((p) => p.state === 'error');
        expect(errorPanel.error.body.message).toBe('Esecuzione non trovata');
    });

    it('loads another run when its details button is pressed', async () => {
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        const buttons = element.shadowRoot.querySelectorAll('button.fse-select');
        expect(buttons[0].getAttribute('aria-current')).toBe('true');
        buttons[1].click();
        await flush();
        expect(getRunDetail.getLastConfig()).toEqual({ runId: 'a0B000000000001AAA' });
        const updated = element.shadowRoot.querySelectorAll('button.fse-select');
        expect(updated[1].getAttribute('aria-current')).toBe('true');
        expect(updated[0].getAttribute('aria-current')).toBe('false');
    });

    it('publishes the chosen run request and confirms it', async () => {
        requestRun.mockResolvedValue('op-123');
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);

        const mode = element.shadowRoot.querySelector('lightning-radio-group.fse-mode');
        mode.dispatchEvent(new CustomEvent('change', { detail: { value: 'Full' } }));
        const entities = element.shadowRoot.querySelector('lightning-checkbox-group.fse-entities');
        entities.dispatchEvent(
            new CustomEvent('change', { detail: { value: ['professionals', 'consents'] } })
        );
        const reconcile = element.shadowRoot.querySelector('lightning-input.fse-reconcile');
        reconcile.checked = true;
        reconcile.dispatchEvent(new CustomEvent('change'));
        await flush();

        element.shadowRoot.querySelector('lightning-button.fse-submit').click();
        await flush();

        expect(requestRun).toHaveBeenCalledTimes(1);
        expect(requestRun).toHaveBeenCalledWith({
            mode: 'Full',
            entities: ['professionals', 'consents'],
            reconcile: true
        });
        expect(toastHandler).toHaveBeenCalledTimes(1);
        expect(toastHandler.mock.calls[0][0].detail.variant).toBe('success');
        expect(element.shadowRoot.querySelector('.fse-request-ok').textContent).toBe(
            'c.FSE_SyncMonitor_Requested'
        );
        await expect(element).toBeAccessible();
    });

    it('defaults to an incremental run of organisations and professionals', async () => {
        requestRun.mockResolvedValue('op-1');
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        element.shadowRoot.querySelector('lightning-button.fse-submit').click();
        await flush();
        expect(requestRun).toHaveBeenCalledWith({
            mode: 'Incremental',
            entities: ['organizations', 'professionals'],
            reconcile: false
        });
    });

    it('surfaces a failed request as an error toast and inline message', async () => {
        requestRun.mockRejectedValue({
            body: { message: 'La richiesta di sincronizzazione non è stata pubblicata' }
        });
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        element.shadowRoot.querySelector('lightning-button.fse-submit').click();
        await flush();
        expect(toastHandler.mock.calls[0][0].detail.variant).toBe('error');
        expect(toastHandler.mock.calls[0][0].detail.message).toBe(
            'La richiesta di sincronizzazione non è stata pubblicata'
        );
        expect(element.shadowRoot.querySelector('.fse-request-error').textContent).toContain(
            'non è stata pubblicata'
        );
        expect(element.shadowRoot.querySelector('lightning-button.fse-submit').disabled).toBe(
            false
        );
    });

    it('cannot submit without entities', async () => {
        const element = mount();
        getMonitorData.emit(mockMonitorData);
        await flush();
        const entities = element.shadowRoot.querySelector('lightning-checkbox-group.fse-entities');
        entities.dispatchEvent(new CustomEvent('change', { detail: { value: [] } }));
        await flush();
        const submit = element.shadowRoot.querySelector('lightning-button.fse-submit');
        expect(submit.disabled).toBe(true);
        submit.click();
        await flush();
        expect(requestRun).not.toHaveBeenCalled();
    });
});
