import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getProfile from '@salesforce/apex/Professional360Controller.getProfile';
import TITLE from '@salesforce/label/c.FSE_Console_360_Title';
import FISCAL_CODE from '@salesforce/label/c.FSE_Console_360_FiscalCode';
import ORGANISATION from '@salesforce/label/c.FSE_Console_360_Organisation';
import ROLE from '@salesforce/label/c.FSE_Console_360_Role';
import CATEGORY from '@salesforce/label/c.FSE_Console_360_Category';
import STATUS from '@salesforce/label/c.FSE_Console_360_Status';
import CONTACTS from '@salesforce/label/c.FSE_Console_360_Contacts';
import ENROLLMENTS from '@salesforce/label/c.FSE_Console_360_Enrollments';
import ASSESSMENT from '@salesforce/label/c.FSE_Console_360_Assessment';
import OVERALL from '@salesforce/label/c.FSE_Console_360_Overall';
import CONSENTS from '@salesforce/label/c.FSE_Console_360_Consents';
import OPEN_CASES from '@salesforce/label/c.FSE_Console_360_OpenCases';
import PAST_CASES from '@salesforce/label/c.FSE_Console_360_PastCases';
import CAMPAIGNS from '@salesforce/label/c.FSE_Console_360_Campaigns';
import CALLS from '@salesforce/label/c.FSE_Console_360_Calls';
import NONE from '@salesforce/label/c.FSE_Console_360_None';
import EMPTY from '@salesforce/label/c.FSE_Console_360_Empty';
import { formatDate, formatNumber } from 'c/fsePortalUtils';

const link = (id) => `/lightning/r/${id}/view`;

/** The whole professional on one screen (Case and Contact record pages). */
export default class ConsoleProfessional360 extends LightningElement {
    @api recordId;

    labels = {
        title: TITLE,
        fiscalCode: FISCAL_CODE,
        organisation: ORGANISATION,
        role: ROLE,
        category: CATEGORY,
        status: STATUS,
        contacts: CONTACTS,
        enrollments: ENROLLMENTS,
        assessment: ASSESSMENT,
        overall: OVERALL,
        consents: CONSENTS,
        openCases: OPEN_CASES,
        pastCases: PAST_CASES,
        campaigns: CAMPAIGNS,
        calls: CALLS,
        none: NONE,
        empty: EMPTY
    };

    wired;
    profile;
    error;

    @wire(getProfile, { recordId: '$recordId' })
    wiredProfile(result) {
        this.wired = result;
        if (result.data !== undefined) {
            this.profile = result.data;
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.profile = undefined;
        }
    }

    get isLoading() {
        return !this.error && this.wired?.data === undefined;
    }
    get isEmpty() {
        return !this.error && this.wired?.data === null;
    }
    get hasProfile() {
        return !!this.profile;
    }
    get contact() {
        return this.profile.contact;
    }
    get contactUrl() {
        return link(this.contact.Id);
    }
    get organisation() {
        return this.contact.Account ? this.contact.Account.Name : '';
    }
    get organisationUrl() {
        return this.contact.AccountId ? link(this.contact.AccountId) : null;
    }
    get contactPoints() {
        return [this.contact.Email, this.contact.Phone, this.contact.MobilePhone]
            .filter(Boolean)
            .join(' · ');
    }
    get enrollments() {
        return (this.profile.enrollments || []).map((e) => ({
            id: e.Id,
            url: link(e.Id),
            name: e.LearningContent__r ? e.LearningContent__r.Name : e.Id,
            status: e.Status__c,
            progress: e.ProgressPercent__c || 0
        }));
    }
    get hasEnrollments() {
        return this.enrollments.length > 0;
    }
    get hasAssessment() {
        return !!this.profile.assessment;
    }
    get overallScore() {
        return formatNumber(this.profile.assessment.OverallScore__c);
    }
    get scores() {
        return (this.profile.scores || []).map((s) => ({
            key: s.label,
            text: `${s.label}: ${s.value === null || s.value === undefined ? '-' : formatNumber(s.value)}`
        }));
    }
    get consents() {
        return (this.profile.consents || []).map((c) => ({
            id: c.Id,
            text: `${c.DataUsePurpose ? c.DataUsePurpose.Name : ''} · ${
                c.EngagementChannelType ? c.EngagementChannelType.Name : ''
            }: ${c.PrivacyConsentStatus}`
        }));
    }
    get hasConsents() {
        return this.consents.length > 0;
    }
    caseRows(list) {
        return (list || []).map((c) => ({
            id: c.Id,
            url: link(c.Id),
            text: `${c.CaseNumber} · ${c.Subject || ''} · ${c.Status}`
        }));
    }
    get openCases() {
        return this.caseRows(this.profile.openCases);
    }
    get hasOpenCases() {
        return this.openCases.length > 0;
    }
    get pastCases() {
        return this.caseRows(this.profile.pastCases);
    }
    get hasPastCases() {
        return this.pastCases.length > 0;
    }
    get campaigns() {
        return (this.profile.campaigns || []).map((m) => ({
            id: m.Id,
            url: link(m.Id),
            text: `${m.Campaign ? m.Campaign.Name : ''} · ${m.Status || ''}${m.CallOutcome__c ? ' · ' + m.CallOutcome__c : ''}`
        }));
    }
    get hasCampaigns() {
        return this.campaigns.length > 0;
    }
    get calls() {
        return (this.profile.calls || []).map((t) => ({
            id: t.Id,
            url: link(t.Id),
            text: [formatDate(t.ActivityDate), t.Subject, t.CallDisposition]
                .filter(Boolean)
                .join(' · ')
        }));
    }
    get hasCalls() {
        return this.calls.length > 0;
    }

    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wired);
    }
}
