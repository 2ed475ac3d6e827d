// @salesforce/i18n/* for an Italian user (it_IT, Europe/Rome) or, with ?lang=en, an en_US one.
// Keys not listed here fall through to lightning-base-components' own (en-US) values.
import { lang } from 'wb/settings';

const VALUES = {
    it: {
        locale: 'it-IT',
        lang: 'it',
        timeZone: 'Europe/Rome',
        currency: 'EUR',
        firstDayOfWeek: 2,
        'dateTime.shortDateFormat': 'dd/MM/yyyy',
        'dateTime.mediumDateFormat': 'd MMM yyyy',
        'dateTime.longDateFormat': 'd MMMM yyyy',
        'dateTime.shortDateTimeFormat': 'dd/MM/yyyy HH:mm',
        'dateTime.mediumDateTimeFormat': 'd MMM yyyy HH:mm:ss',
        'dateTime.longDateTimeFormat': 'd MMMM yyyy HH:mm:ss',
        'dateTime.shortTimeFormat': 'HH:mm',
        'dateTime.mediumTimeFormat': 'HH:mm:ss',
        'number.decimalSeparator': ',',
        'number.groupingSeparator': '.',
        'number.currencySymbol': '€',
        'number.currencyFormat': '#,##0.00 ¤',
        'number.numberFormat': '#,##0.###',
        'number.percentFormat': '#,##0%'
    },
    en: {
        locale: 'en-US',
        lang: 'en',
        timeZone: 'Europe/Rome',
        currency: 'EUR',
        firstDayOfWeek: 1,
        'dateTime.shortDateFormat': 'M/d/yyyy',
        'dateTime.mediumDateFormat': 'MMM d, yyyy',
        'dateTime.longDateFormat': 'MMMM d, yyyy',
        'dateTime.shortDateTimeFormat': 'M/d/yyyy h:mm a',
        'dateTime.mediumDateTimeFormat': 'MMM d, yyyy h:mm:ss a',
        'dateTime.longDateTimeFormat': 'MMMM d, yyyy h:mm:ss a',
        'dateTime.shortTimeFormat': 'h:mm a',
        'dateTime.mediumTimeFormat': 'h:mm:ss a',
        'number.decimalSeparator': '.',
        'number.groupingSeparator': ',',
        'number.currencySymbol': '€',
        'number.currencyFormat': '¤#,##0.00',
        'number.numberFormat': '#,##0.###',
        'number.percentFormat': '#,##0%'
    }
};

export function i18n(key) {
    return VALUES[lang][key];
}
