/**
 * Small helpers shared by the FSE portal components.
 */

/** Fills {0}, {1}... in a Custom Label with the given values. */
export function format(template, ...values) {
    return values.reduce(
        (text, value, i) => text.split(`{${i}}`).join(value === undefined ? '' : value),
        template || ''
    );
}

/** Enrolment statuses that mean "currently enrolled". */
export const ACTIVE_ENROLMENT = ['Enrolled', 'InProgress'];
