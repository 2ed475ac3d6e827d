// Automatic refresh (fake timers: no accessibility assertions here, axe does not run under them).
import { createElement } from 'lwc';
import ConsoleKpiStrip from 'c/consoleKpiStrip';
import getKpis from '@salesforce/apex/ConsoleKpiController.getKpis';

const mockKpis = require('./data/getKpis.json');

jest.mock('@salesforce/apex/ConsoleKpiController.getKpis', () => ({ default: jest.fn() }), {
    virtual: true
});

function mount(pollSeconds) {
    const element = createElement('c-console-kpi-strip', { is: ConsoleKpiStrip });
    element.pollSeconds = pollSeconds;
    document.body.appendChild(element);
    return element;
}

describe('c-console-kpi-strip polling', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        getKpis.mockResolvedValue(mockKpis);
    });
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('refreshes every pollSeconds and stops when removed from the page', () => {
        const element = mount(300);
        expect(getKpis).toHaveBeenCalledTimes(1);
        jest.advanceTimersByTime(299 * 1000);
        expect(getKpis).toHaveBeenCalledTimes(1);
        jest.advanceTimersByTime(1000);
        expect(getKpis).toHaveBeenCalledTimes(2);
        document.body.removeChild(element);
        jest.advanceTimersByTime(600 * 1000);
        expect(getKpis).toHaveBeenCalledTimes(2);
    });

    it('never polls faster than once a minute', () => {
        mount(5);
        jest.advanceTimersByTime(59 * 1000);
        expect(getKpis).toHaveBeenCalledTimes(1);
        jest.advanceTimersByTime(1000);
        expect(getKpis).toHaveBeenCalledTimes(2);
    });

    it('does not poll with pollSeconds 0', () => {
        mount(0);
        jest.advanceTimersByTime(3600 * 1000);
        expect(getKpis).toHaveBeenCalledTimes(1);
    });
});
