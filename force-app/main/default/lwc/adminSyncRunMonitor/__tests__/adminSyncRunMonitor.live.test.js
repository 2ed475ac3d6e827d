// Live view of a running run: polling with refreshApex on an interval (fake timers, so no
// accessibility assertions in this file).
import { createElement } from 'lwc';
import AdminSyncRunMonitor from 'c/adminSyncRunMonitor';
import getMonitorData from '@salesforce/apex/SyncRunMonitorController.getMonitorData';
import getRunDetail from '@salesforce/apex/SyncRunMonitorController.getRunDetail';
import { refreshApex } from '@salesforce/apex';

const mockMonitorData = require('./data/getMonitorData.json');
const mockRunDetail = require('./data/getRunDetail.json');

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
    virtual: true
});
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

function runningData() {
    const data = JSON.parse(JSON.stringify(mockMonitorData));
    data.runs[0] = {
        ...data.runs[0],
        status: 'Running',
        statusLabel: 'In corso',
        isRunning: true,
        finishedAt: null
    };
    data.hasRunning = true;
    return data;
}

describe('c-admin-sync-run-monitor live view', () => {
    beforeEach(() => {
        jest.useFakeTimers();
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('refreshes runs and the running run every pollSeconds while a run is in progress', async () => {
        const element = createElement('c-admin-sync-run-monitor', { is: AdminSyncRunMonitor });
        element.pollSeconds = 15;
        document.body.appendChild(element);
        getMonitorData.emit(runningData());
        getRunDetail.emit({ ...mockRunDetail, run: { ...mockRunDetail.run, isRunning: true } });
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('.fse-live')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.fse-running-warning')).not.toBeNull();
        expect(refreshApex).not.toHaveBeenCalled();

        jest.advanceTimersByTime(14000);
        expect(refreshApex).not.toHaveBeenCalled();
        jest.advanceTimersByTime(1000);
        // monitor wire + selected run wire
        expect(refreshApex).toHaveBeenCalledTimes(2);
        jest.advanceTimersByTime(15000);
        expect(refreshApex).toHaveBeenCalledTimes(4);
    });

    it('stops polling when the run has finished', async () => {
        const element = createElement('c-admin-sync-run-monitor', { is: AdminSyncRunMonitor });
        document.body.appendChild(element);
        getMonitorData.emit(runningData());
        await Promise.resolve();
        jest.advanceTimersByTime(10000);
        const callsWhileRunning = refreshApex.mock.calls.length;
        expect(callsWhileRunning).toBeGreaterThan(0);

        getMonitorData.emit(mockMonitorData);
        await Promise.resolve();
        jest.advanceTimersByTime(60000);
        expect(refreshApex.mock.calls.length).toBe(callsWhileRunning);
        expect(element.shadowRoot.querySelector('.fse-live')).toBeNull();
    });

    it('does not poll when nothing is running, and stops when removed', async () => {
        const element = createElement('c-admin-sync-run-monitor', { is: AdminSyncRunMonitor });
        document.body.appendChild(element);
        getMonitorData.emit(mockMonitorData);
        await Promise.resolve();
        jest.advanceTimersByTime(60000);
        expect(refreshApex).not.toHaveBeenCalled();

        getMonitorData.emit(runningData());
        await Promise.resolve();
        document.body.removeChild(element);
        jest.advanceTimersByTime(60000);
        expect(refreshApex).not.toHaveBeenCalled();
    });
});
