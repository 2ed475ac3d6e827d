import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import getSurvey from '@salesforce/apex/FseSurveyController.getSurvey';
import submitFeedback from '@salesforce/apex/FseSurveyController.submitFeedback';
import TITLE from '@salesforce/label/c.FSE_Survey_Title';
import EMPTY from '@salesforce/label/c.FSE_Assessment_Empty';
import RATING from '@salesforce/label/c.FSE_Survey_Rating';
import RATING_1 from '@salesforce/label/c.FSE_Survey_Rating1';
import RATING_5 from '@salesforce/label/c.FSE_Survey_Rating5';
import COMMENT from '@salesforce/label/c.FSE_Survey_Comment';
import SUBMIT from '@salesforce/label/c.FSE_Survey_Submit';
import THANKS from '@salesforce/label/c.FSE_Survey_Thanks';
import ALREADY from '@salesforce/label/c.FSE_Survey_Already';
import RATING_REQUIRED from '@salesforce/label/c.FSE_Survey_RatingRequired';

/** Satisfaction survey after a course (c__contentId) or a support case (c__caseId). */
export default class FseSurvey extends LightningElement {
    @api surveyKey = 'COURSE_SATISFACTION';

    labels = {
        title: TITLE,
        empty: EMPTY,
        rating: RATING,
        comment: COMMENT,
        submit: SUBMIT,
        thanks: THANKS,
        already: ALREADY
    };
    ratingOptions = ['1', '2', '3', '4', '5'].map((value) => ({
        value,
        label: value === '1' ? `1 - ${RATING_1}` : value === '5' ? `5 - ${RATING_5}` : value
    }));
    pageState = {};
    survey;
    error;
    rating;
    answers = {};
    comment = '';
    validationMessage;
    sending = false;
    sendError;
    sent = false;

    @wire(CurrentPageReference)
    wiredPage(pageRef) {
        this.pageState = (pageRef && pageRef.state) || {};
    }

    get key() {
        return this.pageState.c__surveyKey || this.surveyKey;
    }
    get contentId() {
        return this.pageState.c__contentId || null;
    }
    get caseId() {
        return this.pageState.c__caseId || null;
    }

    @wire(getSurvey, { surveyKey: '$key', contentId: '$contentId', caseId: '$caseId' })
    wiredSurvey({ data, error }) {
        if (data) {
            this.survey = data;
            this.error = undefined;
        } else if (error) {
            this.error = error;
            this.survey = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.survey) {
            return 'loading';
        }
        return 'data';
    }
    get showForm() {
        return this.state === 'data' && !this.sent && !this.survey.alreadySubmitted;
    }
    get alreadySubmitted() {
        return this.state === 'data' && !this.sent && this.survey.alreadySubmitted;
    }
    get questionRows() {
        return this.survey.questions.map((q) => ({
            ...q,
            value: this.answers[q.id],
            options: q.options.map((option) => ({ label: option, value: option }))
        }));
    }

    handleRating(event) {
        this.rating = event.detail.value;
        this.validationMessage = undefined;
    }
    handleAnswer(event) {
        this.answers = { ...this.answers, [event.target.dataset.id]: event.detail.value };
    }
    handleComment(event) {
        this.comment = event.detail.value;
    }

    async handleSubmit(event) {
        event.preventDefault();
        if (!this.rating) {
            this.validationMessage = RATING_REQUIRED;
            return;
        }
        this.sending = true;
        this.sendError = undefined;
        try {
            await submitFeedback({
                surveyKey: this.key,
                contentId: this.contentId,
                caseId: this.caseId,
                rating: Number(this.rating),
                answers: this.answers,
                comment: this.comment
            });
            this.sent = true;
        } catch (error) {
            this.sendError = error;
        } finally {
            this.sending = false;
        }
    }
}
