import { createElement } from 'lwc';
import FseSurvey from 'c/fseSurvey';
import getSurvey from '@salesforce/apex/FseSurveyController.getSurvey';
import submitFeedback from '@salesforce/apex/FseSurveyController.submitFeedback';
import { CurrentPageReference } from 'lightning/navigation';

const mockSurvey = require('./data/getSurvey.json');

jest.mock(
    '@salesforce/apex/FseSurveyController.getSurvey',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/FseSurveyController.submitFeedback', () => ({ default: jest.fn() }), {
    virtual: true
});

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function render(survey = mockSurvey) {
    const element = createElement('c-fse-survey', { is: FseSurvey });
    document.body.appendChild(element);
    CurrentPageReference.emit({
        state: { c__surveyKey: 'CASE_SATISFACTION', c__caseId: '500000000000002AAA' }
    });
    await flush();
    if (survey) {
        getSurvey.emit(survey);
        await flush();
    }
    return element;
}
function change(element, selector, value) {
    $(element, selector).dispatchEvent(new CustomEvent('change', { detail: { value } }));
}
function submit(element) {
    $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
}

describe('c-fse-survey', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('loads the survey named in the page state for the case', async () => {
        const element = await render(null);
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        expect(getSurvey.getLastConfig()).toEqual({
            surveyKey: 'CASE_SATISFACTION',
            contentId: null,
            caseId: '500000000000002AAA'
        });
        await expect(element).toBeAccessible();
    });

    it('renders the rating and the configured questions', async () => {
        const element = await render();
        expect($(element, '.fse-rating').options.length).toBe(5);
        // a vertical scale: as a row of buttons "1 - per niente" wraps mid-label at 375 px
        expect($(element, '.fse-rating').type).toBe('radio');
        expect(element.shadowRoot.querySelectorAll('.fse-question').length).toBe(2);
        await expect(element).toBeAccessible();
    });

    it('requires a rating before sending', async () => {
        const element = await render();
        submit(element);
        await flush();
        expect(submitFeedback).not.toHaveBeenCalled();
        expect($(element, '.fse-validation').textContent.trim()).toBe(
            'c.FSE_Survey_RatingRequired'
        );
    });

    it('sends rating, answers and comment linked to the case, then thanks', async () => {
        submitFeedback.mockResolvedValue('a06000000000001AAA');
        const element = await render();
        change(element, '.fse-rating', '4');
        change(element, '[data-id="Survey_Case_01"]', 'Molto');
        change(element, '.fse-comment', 'Risposta chiara.');
        submit(element);
        await flush();
        expect(submitFeedback).toHaveBeenCalledWith({
            surveyKey: 'CASE_SATISFACTION',
            contentId: null,
            caseId: '500000000000002AAA',
            rating: 4,
            answers: { Survey_Case_01: 'Molto' },
            comment: 'Risposta chiara.'
        });
        expect($(element, '.fse-thanks')).not.toBeNull();
        expect($(element, 'form')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the server refusal under the form', async () => {
        submitFeedback.mockRejectedValue({ body: { message: 'Non consentito' } });
        const element = await render();
        change(element, '.fse-rating', '2');
        submit(element);
        await flush();
        expect($(element, 'form c-fse-state-panel').state).toBe('error');
    });

    it('says when the survey was already answered, and shows errors', async () => {
        const element = await render({ ...mockSurvey, alreadySubmitted: true });
        expect($(element, '.fse-already')).not.toBeNull();
        expect($(element, 'form')).toBeNull();
        getSurvey.error({ message: 'Errore' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
    });
});
