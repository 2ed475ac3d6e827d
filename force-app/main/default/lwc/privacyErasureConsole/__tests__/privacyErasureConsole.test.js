import { createElement } from 'lwc';
import PrivacyErasureConsole from 'c/privacyErasureConsole';
import getRequests from '@salesforce/apex/GdprErasureController.getRequests';
import getRequestDetail from '@salesforce/apex/GdprErasureController.getRequestDetail';
import getMinimisation from '@salesforce/apex/GdprErasureController.getMinimisation';
import getPreview from '@salesforce/apex/GdprErasureController.getPreview';
import approve from '@salesforce/apex/GdprErasureController.approve';
import reject from '@salesforce/apex/GdprErasureController.reject';
import retry from '@salesforce/apex/GdprErasureController.retry';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

const mockRequests = require('./data/getRequests.json');
const mockDetail = require('./data/getRequestDetail.json');
const mockPreview = require('./data/getPreview.json');
const mockMinimisation = require('./data/getMinimisation.json');

jest.mock(
    '@salesforce/apex/GdprErasureController.getRequests',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/GdprErasureController.getRequestDetail',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/GdprErasureController.getMinimisation',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/GdprErasureController.getPreview', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/GdprErasureController.approve', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/GdprErasureController.reject', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/GdprErasureController.retry', () => ({ default: jest.fn() }), {
    virtual: true
});

const REQUEST_ID = 'a0B000000000001AAA';
const FAILED_ID = 'a0B000000000002AAA';

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

