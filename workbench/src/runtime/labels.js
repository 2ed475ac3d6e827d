// @salesforce/label/c.* in the browser: the Italian CustomLabels value, or the en_US translation
// when the workbench runs with ?lang=en (falling back to Italian like the platform does).
import data from 'wb/labelData';
import { lang } from 'wb/settings';

export function label(name) {
    return (lang === 'en' && data.en[name]) || data.it[name];
}
