// State the platform stand-ins share with the workbench page: the page reference a component
// sees, and what it asked the platform to do (navigations, toasts), for people and tests.
let pageReference = { type: 'comm__namedPage', attributes: { name: 'Home' }, state: {} };
const events = [];
let listener = () => {};

export function setPageReference(next) {
    pageReference = next;
}
export function currentPageReference() {
    return pageReference;
}
export function recordNavigation(reference, replace) {
    const event = { kind: 'navigate', pageReference: reference, replace: !!replace };
    events.push(event);
    listener(event);
}
export function recordToast(toast) {
    const event = { kind: 'toast', ...toast };
    events.push(event);
    listener(event);
}
export function platformEvents() {
    return events.slice();
}
export function clearPlatformEvents() {
    events.length = 0;
}
export function onPlatformEvent(callback) {
    listener = callback;
}
