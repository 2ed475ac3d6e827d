import { createElement } from 'lwc';
import ConsoleProfessional360 from 'c/consoleProfessional360';
import getProfile from '@salesforce/apex/Professional360Controller.getProfile';

const mockProfile = require('./data/getProfile.json');

jest.mock(
    '@salesforce/apex/Professional360Controller.getProfile',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-console-professional-360', { is: ConsoleProfessional360 });
    element.recordId = '500000000000001AAA';
    document.body.appendChild(element);
    return element;
}

describe('c-console-professional-360', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state first', async () => {
        const element = mount();
        await flush();
        expect(element.shadowRoot.querySelector('c-fse-state-panel').state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('shows the professional with masked fiscal code, enrolments, scores, consents, cases and campaigns', async () => {
        const element = mount();
        getProfile.emit(mockProfile);
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-name').textContent).toBe('Prova Professionista 1');
        expect(root.querySelector('.fse-name').getAttribute('href')).toBe(
            '/lightning/r/003000000000001AAA/view'
        );
        expect(root.querySelector('.fse-cf').textContent).toBe('TST************K');
        // picklists arrive as labels (toLabel() in Professional360Controller), never API values
        expect(root.querySelector('.fse-role').textContent).toBe(
            'APR - Medico di medicina generale / Pediatra di libera scelta'
        );
        expect(root.querySelector('.fse-category').textContent).toBe(
            'Medico di medicina generale (MMG)'
        );
        expect(root.querySelector('.fse-registry-status').textContent).toBe('Attivo');
        expect(root.querySelector('.fse-enrollments li').textContent).toContain('In corso');
        expect(root.querySelector('lightning-progress-bar').value).toBe(40);
        expect(root.querySelectorAll('.fse-scores li')).toHaveLength(2);
        expect(root.querySelector('.fse-consents li').textContent).toBe(
            'Formazione · E-mail: Consenso dato'
        );
        expect(root.querySelector('.fse-open-cases li').textContent).toContain('00001001');
        expect(root.querySelector('.fse-past-cases')).toBeNull();
        expect(root.querySelector('.fse-open-cases li').textContent).toContain('Nuovo');
        expect(root.querySelector('.fse-campaigns li').textContent).toBe(
            'Richiamo formazione · Inviato · Raggiunto'
        );
        const text = root.textContent;
        for (const apiValue of ['Active', 'InProgress', 'OptIn', 'Reached', 'Sent']) {
            expect(text).not.toContain(apiValue);
        }
        expect(root.querySelector('.fse-calls')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when no professional is linked', async () => {
        const element = mount();
        getProfile.emit(null);
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Console_360_Empty');
        await expect(element).toBeAccessible();
    });

    it('shows a retryable error', async () => {
        const element = mount();
        getProfile.error({ message: 'Profilo non disponibile' });
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('error');
        expect(panel.retryable).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('shows call dates and scores in the Italian format', async () => {
        const element = mount();
        getProfile.emit({
            ...mockProfile,
            scores: [{ label: 'Privacy', value: 42.5 }],
            calls: [
                {
                    Id: '00T000000000001AAA',
                    Subject: 'Chiamata',
                    CallDisposition: 'Richiamare',
                    ActivityDate: '2025-03-04'
                }
            ]
        });
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-scores li').textContent).toBe('Privacy: 42,5');
        expect(root.querySelector('.fse-calls li').textContent).toBe(
            '4 mar 2025 · Chiamata · Richiamare'
        );
    });
});
