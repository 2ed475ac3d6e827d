import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getProfile from '@salesforce/apex/FsePortalProfileController.getProfile';
import updateContactDetails from '@salesforce/apex/FsePortalProfileController.updateContactDetails';
import { userMessage } from 'c/fseErrorUtils';
import TITLE from '@salesforce/label/c.FSE_Profile_Title';
import REGISTRY from '@salesforce/label/c.FSE_Profile_Registry';
import ROLE from '@salesforce/label/c.FSE_Profile_Role';
import CATEGORY from '@salesforce/label/c.FSE_Profile_Category';
import ORGANISATION from '@salesforce/label/c.FSE_Profile_Organisation';
import EMAIL from '@salesforce/label/c.FSE_Profile_Email';
import WRONG_DATA from '@salesforce/label/c.FSE_Profile_WrongData';
import WRONG_DATA_SUBJECT from '@salesforce/label/c.FSE_Profile_WrongDataSubject';
import CONTACTS from '@salesforce/label/c.FSE_Profile_Contacts';
import PHONE from '@salesforce/label/c.FSE_Profile_Phone';
import MOBILE from '@salesforce/label/c.FSE_Profile_Mobile';
import LANGUAGE from '@salesforce/label/c.FSE_Profile_Language';
import LANG_IT from '@salesforce/label/c.FSE_Profile_LanguageItalian';
import LANG_EN from '@salesforce/label/c.FSE_Profile_LanguageEnglish';
import SAVE from '@salesforce/label/c.FSE_Common_Save';
import SAVED from '@salesforce/label/c.FSE_Profile_Saved';
import PROGRESS from '@salesforce/label/c.FSE_Profile_Progress';
import ENROLLED from '@salesforce/label/c.FSE_Profile_Enrolled';
import COMPLETED from '@salesforce/label/c.FSE_Profile_Completed';
import CREDITS from '@salesforce/label/c.FSE_Profile_Credits';
import NO_LEARNING from '@salesforce/label/c.FSE_Profile_NoLearning';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';

/**
 * The signed-in professional's profile. Registry data is read-only ("wrong? tell us" opens a
 * support request); phones and language are editable.
 */
export default class FseProfile extends NavigationMixin(LightningElement) {
    /** API name of the community page hosting fseSupportRequest. */
    @api supportPageName = 'Assistenza__c';

    labels = {
        title: TITLE,
        registry: REGISTRY,
        role: ROLE,
        category: CATEGORY,
        organisation: ORGANISATION,
        email: EMAIL,
        wrongData: WRONG_DATA,
        contacts: CONTACTS,
        phone: PHONE,
        mobile: MOBILE,
        language: LANGUAGE,
        save: SAVE,
        progress: PROGRESS,
        enrolled: ENROLLED,
        completed: COMPLETED,
        credits: CREDITS,
        noLearning: NO_LEARNING
    };
    languageOptions = [
        { label: LANG_IT, value: 'it' },
        { label: LANG_EN, value: 'en_US' }
    ];

    profile;
    error;
    saving = false;
    draft = {};
    wiredResult;

    @wire(getProfile)
    wiredProfile(result) {
        this.wiredResult = result;
        if (result.data) {
            this.profile = result.data;
            this.draft = {
                phone: result.data.phone,
                mobilePhone: result.data.mobilePhone,
                language: result.data.language
            };
            this.error = undefined;
        } else if (result.error) {
            this.error = result.error;
            this.profile = undefined;
        }
    }

    get state() {
        if (this.error) {
            return 'error';
        }
        return this.profile ? 'data' : 'loading';
    }
    get hasData() {
        return this.state === 'data';
    }
    get hasLearning() {
        return this.profile && this.profile.enrolledCount > 0;
    }

    handleDraftChange(event) {
        this.draft = { ...this.draft, [event.target.dataset.field]: event.detail.value };
    }

    async handleSave(event) {
        event.preventDefault();
        this.saving = true;
        try {
            await updateContactDetails({
                phone: this.draft.phone,
                mobilePhone: this.draft.mobilePhone,
                language: this.draft.language
            });
            this.dispatchEvent(new ShowToastEvent({ title: SAVED, variant: 'success' }));
            await refreshApex(this.wiredResult);
        } catch (error) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: ERROR_TITLE,
                    message: userMessage(error, ''),
                    variant: 'error'
                })
            );
        } finally {
            this.saving = false;
        }
    }

    handleRetry() {
        this.error = undefined;
        return refreshApex(this.wiredResult);
    }

    handleWrongData() {
        this[NavigationMixin.Navigate]({
            type: 'comm__namedPage',
            attributes: { name: this.supportPageName },
            state: { c__topic: 'Other', c__subject: WRONG_DATA_SUBJECT }
        });
    }
}
