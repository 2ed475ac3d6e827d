import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import getSelfAssessment from '@salesforce/apex/FseAssessmentController.getSelfAssessment';
import submitSelfAssessment from '@salesforce/apex/FseAssessmentController.submitSelfAssessment';
import { format, numericAnswers, questionRows } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Assessment_Title';
import INTRO from '@salesforce/label/c.FSE_Assessment_Intro';
import EMPTY from '@salesforce/label/c.FSE_Assessment_Empty';
import SUBMIT from '@salesforce/label/c.FSE_Assessment_Submit';
import ANSWER_ALL from '@salesforce/label/c.FSE_Assessment_AnswerAll';
import RESULT from '@salesforce/label/c.FSE_Assessment_Result';
import OVERALL from '@salesforce/label/c.FSE_Assessment_Overall';
import SCORE from '@salesforce/label/c.FSE_Assessment_Score';
import GAP from '@salesforce/label/c.FSE_Assessment_Gap';
import RECOMMENDED from '@salesforce/label/c.FSE_Assessment_Recommended';
import NO_GAPS from '@salesforce/label/c.FSE_Assessment_NoGaps';
import RETAKE from '@salesforce/label/c.FSE_Assessment_Retake';

/** Self-assessment over the 9 macro-categories; scoring happens on the server. */
export default class FseSelfAssessment extends NavigationMixin(LightningElement) {
    @api detailPageName = 'Contenuto__c';

    labels = {
        title: TITLE,
        intro: INTRO,
        empty: EMPTY,
        submit: SUBMIT,
        result: RESULT,
        gap: GAP,
        recommended: RECOMMENDED,
        noGaps: NO_GAPS,
        retake: RETAKE
    };
    questions;
    error;
    wiredResult;
    answers = {};
    validationMessage;
    submitting = false;
    submitError;
    result;

    @wire(getSelfAssessment)
    wiredQuestions(result) {
        this.wiredResult = result;
        if (result.data) {
            this.questions = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.questions = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.questions) {
            return 'loading';
        }
        return this.questions.length ? 'data' : 'empty';
    }
    get showForm() {
        return this.state === 'data' && !this.result;
    }
    get questionRows() {
        return questionRows(this.questions, this.answers);
    }
    get overallText() {
        return this.result ? format(OVERALL, this.result.overallScore) : '';
    }
    get categoryRows() {
        return this.result.categories.map((c) => ({
            ...c,
            scoreText: format(SCORE, c.score)
        }));
    }
    get hasRecommendations() {
        return this.result && this.result.recommendations.length > 0;
    }

    handleAnswer(event) {
        this.answers = { ...this.answers, [event.target.dataset.id]: event.detail.value };
        this.validationMessage = undefined;
    }

    async handleSubmit(event) {
        event.preventDefault();
        const answers = numericAnswers(this.questions, this.answers);
        if (!answers) {
            this.validationMessage = ANSWER_ALL;
            return;
        }
        this.submitting = true;
        this.submitError = undefined;
        try {
            this.result = await submitSelfAssessment({ answers });
            await Promise.resolve();
            const heading = this.template.querySelector('.fse-result-heading');
            if (heading) {
                heading.focus();
            }
        } catch (error) {
            this.submitError = error;
        } finally {
            this.submitting = false;
        }
    }

    handleRetake() {
        this.result = undefined;
        this.answers = {};
    }
    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }
    handleOpen(event) {
        this[NavigationMixin.Navigate]({
            type: 'comm__namedPage',
            attributes: { name: this.detailPageName },
            state: { c__contentId: event.target.dataset.id }
        });
    }
}
