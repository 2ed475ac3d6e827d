// @salesforce/i18n/locale for the LWC tests: the org's users are Italian (it_IT).
export default 'it-IT';
