import { createElement } from 'lwc';
import ConsoleCampaignAudienceBuilder from 'c/consoleCampaignAudienceBuilder';
import getCriteriaOptions from '@salesforce/apex/CampaignAudienceController.getCriteriaOptions';
import preview from '@salesforce/apex/CampaignAudienceController.preview';
import addMembers from '@salesforce/apex/CampaignAudienceController.addMembers';
import { ShowToastEventName } from 'lightning/platformShowToastEvent';

const mockOptions = require('./data/getCriteriaOptions.json');
const mockPreview = require('./data/preview.json');
const mockAdd = require('./data/addMembers.json');

jest.mock(
    '@salesforce/apex/CampaignAudienceController.getCriteriaOptions',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/CampaignAudienceController.preview', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/CampaignAudienceController.addMembers',
    () => ({ default: jest.fn() }),
    { virtual: true }
);

const CAMPAIGN_ID = '701000000000001AAA';

// eslint-disable-next-line @lwc/lwc/no-async-operation
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-console-campaign-audience-builder', {
        is: ConsoleCampaignAudienceBuilder
    });
    element.recordId = CAMPAIGN_ID;
    document.body.appendChild(element);
    return element;
}

async function mountWithOptions() {
    const element = mount();
    getCriteriaOptions.emit(mockOptions);
    await flush();
    return element;
}

