import { LightningElement, api } from 'lwc';
import LOADING from '@salesforce/label/c.FSE_Common_Loading';
import ERROR_TITLE from '@salesforce/label/c.FSE_Common_Error';
import EMPTY_TITLE from '@salesforce/label/c.FSE_Common_Empty';
import RETRY from '@salesforce/label/c.FSE_Common_Retry';
import { userMessage } from 'c/fseErrorUtils';

/**
 * The loading, empty and error states shared by every FSE component, rendered the same way
 * everywhere: a spinner announced to screen readers, an error alert (role="alert") with an
 * optional retry button, an empty-state message (role="status").
 */
export default class FseStatePanel extends LightningElement {
    /** 'loading' | 'error' | 'empty' — anything else renders nothing. */
    @api state;
    /**
     * An Apex/UI API error (or list of them) or a string, for state 'error'. Only messages meant
     * for users are shown (see fseErrorUtils.userMessages); anything else shows the generic text.
     */
    @api error;
    /** Message for state 'empty' (defaults to the generic one). */
    @api emptyMessage;
    /** Show a retry button in the error state; it fires a 'retry' event. */
    @api retryable = false;

    labels = { loading: LOADING, errorTitle: ERROR_TITLE, emptyTitle: EMPTY_TITLE, retry: RETRY };

    get isLoading() {
        return this.state === 'loading';
    }
    get isError() {
        return this.state === 'error';
    }
    get isEmpty() {
        return this.state === 'empty';
    }
    /** Messages written for users (Custom Labels from Apex); never raw server or JS text. */
    get errorText() {
        return userMessage(this.error, ERROR_TITLE);
    }
    get emptyText() {
        return this.emptyMessage || EMPTY_TITLE;
    }

    handleRetry() {
        this.dispatchEvent(new CustomEvent('retry'));
    }
}
