import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { CurrentPageReference } from 'lightning/navigation';
import searchFaqs from '@salesforce/apex/FseSupportController.searchFaqs';
import getTopics from '@salesforce/apex/FseSupportController.getTopics';
import createCase from '@salesforce/apex/FseSupportController.createCase';
import { format } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Support_Title';
import FAQ_SEARCH from '@salesforce/label/c.FSE_Support_FaqSearch';
import FAQ_HELP from '@salesforce/label/c.FSE_Support_FaqHelp';
import FAQ_EMPTY from '@salesforce/label/c.FSE_Support_FaqEmpty';
import FAQ_RESULTS from '@salesforce/label/c.FSE_Support_FaqResults';
import NOT_SOLVED from '@salesforce/label/c.FSE_Support_NotSolved';
import TOPIC from '@salesforce/label/c.FSE_Support_Topic';
import SUBJECT from '@salesforce/label/c.FSE_Support_Subject';
import DESCRIPTION from '@salesforce/label/c.FSE_Support_Description';
import SEND from '@salesforce/label/c.FSE_Support_Send';
import CREATED from '@salesforce/label/c.FSE_Support_Created';
import ATTACH from '@salesforce/label/c.FSE_Support_Attach';
import ATTACHED from '@salesforce/label/c.FSE_Support_Attached';
import NEW_REQUEST from '@salesforce/label/c.FSE_Support_NewRequest';
import TOPICS_ERROR from '@salesforce/label/c.FSE_Support_TopicsError';

const SEARCH_DELAY_MS = 300;
const ACCEPTED_FORMATS = ['.pdf', '.png', '.jpg', '.jpeg', '.txt'];

/** FAQ deflection first, then a web form opening a Case for the signed-in professional. */
export default class FseSupportRequest extends LightningElement {
    @api showFaqFirst = false;

    labels = {
        title: TITLE,
        faqSearch: FAQ_SEARCH,
        faqHelp: FAQ_HELP,
        notSolved: NOT_SOLVED,
        topic: TOPIC,
        subject: SUBJECT,
        description: DESCRIPTION,
        send: SEND,
        attach: ATTACH,
        newRequest: NEW_REQUEST,
        topicsError: TOPICS_ERROR
    };
    acceptedFormats = ACCEPTED_FORMATS;
    topics = [];
    topicsError;
    wiredTopicsResult;
    faqs;
    faqError;
    faqSearching = false;
    formOpen = false;
    topic;
    subject = '';
    description = '';
    sending = false;
    sendError;
    created;
    attachedCount = 0;
    searchTimer;

    @wire(getTopics)
    wiredTopics(result) {
        this.wiredTopicsResult = result;
        if (result.data) {
            this.topics = result.data;
            this.topicsError = undefined;
        } else if (result.error) {
            // without topics the required "Argomento" cannot be filled: say so and offer a retry
            this.topicsError = result.error;
        }
    }

    handleTopicsRetry() {
        return refreshApex(this.wiredTopicsResult);
    }

    @wire(CurrentPageReference)
    wiredPage(pageRef) {
        const state = (pageRef && pageRef.state) || {};
        if (state.c__topic) {
            this.topic = state.c__topic;
            this.subject = state.c__subject || '';
            this.formOpen = true;
        }
    }

    get showForm() {
        return (this.formOpen || !this.showFaqFirst) && !this.created;
    }
    get showOpenFormButton() {
        return !this.formOpen;
    }
    get showFaq() {
        return this.showFaqFirst && !this.created;
    }
    get faqState() {
        if (this.faqSearching) {
            return 'loading';
        }
        if (this.faqError) {
            return 'error';
        }
        return this.faqs && this.faqs.length === 0 ? 'empty' : 'data';
    }
    get faqEmptyMessage() {
        return FAQ_EMPTY;
    }
    get hasFaqs() {
        return this.faqs && this.faqs.length > 0;
    }
    get faqResultsText() {
        return this.faqs ? format(FAQ_RESULTS, this.faqs.length) : '';
    }
    get createdText() {
        return this.created ? format(CREATED, this.created.caseNumber) : '';
    }
    get attachedText() {
        return this.attachedCount ? format(ATTACHED, this.attachedCount) : '';
    }

    handleFaqSearch(event) {
        const term = (event.detail.value || '').trim();
        window.clearTimeout(this.searchTimer);
        if (term.length < 2) {
            this.faqs = undefined;
            return;
        }
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.searchTimer = window.setTimeout(() => this.runFaqSearch(term), SEARCH_DELAY_MS);
    }

    async runFaqSearch(term) {
        this.faqSearching = true;
        this.faqError = undefined;
        try {
            this.faqs = await searchFaqs({ searchTerm: term });
        } catch (error) {
            this.faqError = error;
        } finally {
            this.faqSearching = false;
        }
    }

    handleOpenForm() {
        this.formOpen = true;
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        requestAnimationFrame(() => {
            const first = this.template.querySelector('.fse-topic');
            if (first) {
                first.focus();
            }
        });
    }

    handleField(event) {
        this[event.target.dataset.field] = event.detail.value;
    }

    async handleSubmit(event) {
        event.preventDefault();
        const fields = [...this.template.querySelectorAll('.fse-field')];
        const valid = fields.reduce((ok, field) => field.reportValidity() !== false && ok, true);
        if (!valid || !this.topic || !this.subject.trim() || !this.description.trim()) {
            return;
        }
        this.sending = true;
        this.sendError = undefined;
        try {
            this.created = await createCase({
                topic: this.topic,
                subject: this.subject,
                description: this.description
            });
            this.dispatchEvent(
                new CustomEvent('casecreated', { detail: { caseId: this.created.id } })
            );
        } catch (error) {
            this.sendError = error;
        } finally {
            this.sending = false;
        }
    }

    handleUploadFinished(event) {
        this.attachedCount += event.detail.files.length;
    }

    handleNewRequest() {
        this.created = undefined;
        this.attachedCount = 0;
        this.subject = '';
        this.description = '';
        this.topic = undefined;
    }
}
