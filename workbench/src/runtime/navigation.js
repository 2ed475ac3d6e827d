// lightning/navigation in the browser: Navigate is recorded and shown by the workbench (there is
// no site or console to go to); CurrentPageReference provisions the scenario's page state.
import { currentPageReference, recordNavigation } from 'wb/shell';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](pageReference, replace) {
            recordNavigation(pageReference, replace);
        }
        [GenerateUrl](pageReference) {
            return Promise.resolve(`#navigate:${JSON.stringify(pageReference)}`);
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export class CurrentPageReference {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
    }
    connect() {
        this.dataCallback(currentPageReference());
    }
    update() {}
    disconnect() {}
}
