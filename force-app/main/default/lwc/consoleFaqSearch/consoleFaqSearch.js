import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import searchFaqs from '@salesforce/apex/CaseRoutingController.searchFaqs';
import attachFaq from '@salesforce/apex/CaseRoutingController.attachFaq';
import { userMessage } from 'c/fseErrorUtils';
import TITLE from '@salesforce/label/c.FSE_Console_Faq_Title';
import SEARCH_LABEL from '@salesforce/label/c.FSE_Console_Faq_SearchLabel';
import SEARCH from '@salesforce/label/c.FSE_Console_Faq_Search';
import ATTACH from '@salesforce/label/c.FSE_Console_Faq_Attach';
import ATTACHED from '@salesforce/label/c.FSE_Console_Faq_Attached';
import NO_RESULTS from '@salesforce/label/c.FSE_Console_Faq_NoResults';
import RESULTS from '@salesforce/label/c.FSE_Console_Faq_Results';
import ERROR from '@salesforce/label/c.FSE_Common_Error';

/**
 * FAQ knowledge (LearningContent__c of Type FAQ) for agents: search by title and attach the FAQ
 * to the case as a public comment (visible to the professional in the portal).
 */
export default class ConsoleFaqSearch extends LightningElement {
    @api recordId;

    labels = { title: TITLE, searchLabel: SEARCH_LABEL, search: SEARCH, attach: ATTACH };
    term = '';
    results;
    error;
    loading = false;

    get showResults() {
        return (
            !this.loading && !this.error && Array.isArray(this.results) && this.results.length > 0
        );
    }
    get showEmpty() {
        return (
            !this.loading && !this.error && Array.isArray(this.results) && this.results.length === 0
        );
    }
    get noResults() {
        return NO_RESULTS;
    }
    /** Results with an "Allega al caso: <FAQ>" name, so that several attach buttons differ. */
    get resultRows() {
        return (this.results || []).map((faq) => ({
            ...faq,
            attachLabel: `${ATTACH}: ${faq.title}`
        }));
    }
    get resultSummary() {
        return this.showResults ? `${RESULTS}: ${this.results.length}` : '';
    }

    handleTermChange(event) {
        this.term = event.detail.value;
    }
    handleKeyUp(event) {
        if (event.key === 'Enter') {
            this.handleSearch();
        }
    }

    async handleSearch() {
        this.loading = true;
        this.error = undefined;
        try {
            this.results = await searchFaqs({ term: this.term });
        } catch (e) {
            this.error = e;
            this.results = undefined;
        } finally {
            this.loading = false;
        }
    }

    async handleAttach(event) {
        const faqId = event.target.dataset.id;
        try {
            await attachFaq({ caseId: this.recordId, faqId });
            this.dispatchEvent(new ShowToastEvent({ title: ATTACHED, variant: 'success' }));
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR,
                    message: userMessage(e, ''),
                    variant: 'error'
                })
            );
        }
    }
}