function change(element, selector, value) {
    element.shadowRoot
        .querySelector(selector)
        .dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function click(element, selector) {
    element.shadowRoot.querySelector(selector).click();
}

function resultState(element) {
    return element.shadowRoot.querySelector('c-fse-state-panel.fse-result-state');
}

function criteriaOf(mockFn) {
    return JSON.parse(mockFn.mock.calls[0][0].criteriaJson);
}

describe('c-console-campaign-audience-builder', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows the loading state until the criteria options arrive', async () => {
        const element = mount();
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel');
        expect(panel.state).toBe('loading');
        expect(element.shadowRoot.querySelector('lightning-dual-listbox')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows a retryable error when the criteria options cannot be loaded', async () => {
        const element = mount();
        getCriteriaOptions.error({ message: 'Opzioni non disponibili' });
        await flush();
        const panel = element.shadowRoot.querySelector('c-fse-state-panel.fse-options-error');
        expect(panel.state).toBe('error');
        expect(panel.retryable).toBe(true);
        expect(element.shadowRoot.querySelector('.fse-preview')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('retries loading the criteria options, then renders the form', async () => {
        const element = mount();
        getCriteriaOptions.error({ message: 'Opzioni non disponibili' });
        await flush();
        element.shadowRoot
            .querySelector('c-fse-state-panel.fse-options-error')
            .dispatchEvent(new CustomEvent('retry'));
        await flush();
        expect(element.shadowRoot.querySelector('c-fse-state-panel').state).toBe('loading');
        getCriteriaOptions.emit(mockOptions);
        await flush();
        expect(element.shadowRoot.querySelectorAll('lightning-dual-listbox')).toHaveLength(2);
    });

    it('renders the criteria form with the picklist options and an "any" enrolment status', async () => {
        const element = await mountWithOptions();
        const root = element.shadowRoot;
        const [categories, roles] = root.querySelectorAll('lightning-dual-listbox');
        expect(categories.label).toBe('c.FSE_Campaign_Categories');
        expect(categories.options.map((o) => o.value)).toEqual(['MMG', 'PLS', 'Farmacista']);
        expect(roles.label).toBe('c.FSE_Campaign_Roles');
        expect(roles.options.map((o) => o.value)).toEqual(['APR', 'INF']);
        const status = root.querySelector('lightning-combobox');
        expect(status.options[0]).toEqual({ label: 'c.FSE_Campaign_Any', value: '' });
        expect(status.options).toHaveLength(5);
        expect(root.querySelector('.fse-consent-note').textContent).toBe(
            'c.FSE_Campaign_ConsentNote'
        );
        expect(root.querySelector('.fse-hint').textContent).toBe('c.FSE_Campaign_PreviewHint');
        // Nothing can be added before a preview.
        expect(root.querySelector('.fse-add').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('previews with the chosen criteria and shows matched, eligible and excluded by reason', async () => {
        preview.mockResolvedValue(mockPreview);
        const element = await mountWithOptions();
        change(element, 'lightning-dual-listbox[data-id="categories"]', ['MMG', 'PLS']);
        change(element, 'lightning-input[data-id="orgCodes"]', ' 030101, 030102 ;;');
        change(element, 'lightning-dual-listbox[data-id="roles"]', ['APR']);
        change(element, 'lightning-input[data-id="maxScore"]', '60');
        change(element, 'lightning-combobox', 'Completed');
        await flush();
        click(element, '.fse-preview');
        await flush();

        expect(preview).toHaveBeenCalledTimes(1);
        expect(preview.mock.calls[0][0].campaignId).toBe(CAMPAIGN_ID);
        expect(criteriaOf(preview)).toEqual({
            targetCategories: ['MMG', 'PLS'],
            orgCodes: ['030101', '030102'],
            roles: ['APR'],
            maxOverallScore: 60,
            enrollmentStatus: 'Completed'
        });
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-matched').textContent).toBe('120');
        expect(root.querySelector('.fse-eligible').textContent).toBe('90');
        expect(root.querySelector('.fse-excluded-total').textContent).toBe('30');
        const reasons = Array.from(root.querySelectorAll('.fse-excluded li'));
        expect(reasons.map((li) => li.dataset.reason)).toEqual([
            'AlreadyMember',
            'NoConsent',
            'NotOptIn'
        ]);
        expect(reasons[1].textContent).toBe('c.FSE_Campaign_Reason_NoConsent: 18');
        expect(root.querySelector('.fse-capped')).toBeNull();
        expect(root.querySelector('.fse-add').disabled).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('sends empty criteria when nothing is chosen', async () => {
        preview.mockResolvedValue(mockPreview);
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        expect(criteriaOf(preview)).toEqual({
            targetCategories: [],
            orgCodes: [],
            roles: [],
            maxOverallScore: null,
            enrollmentStatus: null
        });
    });

    it('says when the evaluation hit the configured cap and when nobody is excluded', async () => {
        preview.mockResolvedValue({
            matched: 5000,
            eligible: 5000,
            added: 0,
            capped: true,
            limitUsed: 5000,
            excluded: {}
        });
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-capped').textContent).toBe('c.FSE_Campaign_Capped (5000)');
        expect(root.querySelector('.fse-excluded')).toBeNull();
        expect(root.querySelector('.fse-no-excluded').textContent).toBe(
            'c.FSE_Campaign_NoExcluded'
        );
        await expect(element).toBeAccessible();
    });

    it('shows the empty state when no professional matches, and nothing can be added', async () => {
        preview.mockResolvedValue({
            matched: 0,
            eligible: 0,
            added: 0,
            capped: false,
            limitUsed: 5000,
            excluded: {}
        });
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        const panel = resultState(element);
        expect(panel.state).toBe('empty');
        expect(panel.emptyMessage).toBe('c.FSE_Campaign_NoMatch');
        expect(element.shadowRoot.querySelector('.fse-add').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('keeps Add disabled when matched professionals are all excluded', async () => {
        preview.mockResolvedValue({
            matched: 4,
            eligible: 0,
            added: 0,
            capped: false,
            limitUsed: 5000,
            excluded: { OptedOutSolicit: 4 }
        });
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-excluded li').textContent).toBe(
            'c.FSE_Campaign_Reason_OptedOutSolicit: 4'
        );
        expect(root.querySelector('.fse-add').disabled).toBe(true);
    });

    it('shows the loading state while the preview runs', async () => {
        let resolvePreview;
        preview.mockReturnValue(
            new Promise((resolve) => {
                resolvePreview = resolve;
            })
        );
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        expect(resultState(element).state).toBe('loading');
        expect(element.shadowRoot.querySelector('.fse-preview').disabled).toBe(true);
        await expect(element).toBeAccessible();
        resolvePreview(mockPreview);
        await flush();
        expect(resultState(element)).toBeNull();
        expect(element.shadowRoot.querySelector('.fse-matched').textContent).toBe('120');
    });

    it('shows the preview error (e.g. campaign without purpose or channel) with a retry', async () => {
        preview.mockRejectedValueOnce({
            body: { message: 'Imposta finalità e canale della campagna.' }
        });
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        const panel = resultState(element);
        expect(panel.state).toBe('error');
        expect(panel.error.body.message).toBe('Imposta finalità e canale della campagna.');
        expect(element.shadowRoot.querySelector('.fse-add').disabled).toBe(true);
        await expect(element).toBeAccessible();

        preview.mockResolvedValueOnce(mockPreview);
        panel.dispatchEvent(new CustomEvent('retry'));
        await flush();
        expect(preview).toHaveBeenCalledTimes(2);
        expect(element.shadowRoot.querySelector('.fse-eligible').textContent).toBe('90');
    });

    it('adds the eligible professionals with the same criteria and confirms with a toast', async () => {
        preview.mockResolvedValue(mockPreview);
        addMembers.mockResolvedValue(mockAdd);
        const element = await mountWithOptions();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        change(element, 'lightning-dual-listbox[data-id="roles"]', ['INF']);
        await flush();
        click(element, '.fse-preview');
        await flush();
        click(element, '.fse-add');
        await flush();

        expect(addMembers).toHaveBeenCalledTimes(1);
        expect(addMembers.mock.calls[0][0].campaignId).toBe(CAMPAIGN_ID);
        expect(criteriaOf(addMembers)).toEqual(criteriaOf(preview));
        expect(criteriaOf(addMembers).roles).toEqual(['INF']);
        expect(toastHandler).toHaveBeenCalledTimes(1);
        const toast = toastHandler.mock.calls[0][0].detail;
        expect(toast.variant).toBe('success');
        expect(toast.title).toBe('c.FSE_Campaign_Added');
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-added').textContent).toBe('90');
        expect(root.querySelector('.fse-excluded-total').textContent).toBe('30');
        // The same audience cannot be added twice without a new preview.
        expect(root.querySelector('.fse-add').disabled).toBe(true);
        expect(root.activeElement).toBe(root.querySelector('.fse-result-heading'));
        await expect(element).toBeAccessible();
    });

    it('shows an error toast when adding members fails and keeps the preview', async () => {
        preview.mockResolvedValue(mockPreview);
        addMembers.mockRejectedValue({ body: { message: 'Operazione non riuscita.' } });
        const element = await mountWithOptions();
        const toastHandler = jest.fn();
        element.addEventListener(ShowToastEventName, toastHandler);
        click(element, '.fse-preview');
        await flush();
        click(element, '.fse-add');
        await flush();
        expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'Operazione non riuscita.'
        });
        expect(element.shadowRoot.querySelector('.fse-eligible').textContent).toBe('90');
        expect(element.shadowRoot.querySelector('.fse-added')).toBeNull();
    });

    it('drops the preview when the criteria change', async () => {
        preview.mockResolvedValue(mockPreview);
        const element = await mountWithOptions();
        click(element, '.fse-preview');
        await flush();
        expect(element.shadowRoot.querySelector('.fse-matched')).not.toBeNull();
        change(element, 'lightning-combobox', 'Enrolled');
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.fse-matched')).toBeNull();
        expect(root.querySelector('.fse-hint')).not.toBeNull();
        expect(root.querySelector('.fse-add').disabled).toBe(true);
    });

    it('does not call Apex when the score is out of range', async () => {
        const element = await mountWithOptions();
        const score = element.shadowRoot.querySelector('lightning-input[data-id="maxScore"]');
        score.reportValidity = jest.fn(() => false);
        click(element, '.fse-preview');
        await flush();
        expect(score.reportValidity).toHaveBeenCalled();
        expect(preview).not.toHaveBeenCalled();
    });
});
