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
