/**
 * Reduces one or more LDS / Apex / JS errors into a list of readable messages.
 * Handles: string, Error, { body: { message } }, { body: [{ message }] } (UI API),
 * { body: { pageErrors, fieldErrors } } (DML), and arrays of any of these.
 * @param {*} errors
 * @returns {string[]}
 */
export function reduceErrors(errors) {
    if (errors === undefined || errors === null) {
        return [];
    }
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .filter((error) => !!error)
        .map((error) => {
            if (typeof error === 'string') {
                return error;
            }
            const body = error.body;
            if (Array.isArray(body)) {
                return body.map((e) => e.message);
            }
            if (body && Array.isArray(body.pageErrors) && body.pageErrors.length > 0) {
                return body.pageErrors.map((e) => e.message);
            }
            if (body && body.fieldErrors && Object.keys(body.fieldErrors).length > 0) {
                return Object.values(body.fieldErrors)
                    .flat()
                    .map((e) => e.message);
            }
            if (body && typeof body.message === 'string') {
                return body.message;
            }
            if (typeof error.message === 'string') {
                return error.message;
            }
            return error.statusText;
        })
        .flat()
        .filter((message) => !!message);
}

/**
 * The messages of an error that were written for the user, and only those. Salesforce ("Handle
 * Errors from Apex", LWC Developer Guide): an AuraHandledException reaches the browser with the
 * message the Apex code set (ours are Custom Labels) and without body.stackTrace; an unhandled
 * exception carries its exception type and stack trace, and its text is technical and English.
 * JavaScript errors (TypeError, network failures) and UI API / DML errors are platform text too.
 * Strings are messages a component built itself from labels.
 * @param {*} errors
 * @returns {string[]}
 */
export function userMessages(errors) {
    if (errors === undefined || errors === null) {
        return [];
    }
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .map((error) => {
            if (typeof error === 'string') {
                return error;
            }
            const body = error && error.body;
            if (
                body &&
                !Array.isArray(body) &&
                typeof body.message === 'string' &&
                !body.stackTrace &&
                !(body.exceptionType && !/AuraHandledException$/.test(body.exceptionType)) &&
                !(body.pageErrors && body.pageErrors.length) &&
                !(body.fieldErrors && Object.keys(body.fieldErrors).length)
            ) {
                return body.message;
            }
            return undefined;
        })
        .filter((message) => !!message);
}

/** What to tell the user about an error: its user-facing messages, or the given generic text. */
export function userMessage(errors, fallback) {
    const messages = userMessages(errors);
    return messages.length ? messages.join(' ') : fallback;
}
