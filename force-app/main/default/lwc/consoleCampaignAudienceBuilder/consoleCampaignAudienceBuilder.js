import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getCriteriaOptions from '@salesforce/apex/CampaignAudienceController.getCriteriaOptions';
import preview from '@salesforce/apex/CampaignAudienceController.preview';
import addMembers from '@salesforce/apex/CampaignAudienceController.addMembers';
import { userMessage } from 'c/fseErrorUtils';
import TITLE from '@salesforce/label/c.FSE_Campaign_Title';
import CRITERIA from '@salesforce/label/c.FSE_Campaign_Criteria';
import CONSENT_NOTE from '@salesforce/label/c.FSE_Campaign_ConsentNote';
import CATEGORIES from '@salesforce/label/c.FSE_Campaign_Categories';
import ORG_CODES from '@salesforce/label/c.FSE_Campaign_OrgCodes';
import ROLES from '@salesforce/label/c.FSE_Campaign_Roles';
import MAX_SCORE from '@salesforce/label/c.FSE_Campaign_MaxScore';
import ENROLLMENT_STATUS from '@salesforce/label/c.FSE_Campaign_EnrollmentStatus';
import ANY from '@salesforce/label/c.FSE_Campaign_Any';
import AVAILABLE from '@salesforce/label/c.FSE_Campaign_Available';
import SELECTED from '@salesforce/label/c.FSE_Campaign_Selected';
import PREVIEW from '@salesforce/label/c.FSE_Campaign_Preview';
import ADD from '@salesforce/label/c.FSE_Campaign_Add';
import RESULT from '@salesforce/label/c.FSE_Campaign_Result';
import MATCHED from '@salesforce/label/c.FSE_Campaign_Matched';
import ELIGIBLE from '@salesforce/label/c.FSE_Campaign_Eligible';
import EXCLUDED from '@salesforce/label/c.FSE_Campaign_Excluded';
import ADDED from '@salesforce/label/c.FSE_Campaign_Added';
import ADDED_MESSAGE from '@salesforce/label/c.FSE_Campaign_AddedMessage';
import CAPPED from '@salesforce/label/c.FSE_Campaign_Capped';
import NO_EXCLUDED from '@salesforce/label/c.FSE_Campaign_NoExcluded';
import NO_MATCH from '@salesforce/label/c.FSE_Campaign_NoMatch';
import PREVIEW_HINT from '@salesforce/label/c.FSE_Campaign_PreviewHint';
import REASON_NO_INDIVIDUAL from '@salesforce/label/c.FSE_Campaign_Reason_NoIndividual';
import REASON_OPTED_OUT from '@salesforce/label/c.FSE_Campaign_Reason_OptedOutSolicit';
import REASON_NO_CONSENT from '@salesforce/label/c.FSE_Campaign_Reason_NoConsent';
import REASON_NOT_OPT_IN from '@salesforce/label/c.FSE_Campaign_Reason_NotOptIn';
import REASON_NOT_IN_FORCE from '@salesforce/label/c.FSE_Campaign_Reason_NotInForce';
import REASON_NO_CONTACT_POINT from '@salesforce/label/c.FSE_Campaign_Reason_NoContactPoint';
import REASON_ALREADY_MEMBER from '@salesforce/label/c.FSE_Campaign_Reason_AlreadyMember';
import ERROR from '@salesforce/label/c.FSE_Common_Error';

/** Exclusion reason codes of CampaignAudienceService, in the order they are checked. */
const REASONS = [
    ['AlreadyMember', REASON_ALREADY_MEMBER],
    ['NoIndividual', REASON_NO_INDIVIDUAL],
    ['OptedOutSolicit', REASON_OPTED_OUT],
    ['NoConsent', REASON_NO_CONSENT],
    ['NotOptIn', REASON_NOT_OPT_IN],
    ['NotInForce', REASON_NOT_IN_FORCE],
    ['NoContactPoint', REASON_NO_CONTACT_POINT]
];

/**
 * Campaign record page: builds the campaign audience from criteria (target categories,
 * organisation codes, roles, skill gap from the self-assessment, enrolment status), previews
 * how many professionals match and how many are eligible (OptIn for the campaign's purpose and
 * channel) with the excluded count per reason, and adds the eligible ones as members.
 */
export default class ConsoleCampaignAudienceBuilder extends LightningElement {
    @api recordId;

    labels = {
        title: TITLE,
        criteria: CRITERIA,
        consentNote: CONSENT_NOTE,
        categories: CATEGORIES,
        orgCodes: ORG_CODES,
        roles: ROLES,
        maxScore: MAX_SCORE,
        enrollmentStatus: ENROLLMENT_STATUS,
        available: AVAILABLE,
        selected: SELECTED,
        preview: PREVIEW,
        add: ADD,
        result: RESULT,
        matched: MATCHED,
        eligible: ELIGIBLE,
        excluded: EXCLUDED,
        added: ADDED,
        capped: CAPPED,
        noExcluded: NO_EXCLUDED,
        noMatch: NO_MATCH,
        previewHint: PREVIEW_HINT
    };

    options;
    optionsError;
    wiredOptions;

    targetCategories = [];
    orgCodesText = '';
    roles = [];
    maxOverallScore = null;
    enrollmentStatus = '';

