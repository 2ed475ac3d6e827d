// lightning/platformShowToastEvent in the browser: the same event the platform listens for; the
// workbench shows it as an SLDS toast and records it for the browser tests.
export class ShowToastEvent extends CustomEvent {
    constructor(toast) {
        super('lightning__showtoast', {
            bubbles: true,
            composed: true,
            cancelable: true,
            detail: toast
        });
    }
}
