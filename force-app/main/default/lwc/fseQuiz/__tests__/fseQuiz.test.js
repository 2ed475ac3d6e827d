import { createElement } from 'lwc';
import FseQuiz from 'c/fseQuiz';
import getQuiz from '@salesforce/apex/FseAssessmentController.getQuiz';
import submitQuiz from '@salesforce/apex/FseAssessmentController.submitQuiz';

const mockQuiz = require('./data/getQuiz.json');
const mockResult = require('./data/submitQuiz.json');

jest.mock('@salesforce/apex/FseAssessmentController.getQuiz', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/FseAssessmentController.submitQuiz', () => ({ default: jest.fn() }), {
    virtual: true
});

const flush = async () => {
    for (let i = 0; i < 10; i++) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

jest.mock(
    '@salesforce/label/c.FSE_Quiz_Credits',
    () => ({ default: 'Crediti ECM riconosciuti: {0}' }),
    { virtual: true }
);

async function render(contentId = 'a01000000000001AAA') {
    const element = createElement('c-fse-quiz', { is: FseQuiz });
    element.contentId = contentId;
    document.body.appendChild(element);
    await flush();
    return element;
}
function answerAll(element) {
    $$(element, '.fse-question').forEach((group) =>
        group.dispatchEvent(new CustomEvent('change', { detail: { value: '1' } }))
    );
}
function submit(element) {
    $(element, 'form').dispatchEvent(new CustomEvent('submit', { cancelable: true }));
}

describe('c-fse-quiz', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    it('shows loading while the test is fetched for the course', async () => {
        getQuiz.mockReturnValue(new Promise(() => {}));
        const element = await render();
        expect(getQuiz).toHaveBeenCalledWith({ contentId: 'a01000000000001AAA' });
        expect($(element, 'c-fse-state-panel').state).toBe('loading');
        await expect(element).toBeAccessible();
    });

    it('renders the questions and the rules from configuration', async () => {
        getQuiz.mockResolvedValue(mockQuiz);
        const element = await render();
        expect($$(element, '.fse-question').length).toBe(2);
        expect($(element, '.fse-rules').textContent).toBe('c.FSE_Quiz_Rules');
        await expect(element).toBeAccessible();
    });

    it('shows the empty state without a course and the error state on failure', async () => {
        const empty = await render(null);
        expect($(empty, 'c-fse-state-panel').state).toBe('empty');
        expect(getQuiz).not.toHaveBeenCalled();
        getQuiz.mockRejectedValue({
            body: { message: 'Per svolgere il test devi essere iscritto' }
        });
        const failing = await render();
        expect($(failing, 'c-fse-state-panel').state).toBe('error');
        await expect(failing).toBeAccessible();
    });

    it('sends the answers as indexes and shows a passed result with credits', async () => {
        getQuiz.mockResolvedValue(mockQuiz);
        submitQuiz.mockResolvedValue(mockResult);
        const element = await render();
        answerAll(element);
        submit(element);
        await flush();
        expect(submitQuiz).toHaveBeenCalledWith({
            contentId: 'a01000000000001AAA',
            answers: { Quiz_FOND101_01: 1, Quiz_FOND101_02: 1 }
        });
        expect($(element, '.fse-result h3').textContent).toBe('c.FSE_Quiz_Passed');
        expect($(element, '.fse-score').textContent).toBe('c.FSE_Quiz_Score');
        expect($(element, '.fse-credits').textContent).toBe('Crediti ECM riconosciuti: 1,5');
        expect($(element, '.fse-try-again')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('offers another attempt after a failed one while attempts remain, without a score', async () => {
        getQuiz.mockResolvedValue(mockQuiz);
        // Not final: the server sends neither score nor correct count (they would reveal the key).
        submitQuiz.mockResolvedValue({
            isFinal: false,
            passed: false,
            score: null,
            correctCount: null,
            questionCount: 2,
            attemptsLeft: 1
        });
        const element = await render();
        answerAll(element);
        submit(element);
        await flush();
        expect($(element, '.fse-result h3').textContent).toBe('c.FSE_Quiz_Failed');
        expect($(element, '.fse-score')).toBeNull();
        expect($(element, '.fse-attempts').textContent).toBe('c.FSE_Quiz_AttemptsLeft');
        $(element, '.fse-try-again').click();
        await flush();
        expect($$(element, '.fse-question').length).toBe(2);
    });

    it('does not submit until every question is answered', async () => {
        getQuiz.mockResolvedValue(mockQuiz);
        const element = await render();
        submit(element);
        await flush();
        expect(submitQuiz).not.toHaveBeenCalled();
        expect($(element, '.fse-validation')).not.toBeNull();
    });

    it('blocks the form when attempts are used up or the test is passed', async () => {
        getQuiz.mockResolvedValue({ ...mockQuiz, attemptsUsed: 2 });
        const element = await render();
        expect($(element, 'form')).toBeNull();
        expect($(element, '.fse-blocked').textContent).toBe('c.FSE_Quiz_NoAttempts');
        getQuiz.mockResolvedValue({ ...mockQuiz, passed: true });
        const passed = await render('a01000000000009AAA');
        expect($(passed, '.fse-blocked').textContent).toBe('c.FSE_Quiz_AlreadyPassed');
    });
});
