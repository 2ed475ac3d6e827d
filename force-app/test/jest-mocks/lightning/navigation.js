// Shared mock of lightning/navigation: records what a component asked to navigate to,
// so tests can assert the page reference (getNavigateCalledWith) and drive CurrentPageReference.
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

let lastNavigation;
let lastGenerateUrl;

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](pageReference, replace) {
            lastNavigation = { pageReference, replace };
        }
        [GenerateUrl](pageReference) {
            lastGenerateUrl = pageReference;
            return Promise.resolve('/s/generated-url');
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** The page reference passed to the last [NavigationMixin.Navigate] call. */
export const getNavigateCalledWith = () => lastNavigation;
/** The page reference passed to the last [NavigationMixin.GenerateUrl] call. */
export const getGenerateUrlCalledWith = () => lastGenerateUrl;
export const resetNavigationMock = () => {
    lastNavigation = undefined;
    lastGenerateUrl = undefined;
};
