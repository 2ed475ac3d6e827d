import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import getQuiz from '@salesforce/apex/FseAssessmentController.getQuiz';
import submitQuiz from '@salesforce/apex/FseAssessmentController.submitQuiz';
import { format, formatNumber, numericAnswers, questionRows } from 'c/fsePortalUtils';
import NO_CONTENT from '@salesforce/label/c.FSE_Catalog_NoContent';
import EMPTY from '@salesforce/label/c.FSE_Assessment_Empty';
import ANSWER_ALL from '@salesforce/label/c.FSE_Assessment_AnswerAll';
import RULES from '@salesforce/label/c.FSE_Quiz_Rules';
import SUBMIT from '@salesforce/label/c.FSE_Quiz_Submit';
import PASSED from '@salesforce/label/c.FSE_Quiz_Passed';
import FAILED from '@salesforce/label/c.FSE_Quiz_Failed';
import SCORE from '@salesforce/label/c.FSE_Quiz_Score';
import ATTEMPTS_LEFT from '@salesforce/label/c.FSE_Quiz_AttemptsLeft';
import CREDITS from '@salesforce/label/c.FSE_Quiz_Credits';
import ALREADY_PASSED from '@salesforce/label/c.FSE_Quiz_AlreadyPassed';
import NO_ATTEMPTS from '@salesforce/label/c.FSE_Quiz_NoAttempts';
import TRY_AGAIN from '@salesforce/label/c.FSE_Quiz_TryAgain';

/** Learning test of a course. The browser never receives the correct answers. */
export default class FseQuiz extends LightningElement {
    @api contentId;

    labels = { submit: SUBMIT, tryAgain: TRY_AGAIN, empty: EMPTY, noContent: NO_CONTENT };
    pageContentId;
    quiz;
    error;
    loading = false;
    loadedFor;
    answers = {};
    validationMessage;
    submitting = false;
    submitError;
    result;

    @wire(CurrentPageReference)
    wiredPage(pageRef) {
        this.pageContentId = pageRef && pageRef.state ? pageRef.state.c__contentId : undefined;
        this.load();
    }

    connectedCallback() {
        this.load();
    }

    get recordId() {
        return this.contentId || this.pageContentId;
    }

    async load() {
        if (!this.recordId || this.loading || this.loadedFor === this.recordId) {
            return;
        }
        this.loading = true;
        this.loadedFor = this.recordId;
        this.error = undefined;
        try {
            this.quiz = await getQuiz({ contentId: this.recordId });
        } catch (error) {
            this.error = error;
            this.quiz = undefined;
        } finally {
            this.loading = false;
        }
    }

    get state() {
        if (!this.recordId) {
            return 'empty';
        }
        if (this.error) {
            return 'error';
        }
        if (!this.quiz) {
            return 'loading';
        }
        return this.quiz.questions.length ? 'data' : 'empty';
    }
    get emptyMessage() {
        return this.recordId ? EMPTY : NO_CONTENT;
    }
    get noAttemptsLeft() {
        return (
            this.quiz.maxAttempts !== null &&
            this.quiz.maxAttempts !== undefined &&
            this.quiz.attemptsUsed >= this.quiz.maxAttempts
        );
    }
    get blockedMessage() {
        if (this.state !== 'data' || this.result) {
            return undefined;
        }
        if (this.quiz.passed) {
            return ALREADY_PASSED;
        }
        return this.noAttemptsLeft ? NO_ATTEMPTS : undefined;
    }
    get showForm() {
        return this.state === 'data' && !this.result && !this.blockedMessage;
    }
    get rulesText() {
        return format(
            RULES,
            this.quiz.passMarkPercent,
            this.quiz.attemptsUsed,
            this.quiz.maxAttempts === null || this.quiz.maxAttempts === undefined
                ? '∞'
                : this.quiz.maxAttempts
        );
    }
    get questionRows() {
        return questionRows(this.quiz.questions, this.answers);
    }
    get resultTitle() {
        return this.result.passed ? PASSED : FAILED;
    }
    get resultClass() {
        return `slds-box slds-m-top_medium fse-result ${
            this.result.passed ? 'slds-theme_success' : 'slds-theme_warning'
        }`;
    }
    /** The server returns the score only for a final attempt (passed or the last allowed). */
    get hasScore() {
        return this.result && this.result.score !== null && this.result.score !== undefined;
    }
    get scoreText() {
        return format(
            SCORE,
            this.result.score,
            this.result.correctCount,
            this.result.questionCount
        );
    }
    get attemptsLeftText() {
        return this.result.attemptsLeft === null || this.result.attemptsLeft === undefined
            ? ''
            : format(ATTEMPTS_LEFT, this.result.attemptsLeft);
    }
    get creditsText() {
        return this.result.passed && this.result.ecmCreditsAwarded
            ? format(CREDITS, formatNumber(this.result.ecmCreditsAwarded))
            : '';
    }
    get canTryAgain() {
        return this.result && !this.result.passed && this.result.attemptsLeft !== 0;
    }

    handleAnswer(event) {
        this.answers = { ...this.answers, [event.target.dataset.id]: event.detail.value };
        this.validationMessage = undefined;
    }

    async handleSubmit(event) {
        event.preventDefault();
        const answers = numericAnswers(this.quiz.questions, this.answers);
        if (!answers) {
            this.validationMessage = ANSWER_ALL;
            return;
        }
        this.submitting = true;
        this.submitError = undefined;
        try {
            this.result = await submitQuiz({ contentId: this.recordId, answers });
            await Promise.resolve();
            const heading = this.template.querySelector('.fse-result h3');
            if (heading) {
                heading.focus();
            }
        } catch (error) {
            this.submitError = error;
        } finally {
            this.submitting = false;
        }
    }

    handleTryAgain() {
        this.quiz = { ...this.quiz, attemptsUsed: this.quiz.attemptsUsed + 1 };
        this.result = undefined;
        this.answers = {};
    }
    handleRetry() {
        this.loadedFor = undefined;
        this.load();
    }
}
