import { createElement } from 'lwc';
import ConsoleCaseRoutingInsight from 'c/consoleCaseRoutingInsight';
import getInsight from '@salesforce/apex/CaseRoutingController.getInsight';
import getTopicOptions from '@salesforce/apex/CaseRoutingController.getTopicOptions';
import reroute from '@salesforce/apex/CaseRoutingController.reroute';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

const mockInsight = require('./data/getInsight.json');
const mockTopics = require('./data/getTopicOptions.json');

jest.mock(
    '@salesforce/apex/CaseRoutingController.getInsight',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/CaseRoutingController.getTopicOptions',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/CaseRoutingController.reroute', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CaseRoutingController.searchFaqs', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CaseRoutingController.attachFaq', () => ({ default: jest.fn() }), {
    virtual: true
});

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-console-case-routing-insight', {
        is: ConsoleCaseRoutingInsight
    });
    element.recordId = '500000000000001AAA';
    document.body.appendChild(element);
    return element;
}

function statePanel(element) {
    return element.shadowRoot.querySelector('c-fse-state-panel');
}

jest.mock(
    '@salesforce/label/c.FSE_Console_Routing_SkillLevel',
    () => ({ default: '{0} (livello {1})' }),
    { virtual: true }
);

describe('c-console-case-routing-insight', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state until the insight arrives', async () => {
        const element = mount();
        await flush();
        expect(statePanel(element).state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('shows the matched rule, skills, priority and waiting time versus SLA', async () => {
        const element = mount();
        getInsight.emit(mockInsight);
        getTopicOptions.emit(mockTopics);
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-rule').textContent).toBe(
            'MMG/PLS - accesso e credenziali (milestone PNRR) (Apr_Access)'
        );
        expect(root.querySelector('.fse-target').textContent).toBe(
            'c.FSE_Console_Routing_TargetSkills'
        );
        expect(root.querySelector('.fse-priority').textContent).toBe('1');
        expect(root.querySelector('.fse-waiting').textContent).toBe(
            '75 / 60 c.FSE_Console_Minutes'
        );
        expect(root.querySelector('lightning-badge').label).toBe('c.FSE_Console_Routing_Overdue');
        const skills = root.querySelectorAll('.fse-skills li');
        expect(skills).toHaveLength(2);
        expect(skills[1].textContent).toContain('c.FSE_Console_Routing_Additional');
        expect(root.querySelectorAll('.fse-history li')).toHaveLength(1);
        expect(root.querySelector('.fse-history-summary').textContent.trim()).toBe(
            'c.FSE_Console_Kind_Initial · Apr_Access · c.FSE_Console_Routing_TargetSkills · P1'
        );
        const combobox = root.querySelector('lightning-combobox');
        expect(combobox.options.map((o) => o.value)).toEqual([
            '',
            'AccessCredentials',
            'TechnicalIssue'
        ]);
        await expect(element).toBeAccessible();
    });

    it('explains an unmatched case routed to the default queue', async () => {
        const element = mount();
        getInsight.emit({
            ...mockInsight,
            ruleName: null,
            ruleLabel: null,
            skillsBased: false,
            target: 'FSE_Support_Triage',
            skills: [],
            overdue: false,
            history: []
        });
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-rule').textContent).toBe('c.FSE_Console_Routing_NoRule');
        expect(root.querySelector('.fse-target').textContent).toBe('FSE_Support_Triage');
        expect(root.querySelector('lightning-badge').label).toBe('c.FSE_Console_Routing_WithinSla');
        expect(root.querySelector('.fse-skills')).toBeNull();
    });

    it('shows the empty state when the case has no routing data', async () => {
        const element = mount();
        getInsight.emit(null);
        await flush();
        expect(statePanel(element).state).toBe('empty');
        expect(statePanel(element).emptyMessage).toBe('c.FSE_Console_Routing_Empty');
        await expect(element).toBeAccessible();
    });

    it('shows a retryable error when the insight cannot be loaded', async () => {
        const element = mount();
        getInsight.error({ message: 'Caso non trovato' });
        await flush();
        const panel = statePanel(element);
        expect(panel.state).toBe('error');
        expect(panel.retryable).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('refuses to re-route without a reason and does not call Apex', async () => {
        const element = mount();
        getInsight.emit(mockInsight);
        await flush();
        const textarea = element.shadowRoot.querySelector('lightning-textarea');
        textarea.setCustomValidity = jest.fn();
        textarea.reportValidity = jest.fn();
        element.shadowRoot.querySelector('.fse-reroute').click();
        await flush();
        expect(reroute).not.toHaveBeenCalled();
        expect(textarea.setCustomValidity).toHaveBeenCalledWith(
            'c.FSE_Console_Error_RerouteReasonRequired'
        );
    });

    it('re-routes with the chosen topic and reason, then confirms with a toast', async () => {
        reroute.mockResolvedValue(mockInsight);
        const element = mount();
        getInsight.emit(mockInsight);
        getTopicOptions.emit(mockTopics);
        await flush();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        const root = element.shadowRoot;
        root.querySelector('lightning-combobox').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'TechnicalIssue' } })
        );
        root.querySelector('lightning-textarea').dispatchEvent(
            new CustomEvent('change', { detail: { value: '  Errore tecnico, non credenziali ' } })
        );
        root.querySelector('.fse-reroute').click();
        await flush();
        expect(reroute).toHaveBeenCalledWith({
            caseId: '500000000000001AAA',
            topic: 'TechnicalIssue',
            reason: 'Errore tecnico, non credenziali'
        });
        expect(toastHandler).toHaveBeenCalledTimes(1);
        expect(toastHandler.mock.calls[0][0].detail.variant).toBe('success');
    });

    it('shows an error toast when the re-route fails', async () => {
        reroute.mockRejectedValue({ body: { message: 'Reinstradamento non riuscito' } });
        const element = mount();
        getInsight.emit(mockInsight);
        await flush();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        element.shadowRoot
            .querySelector('lightning-textarea')
            .dispatchEvent(new CustomEvent('change', { detail: { value: 'Motivo valido' } }));
        element.shadowRoot.querySelector('.fse-reroute').click();
        await flush();
        expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'Reinstradamento non riuscito'
        });
    });

    it('shows skill labels, not API names, and the decision date with its separators', async () => {
        const element = mount();
        getInsight.emit(mockInsight);
        await flush();
        const root = element.shadowRoot;
        const skills = [...root.querySelectorAll('.fse-skills li')].map((li) => li.textContent);
        expect(skills[0]).toBe('Accesso e credenziali FSE (livello 5)');
        expect(skills.join(' ')).not.toContain('FSE_AccessCredentials');
        expect(root.querySelector('.fse-history-byline').textContent.trim()).toBe(
            '10/01/2025, 10:00 · Utente Automazione · Regola Apr_Access'
        );
    });
});
