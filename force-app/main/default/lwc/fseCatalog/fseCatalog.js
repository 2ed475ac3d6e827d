import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getCatalog from '@salesforce/apex/FseCatalogController.getCatalog';
import getFilterOptions from '@salesforce/apex/FseCatalogController.getFilterOptions';
import enroll from '@salesforce/apex/FseCatalogController.enroll';
import withdraw from '@salesforce/apex/FseCatalogController.withdraw';
import { userMessage } from 'c/fseErrorUtils';
import { format, formatNumber, ACTIVE_ENROLMENT } from 'c/fsePortalUtils';
import TITLE from '@salesforce/label/c.FSE_Catalog_Title';
import SEARCH from '@salesforce/label/c.FSE_Catalog_Search';
import MACRO from '@salesforce/label/c.FSE_Catalog_MacroCategory';
import TYPE from '@salesforce/label/c.FSE_Catalog_Type';
import DURATION from '@salesforce/label/c.FSE_Catalog_MaxDuration';
import ANY from '@salesforce/label/c.FSE_Catalog_Any';
import ECM_ONLY from '@salesforce/label/c.FSE_Catalog_EcmOnly';
import ALL_CATEGORIES from '@salesforce/label/c.FSE_Catalog_AllCategories';
import MINUTES from '@salesforce/label/c.FSE_Catalog_Minutes';
import CREDITS from '@salesforce/label/c.FSE_Catalog_Credits';
import SEATS_LEFT from '@salesforce/label/c.FSE_Catalog_SeatsLeft';
import FULL from '@salesforce/label/c.FSE_Catalog_Full';
import ENROL from '@salesforce/label/c.FSE_Catalog_Enrol';
import WITHDRAW from '@salesforce/label/c.FSE_Catalog_Withdraw';
import DETAILS from '@salesforce/label/c.FSE_Catalog_Details';
import ENROLLED from '@salesforce/label/c.FSE_Catalog_Enrolled';
import ENROLLED_TOAST from '@salesforce/label/c.FSE_Catalog_EnrolledToast';
import WITHDRAWN_TOAST from '@salesforce/label/c.FSE_Catalog_WithdrawnToast';
import EMPTY from '@salesforce/label/c.FSE_Catalog_Empty';
import RESULTS from '@salesforce/label/c.FSE_Catalog_Results';
import PAGE from '@salesforce/label/c.FSE_Catalog_Page';
import PREVIOUS from '@salesforce/label/c.FSE_Catalog_Previous';
import NEXT from '@salesforce/label/c.FSE_Catalog_Next';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';
import FILTERS_ERROR from '@salesforce/label/c.FSE_Catalog_FiltersError';

const SEARCH_DELAY_MS = 300;

/** Published catalogue, filtered by default to the professional's target category. */
export default class FseCatalog extends NavigationMixin(LightningElement) {
    @api pageSize = 12;
    @api detailPageName = 'Contenuto__c';

    labels = {
        title: TITLE,
        search: SEARCH,
        macro: MACRO,
        type: TYPE,
        duration: DURATION,
        ecmOnly: ECM_ONLY,
        allCategories: ALL_CATEGORIES,
        empty: EMPTY,
        previous: PREVIOUS,
        next: NEXT,
        filtersError: FILTERS_ERROR
    };

    searchTerm = '';
    macroCategory = '';
    contentType = '';
    maxDuration = '';
    ecmOnly = false;
    allCategories = false;
    pageNumber = 1;

    page;
    error;
    wiredPage;
    filterOptions = { macroCategories: [], types: [] };
    filtersError;
    wiredFilterOptions;
    busyId;
    searchTimer;

    @wire(getFilterOptions)
    wiredOptions(result) {
        this.wiredFilterOptions = result;
        if (result.data) {
            this.filterOptions = result.data;
            this.filtersError = undefined;
        } else if (result.error) {
            // the catalogue still works without filters, but the user must know why they are empty
            this.filtersError = result.error;
        }
    }

    @wire(getCatalog, {
        searchTerm: '$searchTerm',
        macroCategory: '$macroCategory',
        contentType: '$contentType',
        maxDuration: '$maxDurationNumber',
        ecmOnly: '$ecmOnly',
        allCategories: '$allCategories',
        pageNumber: '$pageNumber',
        pageSize: '$pageSize'
    })
    wiredCatalog(result) {
        this.wiredPage = result;
        if (result.data) {
            this.page = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.page = undefined;
        }
    }

