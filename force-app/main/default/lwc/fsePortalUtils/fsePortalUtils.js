/**
 * Small helpers shared by the FSE portal and console components.
 */
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';

/** Fills {0}, {1}... in a Custom Label with the given values. */
export function format(template, ...values) {
    return values.reduce(
        (text, value, i) => text.split(`{${i}}`).join(value === undefined ? '' : value),
        template || ''
    );
}

/** Enrolment statuses that mean "currently enrolled". */
export const ACTIVE_ENROLMENT = ['Enrolled', 'InProgress'];

/**
 * Rows for a questionnaire of lightning-radio-group: numbered label, the chosen value, and the
 * options as { label, value } with the option's index as value (the server scores by index).
 */
export function questionRows(questions, answers) {
    return questions.map((q, index) => ({
        ...q,
        label: `${index + 1}. ${q.text}`,
        value: answers[q.id],
        options: q.options.map((option, i) => ({ label: option, value: String(i) }))
    }));
}

/** The answers as question id → option index, or null while a question is unanswered. */
export function numericAnswers(questions, answers) {
    if (questions.some((q) => answers[q.id] === undefined)) {
        return null;
    }
    const result = {};
    questions.forEach((q) => {
        result[q.id] = Number(answers[q.id]);
    });
    return result;
}

/** A number in the user's locale ("1,5" for Italian users), at most maxFractionDigits decimals. */
export function formatNumber(value, maxFractionDigits = 1) {
    if (value === null || value === undefined || value === '' || Number.isNaN(Number(value))) {
        return '';
    }
    return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: maxFractionDigits }).format(
        Number(value)
    );
}

const DATE_STYLES = {
    short: { day: 'numeric', month: 'short', year: 'numeric' },
    long: { day: 'numeric', month: 'long', year: 'numeric' },
    dateTime: {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit'
    },
    shortDateTime: {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit'
    },
    longDateTime: {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit'
    },
    time: { hour: '2-digit', minute: '2-digit' },
    month: { month: 'short', year: 'numeric' }
};

/**
 * A date or timestamp in the user's locale and time zone, like lightning-formatted-date-time
 * ("3 nov 2025" for Italian users). Used where the date sits inside a sentence: the template
 * compiler drops the whitespace between a text and an element ("Aperta il3 nov 2025").
 */
export function formatDate(value, style = 'short') {
    if (!value) {
        return '';
    }
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
        return '';
    }
    const options = { ...DATE_STYLES[style] };
    // a date without time (yyyy-mm-dd) or a month (yyyy-mm) is a calendar value, not an
    // instant: never shift it to another time zone
    if (typeof value === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(value)) {
        options.timeZone = 'UTC';
    } else if (TIME_ZONE) {
        options.timeZone = TIME_ZONE;
    }
    return new Intl.DateTimeFormat(LOCALE, options).format(date);
}
