// Workbench settings read from the page URL: ?lang=en shows the en_US translation (default it).
const params = new URLSearchParams(window.location.search);

export const lang = params.get('lang') === 'en' ? 'en' : 'it';
/** ?bare=1: only the component, no workbench chrome (used by the browser tests). */
export const bare = params.get('bare') === '1';