jest.mock(
    '@salesforce/label/c.FSE_Gdpr_MinimisationScheduled',
    () => ({ default: 'Pianificata: prossima esecuzione {0} ({1})' }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/label/c.FSE_Gdpr_CronDaily', () => ({ default: 'ogni giorno alle {0}' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.FSE_Gdpr_CronWeekly',
    () => ({ default: 'ogni settimana ({0}) alle {1}' }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/label/c.FSE_Gdpr_CronMonthly',
    () => ({ default: 'ogni mese il giorno {0} alle {1}' }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/label/c.FSE_Gdpr_CronCustom',
    () => ({ default: 'pianificazione personalizzata (espressione cron {0})' }),
    {
        virtual: true
    }
);

function render() {
    const element = createElement('c-privacy-erasure-console', { is: PrivacyErasureConsole });
    document.body.appendChild(element);
    return element;
}

async function renderWithQueue() {
    const element = render();
    getRequests.emit(mockRequests);
    getMinimisation.emit(mockMinimisation);
    await flush();
    return element;
}

async function openRequest(element, id, detail) {
    element.shadowRoot.querySelector(`button.fse-open[data-id="${id}"]`).click();
    getRequestDetail.emit(detail);
    await flush();
}

function typeInto(element, selector, value) {
    const input = element.shadowRoot.querySelector(selector);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change'));
}

function buttonByLabel(element, label) {
    return Array.from(element.shadowRoot.querySelectorAll('lightning-button')).find(
        (b) => b.label === label
    );
}

describe('c-privacy-erasure-console', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state until the queue arrives', async () => {
        const element = render();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-queue-state');
        expect(panel.state).toBe('loading');
        expect(element.shadowRoot.querySelector('table.fse-queue')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('lists the queue with translated type and status and filters by status', async () => {
        const element = await renderWithQueue();
        const rows = element.shadowRoot.querySelectorAll('table.fse-queue tbody tr');
        expect(rows).toHaveLength(2);
        expect(rows[0].textContent).toContain('RP-000001');
        expect(rows[0].textContent).toContain('c.FSE_Gdpr_TypeErasure');
        expect(rows[1].querySelector('.fse-status').textContent).toBe('c.FSE_Gdpr_StatusFailed');
        expect(getRequests.getLastConfig()).toEqual({ status: 'Requested' });

        const combobox = element.shadowRoot.querySelector('lightning-combobox.fse-filter');
        combobox.dispatchEvent(new CustomEvent('change', { detail: { value: 'Failed' } }));
        await flush();
        expect(getRequests.getLastConfig()).toEqual({ status: 'Failed' });
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when no request matches', async () => {
        const element = render();
        getRequests.emit([]);
        getMinimisation.emit(mockMinimisation);
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-queue-state');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Gdpr_QueueEmpty');
        await expect(element).toBeAccessible();
    });

    it('shows the error state with retry when the queue cannot be read', async () => {
        const element = render();
        getRequests.error({ message: 'Solo il responsabile privacy' });
        getMinimisation.emit(mockMinimisation);
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-queue-state');
        expect(panel.state).toBe('error');
        expect(panel.retryable).toBe(true);
        expect(panel.error).toBeTruthy();
        await expect(element).toBeAccessible();
    });

    it('opens a request: detail, audit counts and export download, focus on the heading', async () => {
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, mockDetail);
        expect(getRequestDetail.getLastConfig()).toEqual({ requestId: REQUEST_ID });
        const heading = element.shadowRoot.querySelector('.fse-detail-heading');
        expect(heading.textContent).toContain('c.FSE_Gdpr_DetailTitle');
        expect(element.shadowRoot.activeElement).toBe(heading);
        const audit = element.shadowRoot.querySelector('.fse-audit');
        expect(audit.textContent).toContain('EmailMessage');
        expect(audit.textContent).toContain('c.FSE_Gdpr_ActionDeleted');
        expect(audit.textContent).toContain('c.FSE_Gdpr_TombstoneWritten');
        const link = element.shadowRoot.querySelector('.fse-files a');
        expect(link.getAttribute('href')).toBe(
            '/sfc/servlet.shepherd/document/download/069000000000001AAA'
        );
        await expect(element).toBeAccessible();
    });

    it('shows the detail loading and error states', async () => {
        const element = await renderWithQueue();
        element.shadowRoot.querySelector(`button.fse-open[data-id="${REQUEST_ID}"]`).click();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-detail-state');
        expect(panel.state).toBe('loading');
        getRequestDetail.error({ message: 'boom' });
        await flush();
        expect(panel.state).toBe('error');
        expect(element.shadowRoot.querySelector('.fse-approve')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('computes the preview before approving and shows counts per object', async () => {
        getPreview.mockResolvedValue(mockPreview);
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, mockDetail);
        element.shadowRoot.querySelector('lightning-button.fse-preview').click();
        await flush();
        expect(getPreview).toHaveBeenCalledWith({ requestId: REQUEST_ID });
        const rows = element.shadowRoot.querySelectorAll('table.fse-preview-table tbody tr');
        expect(rows).toHaveLength(3);
        expect(rows[2].textContent).toContain('ContactPointTypeConsent');
        expect(rows[2].textContent).toContain('c.FSE_Gdpr_ActionDeleted');
        expect(rows[2].textContent).toContain('2');
        await expect(element).toBeAccessible();
    });

    it('shows an empty preview and a preview error', async () => {
        getPreview.mockResolvedValueOnce([]);
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, mockDetail);
        element.shadowRoot.querySelector('lightning-button.fse-preview').click();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-preview-state');
        expect(panel.state).toBe('empty');
        getPreview.mockRejectedValueOnce({ body: { message: 'Solo il responsabile privacy' } });
        element.shadowRoot.querySelector('lightning-button.fse-preview').click();
        await flush();
        expect(panel.state).toBe('error');
    });

    it('approves with reason and legal basis, toasts and refreshes', async () => {
        approve.mockResolvedValue();
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, mockDetail);
        const toast = jest.fn();
        element.addEventListener(ShowToastEventName, toast);
        typeInto(element, 'lightning-textarea.fse-reason', 'Richiesta fondata');
        typeInto(element, 'lightning-input.fse-legal-basis', 'Art. 17 GDPR');
        buttonByLabel(element, 'c.FSE_Gdpr_Approve').click();
        await flush();
        expect(approve).toHaveBeenCalledWith({
            requestId: REQUEST_ID,
            reason: 'Richiesta fondata',
            legalBasis: 'Art. 17 GDPR'
        });
        expect(toast).toHaveBeenCalledTimes(1);
        expect(toast.mock.calls[0][0].detail.variant).toBe('success');
        expect(toast.mock.calls[0][0].detail.title).toBe('c.FSE_Gdpr_ApprovedToast');
    });

    it('refuses to reject without reason and legal basis, then rejects with them', async () => {
        reject.mockResolvedValue();
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, mockDetail);
        buttonByLabel(element, 'c.FSE_Gdpr_Reject').click();
        await flush();
        expect(reject).not.toHaveBeenCalled();
        expect(element.shadowRoot.querySelector('.fse-action-error').textContent).toContain(
            'c.FSE_Gdpr_RejectNeedsReason'
        );
        typeInto(element, 'lightning-textarea.fse-reason', 'Obbligo di conservazione');
        typeInto(element, 'lightning-input.fse-legal-basis', 'Art. 17(3)(b) GDPR');
        buttonByLabel(element, 'c.FSE_Gdpr_Reject').click();
        await flush();
        expect(reject).toHaveBeenCalledWith({
            requestId: REQUEST_ID,
            reason: 'Obbligo di conservazione',
            legalBasis: 'Art. 17(3)(b) GDPR'
        });
        await expect(element).toBeAccessible();
    });

    it('shows the server message when approval is refused (no permission)', async () => {
        approve.mockRejectedValue({
            body: { message: 'Solo il responsabile privacy può decidere' }
        });
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, mockDetail);
        const toast = jest.fn();
        element.addEventListener(ShowToastEventName, toast);
        buttonByLabel(element, 'c.FSE_Gdpr_Approve').click();
        await flush();
        const alert = element.shadowRoot.querySelector('.fse-action-error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toContain('Solo il responsabile privacy può decidere');
        expect(toast.mock.calls[0][0].detail.variant).toBe('error');
    });

    it('offers retry for a failed request and shows the failure reason', async () => {
        retry.mockResolvedValue();
        const element = await renderWithQueue();
        const failed = {
            ...mockDetail,
            audits: [],
            files: [],
            request: { ...mockRequests[1] }
        };
        await openRequest(element, FAILED_ID, failed);
        expect(element.shadowRoot.querySelector('.fse-failure').textContent).toContain(
            'FIELD_CUSTOM_VALIDATION_EXCEPTION'
        );
        expect(element.shadowRoot.querySelector('.fse-approve')).toBeNull();
        expect(element.shadowRoot.querySelector('.fse-audit-empty')).not.toBeNull();
        buttonByLabel(element, 'c.FSE_Gdpr_Retry').click();
        await flush();
        expect(retry).toHaveBeenCalledWith({ requestId: FAILED_ID });
        await expect(element).toBeAccessible();
    });

    it('is read-only for a user without the privacy officer permission', async () => {
        const element = await renderWithQueue();
        await openRequest(element, REQUEST_ID, { ...mockDetail, canDecide: false });
        expect(element.shadowRoot.querySelector('.fse-readonly')).not.toBeNull();
        expect(element.shadowRoot.querySelector('.fse-approve')).toBeNull();
        expect(element.shadowRoot.querySelector('.fse-preview')).toBeNull();
    });

    it('shows the minimisation schedule and runs, empty runs and errors', async () => {
        const element = await renderWithQueue();
        // the next run and the cron expression in Italian words, not ISO and cron syntax
        expect(element.shadowRoot.querySelector('.fse-schedule').textContent).toBe(
            'Pianificata: prossima esecuzione 3 marzo 2025 alle ore 02:30 (ogni giorno alle 02:30)'
        );
        const run = element.shadowRoot.querySelector('table.fse-runs tbody tr');
        expect(run.textContent).toContain('FeedbackAggregation');
        expect(run.textContent).toContain('c.FSE_Gdpr_RuleAggregateThenDelete');
        expect(run.textContent).toContain('c.FSE_Gdpr_DryRun');
        expect(run.textContent).toContain('42');

        getMinimisation.emit({ scheduled: false, runs: [] });
        await flush();
        expect(element.shadowRoot.querySelector('.fse-schedule').textContent).toBe(
            'c.FSE_Gdpr_MinimisationNotScheduled'
        );
        expect(element.shadowRoot.querySelector('.fse-min-empty')).not.toBeNull();

        getMinimisation.error({ message: 'boom' });
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-min-state');
        expect(panel.state).toBe('error');
        await expect(element).toBeAccessible();
    });

    it.each([
        ['0 0 22 ? * MON,THU', 'ogni settimana (lunedì, giovedì) alle 22:00'],
        ['0 15 3 1 * ?', 'ogni mese il giorno 1 alle 03:15'],
        ['0 0/30 * * * ?', 'pianificazione personalizzata (espressione cron 0 0/30 * * * ?)']
    ])('describes the schedule %s as "%s"', async (cronExpression, words) => {
        const element = await renderWithQueue();
        getMinimisation.emit({
            scheduled: true,
            nextRunAt: '2025-03-03T21:00:00.000Z',
            cronExpression,
            runs: []
        });
        await flush();
        expect(element.shadowRoot.querySelector('.fse-schedule').textContent).toContain(
            `(${words})`
        );
    });
});
