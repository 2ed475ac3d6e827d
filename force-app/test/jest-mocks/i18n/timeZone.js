// @salesforce/i18n/timeZone for the LWC tests: the region's users are in Europe/Rome.
export default 'Europe/Rome';