    get maxDurationNumber() {
        return this.maxDuration ? Number(this.maxDuration) : null;
    }
    get macroOptions() {
        return [{ label: ANY, value: '' }, ...this.filterOptions.macroCategories];
    }
    get typeOptions() {
        return [{ label: ANY, value: '' }, ...this.filterOptions.types];
    }
    get durationOptions() {
        return [
            { label: ANY, value: '' },
            ...[30, 60, 120].map((m) => ({ label: format(MINUTES, m), value: String(m) }))
        ];
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        if (!this.page) {
            return 'loading';
        }
        return this.page.items.length ? 'data' : 'empty';
    }
    get hasItems() {
        return this.state === 'data';
    }
    get totalPages() {
        return this.page ? Math.max(1, Math.ceil(this.page.total / this.page.pageSize)) : 1;
    }
    get resultsText() {
        return this.page ? format(RESULTS, this.page.total) : '';
    }
    get pageText() {
        return format(PAGE, this.pageNumber, this.totalPages);
    }
    get isFirstPage() {
        return this.pageNumber <= 1;
    }
    get isLastPage() {
        return this.pageNumber >= this.totalPages;
    }

    get items() {
        return (this.page ? this.page.items : []).map((item) => {
            const enrolled = ACTIVE_ENROLMENT.includes(item.enrollmentStatus);
            const completed = item.enrollmentStatus === 'Completed';
            return {
                ...item,
                enrolled,
                completed,
                isSession: item.contentType === 'LiveSession',
                hasSeats: item.seatsLeft !== null && item.seatsLeft !== undefined,
                seatsText: format(SEATS_LEFT, item.seatsLeft),
                durationText: item.durationMinutes ? format(MINUTES, item.durationMinutes) : '',
                creditsText: item.ecmCredits ? format(CREDITS, formatNumber(item.ecmCredits)) : '',
                canEnrol: !enrolled && !completed && !item.isFull,
                enrolLabel: item.isFull && !enrolled ? FULL : ENROL,
                // never disabled while saving: a disabled button loses the keyboard focus
                enrolDisabled: item.isFull && !enrolled,
                showEnrol: !enrolled && !completed,
                withdrawLabel: WITHDRAW,
                detailsLabel: DETAILS,
                enrolledLabel: ENROLLED,
                enrolAria: `${ENROL}: ${item.name}`,
                withdrawAria: `${WITHDRAW}: ${item.name}`,
                detailsAria: `${DETAILS}: ${item.name}`
            };
        });
    }

    handleSearch(event) {
        const value = event.detail.value;
        window.clearTimeout(this.searchTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.searchTimer = window.setTimeout(() => {
            this.searchTerm = value;
            this.pageNumber = 1;
        }, SEARCH_DELAY_MS);
    }
    handleFilter(event) {
        const { name } = event.target.dataset;
        this[name] = event.target.type === 'checkbox' ? event.target.checked : event.detail.value;
        this.pageNumber = 1;
    }
    handlePrevious() {
        this.pageNumber = Math.max(1, this.pageNumber - 1);
    }
    handleNext() {
        this.pageNumber = Math.min(this.totalPages, this.pageNumber + 1);
    }
    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredPage);
    }
    handleFiltersRetry() {
        return refreshApex(this.wiredFilterOptions);
    }

    handleDetails(event) {
        this[NavigationMixin.Navigate]({
            type: 'comm__namedPage',
            attributes: { name: this.detailPageName },
            state: { c__contentId: event.target.dataset.id }
        });
    }

    handleEnrol(event) {
        return this.act(enroll, event.target.dataset.id, ENROLLED_TOAST);
    }
    handleWithdraw(event) {
        return this.act(withdraw, event.target.dataset.id, WITHDRAWN_TOAST);
    }

    async act(apexMethod, contentId, successTitle) {
        if (this.busyId) {
            return;
        }
        this.busyId = contentId;
        try {
            await apexMethod({ contentId });
            this.dispatchEvent(new ShowToastEvent({ title: successTitle, variant: 'success' }));
            await refreshApex(this.wiredPage);
        } catch (error) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR_TITLE,
                    message: userMessage(error, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.busyId = undefined;
        }
        await this.focusContent(contentId);
    }

    /**
     * Keeps the keyboard where the user acted: enrolling replaces "Iscriviti" with "Annulla
     * iscrizione" (and the other way round), so focus goes to the action that now stands in its
     * place on the same course, or to its "Dettagli".
     */
    async focusContent(contentId) {
        await Promise.resolve();
        const card = this.template.querySelector(`article[data-id="${contentId}"]`);
        if (!card) {
            return;
        }
        const target = ['.fse-withdraw', '.fse-enrol', '.fse-details']
            .map((selector) => card.querySelector(selector))
            .find((button) => button && !button.disabled);
        if (target) {
            target.focus();
        }
    }
}
