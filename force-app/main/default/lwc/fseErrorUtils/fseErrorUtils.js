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