    /** Last preview or add result from Apex (CampaignAudienceService.Result). */
    result;
    resultError;
    busy = false;

    @wire(getCriteriaOptions)
    wiredCriteriaOptions(value) {
        this.wiredOptions = value;
        const { data, error } = value;
        if (data) {
            this.options = data;
            this.optionsError = undefined;
        } else if (error) {
            this.options = undefined;
            this.optionsError = error;
        }
    }

    get optionsLoading() {
        return !this.options && !this.optionsError;
    }
    get categoryOptions() {
        return this.options?.targetCategories ?? [];
    }
    get roleOptions() {
        return this.options?.roles ?? [];
    }
    get enrollmentStatusOptions() {
        return [{ label: ANY, value: '' }, ...(this.options?.enrollmentStatuses ?? [])];
    }

    get showResultLoading() {
        return this.busy;
    }
    get showResultError() {
        return !this.busy && !!this.resultError;
    }
    get showNoMatch() {
        return !this.busy && !this.resultError && this.result && this.result.matched === 0;
    }
    get showResult() {
        return !this.busy && !this.resultError && this.result && this.result.matched > 0;
    }
    get showHint() {
        return !this.busy && !this.resultError && !this.result;
    }
    get showAdded() {
        return this.result && this.result.added > 0;
    }
    get addDisabled() {
        // After adding, the same preview must not be added twice: preview again first.
        return this.busy || !this.result || !(this.result.eligible > 0) || this.result.added > 0;
    }
    get excludedRows() {
        const excluded = this.result?.excluded ?? {};
        const rows = REASONS.filter(([code]) => excluded[code] > 0).map(([code, label]) => ({
            code,
            label,
            count: excluded[code]
        }));
        // Reasons this component does not know yet are still counted, under their code.
        Object.keys(excluded)
            .filter((code) => !REASONS.some(([known]) => known === code) && excluded[code] > 0)
            .forEach((code) => rows.push({ code, label: code, count: excluded[code] }));
        return rows;
    }
    get hasExcluded() {
        return this.excludedRows.length > 0;
    }
    get excludedTotal() {
        return this.excludedRows.reduce((sum, row) => sum + row.count, 0);
    }

    /** The criteria as CampaignAudienceService.Criteria expects them (JSON). */
    get criteriaJson() {
        const orgCodes = this.orgCodesText
            .split(/[,;\s]+/)
            .map((code) => code.trim())
            .filter((code) => code.length > 0);
        const score =
            this.maxOverallScore === null || this.maxOverallScore === ''
                ? null
                : Number(this.maxOverallScore);
        return JSON.stringify({
            targetCategories: this.targetCategories,
            orgCodes,
            roles: this.roles,
            maxOverallScore: Number.isFinite(score) ? score : null,
            enrollmentStatus: this.enrollmentStatus || null
        });
    }

    /** Any change of the criteria invalidates the previous preview. */
    criteriaChanged() {
        this.result = undefined;
        this.resultError = undefined;
    }
    handleCategories(event) {
        this.targetCategories = event.detail.value;
        this.criteriaChanged();
    }
    handleOrgCodes(event) {
        this.orgCodesText = event.detail.value ?? '';
        this.criteriaChanged();
    }
    handleRoles(event) {
        this.roles = event.detail.value;
        this.criteriaChanged();
    }
    handleMaxScore(event) {
        this.maxOverallScore = event.detail.value;
        this.criteriaChanged();
    }
    handleEnrollmentStatus(event) {
        this.enrollmentStatus = event.detail.value;
        this.criteriaChanged();
    }

    handleRetryOptions() {
        this.optionsError = undefined;
        return refreshApex(this.wiredOptions);
    }

    validScore() {
        const input = this.template.querySelector('lightning-input[data-id="maxScore"]');
        return !input || input.reportValidity() !== false;
    }

    async handlePreview() {
        if (!this.validScore()) {
            return;
        }
        this.busy = true;
        this.resultError = undefined;
        try {
            this.result = await preview({
                campaignId: this.recordId,
                criteriaJson: this.criteriaJson
            });
        } catch (e) {
            this.result = undefined;
            this.resultError = e;
        } finally {
            this.busy = false;
        }
        this.focusResult();
    }

    async handleAdd() {
        if (!this.validScore()) {
            return;
        }
        this.busy = true;
        try {
            const result = await addMembers({
                campaignId: this.recordId,
                criteriaJson: this.criteriaJson
            });
            this.result = result;
            this.resultError = undefined;
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ADDED,
                    message: ADDED_MESSAGE.replace('{0}', String(result.added)).replace(
                        '{1}',
                        String(this.sumExcluded(result))
                    ),
                    variant: 'success'
                })
            );
        } catch (e) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR,
                    message: userMessage(e, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.busy = false;
        }
        this.focusResult();
    }

    sumExcluded(result) {
        return Object.values(result?.excluded ?? {}).reduce((sum, n) => sum + n, 0);
    }

    /** Moves focus to the result heading so keyboard and screen-reader users land on the outcome. */
    focusResult() {
        // Rendering happens after the state change; wait for it before moving focus.
        Promise.resolve().then(() => {
            const heading = this.template.querySelector('.fse-result-heading');
            if (heading) {
                heading.focus();
            }
        });
    }
}
