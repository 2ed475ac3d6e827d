import { createElement } from 'lwc';
import FseSelfAssessment from 'c/fseSelfAssessment';
import getSelfAssessment from '@salesforce/apex/FseAssessmentController.getSelfAssessment';
import submitSelfAssessment from '@salesforce/apex/FseAssessmentController.submitSelfAssessment';
import { getNavigateCalledWith } from 'lightning/navigation';

const mockQuestions = require('./data/getSelfAssessment.json');
const mockResult = require('./data/submitSelfAssessment.json');

jest.mock(
    '@salesforce/apex/FseAssessmentController.getSelfAssessment',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/FseAssessmentController.submitSelfAssessment',
    () => ({ default: jest.fn() }),
    { virtual: true }
);

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function renderWithQuestions() {
    const element = createElement('c-fse-self-assessment', { is: FseSelfAssessment });
    document.body.appendChild(element);
    getSelfAssessment.emit(mockQuestions);
    await flush();
    return element;
}
function answer(element, id, value) {
    $(element, `[data-id="${id}"]`).dispatchEvent(new CustomEvent('change', { detail: { value } }));
}
function submit(element) {
    $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
}

describe('c-fse-self-assessment', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading first', async () => {
        const element = createElement('c-fse-self-assessment', { is: FseSelfAssessment });
        document.body.appendChild(element);
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('renders one labelled radio group per question, options without answers', async () => {
        const element = await renderWithQuestions();
        const groups = $$(element, '.fse-question');
        expect(groups.length).toBe(2);
        expect(groups[0].label).toBe("1. Che cos'è il Fascicolo Sanitario Elettronico 2.0?");
        expect(groups[0].options.map((o) => o.value)).toEqual(['0', '1']);
        await expect(element).toBeAccessible();
    });

    it('shows empty and error states', async () => {
        const element = createElement('c-fse-self-assessment', { is: FseSelfAssessment });
        document.body.appendChild(element);
        getSelfAssessment.emit([]);
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('empty');
        getSelfAssessment.error({ message: 'Errore' });
        await flush();
        expect($(element, 'c-fse-state-panel').state).toBe('error');
    });

    it('asks to answer everything before calling the server', async () => {
        const element = await renderWithQuestions();
        answer(element, 'SA_01_Fondamenti', '1');
        submit(element);
        await flush();
        expect(submitSelfAssessment).not.toHaveBeenCalled();
        expect($(element, '.fse-validation').textContent.trim()).toBe('c.FSE_Assessment_AnswerAll');
    });

    it('sends the answers as option indexes and shows the result per category', async () => {
        submitSelfAssessment.mockResolvedValue(mockResult);
        const element = await renderWithQuestions();
        answer(element, 'SA_01_Fondamenti', '1');
        answer(element, 'SA_03_Privacy', '0');
        submit(element);
        await flush();
        expect(submitSelfAssessment).toHaveBeenCalledWith({
            answers: { SA_01_Fondamenti: 1, SA_03_Privacy: 0 }
        });
        expect($$(element, '.fse-category').length).toBe(2);
        expect($$(element, '.fse-gap').length).toBe(1);
        expect($(element, '.fse-question')).toBeNull();
        await expect(element).toBeAccessible();
        $(element, '.fse-recommendations lightning-button').click();
        expect(getNavigateCalledWith().pageReference.state.c__contentId).toBe('a01000000000005AAA');
    });

    it('shows a server error under the form', async () => {
        submitSelfAssessment.mockRejectedValue({ body: { message: 'Non disponibile' } });
        const element = await renderWithQuestions();
        answer(element, 'SA_01_Fondamenti', '1');
        answer(element, 'SA_03_Privacy', '1');
        submit(element);
        await flush();
        const panels = $$(element, 'c-fse-state-panel');
        expect(panels.some((p) => p.state === 'error')).toBe(true);
        expect($(element, '.fse-question')).not.toBeNull();
    });
});
