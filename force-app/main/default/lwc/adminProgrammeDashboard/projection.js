// Pure functions of the programme dashboard: shares, month ranges, pivots for the charts and
// tables, the linear projection to the deadline, and CSV. No DOM, no Apex: unit-tested on their own.

const DAYS_PER_MONTH = 30.4375;

/** Percentage (one decimal) of part over whole; 0 when whole is 0. */
export function share(part, whole) {
    if (!whole) {
        return 0;
    }
    return Math.round((part / whole) * 1000) / 10;
}

/** 'YYYY-MM' of a Date or an ISO date string ('2025-03-14'), in local time for Date objects. */
export function monthOf(value) {
    if (typeof value === 'string') {
        return value.slice(0, 7);
    }
    return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}`;
}

function parseMonth(month) {
    const [year, mon] = month.split('-').map(Number);
    return { year, mon };
}

/** Months from 'YYYY-MM' to 'YYYY-MM', both included. */
export function monthRange(fromMonth, toMonth) {
    const months = [];
    if (!fromMonth || !toMonth || fromMonth > toMonth) {
        return months;
    }
    let { year, mon } = parseMonth(fromMonth);
    const end = parseMonth(toMonth);
    while (year < end.year || (year === end.year && mon <= end.mon)) {
        months.push(`${year}-${String(mon).padStart(2, '0')}`);
        mon += 1;
        if (mon > 12) {
            mon = 1;
            year += 1;
        }
    }
    return months;
}

/** Least-squares line through (0, values[0]) ... (n-1, values[n-1]). */
export function linearTrend(values) {
    const n = values.length;
    if (n === 0) {
        return { slope: 0, intercept: 0 };
    }
    if (n === 1) {
        return { slope: 0, intercept: values[0] };
    }
    const meanX = (n - 1) / 2;
    const meanY = values.reduce((sum, v) => sum + v, 0) / n;
    let num = 0;
    let den = 0;
    values.forEach((v, x) => {
        num += (x - meanX) * (v - meanY);
        den += (x - meanX) * (x - meanX);
    });
    const slope = den === 0 ? 0 : num / den;
    return { slope, intercept: meanY - slope * meanX };
}

function toDate(value) {
    if (value instanceof Date) {
        return value;
    }
    const [y, m, d] = String(value).slice(0, 10).split('-').map(Number);
    return new Date(y, m - 1, d);
}

/**
 * Projects the trained share to the deadline from the recent trend.
 * The last `trendMonths` full months before today's month (months without completions count as
 * 0) give a linear trend of professionals newly trained per month; it is extended month by month
 * (never below 0) until the deadline and added to today's trained count, capped at the population.
 *
 * @param {object} input { population, trained, trainedByMonth: [{month, count}], today, deadline,
 *                         trendMonths, targetShare }
 * @returns {object|null} { monthsLeft, monthlyRate, projectedTrained, projectedShare, onTrack,
 *                          requiredMonthlyRate, trendMonthsUsed } or null without a population
 */
export function projectTrained(input) {
    const { population, trained, today, deadline, targetShare } = input;
    if (!population || !deadline || !today) {
        return null;
    }
    const todayDate = toDate(today);
    const deadlineDate = toDate(deadline);
    const trendMonths = Math.max(1, Number(input.trendMonths) || 3);
    const currentMonth = monthOf(todayDate);
    const firstTrendMonth = new Date(
        todayDate.getFullYear(),
        todayDate.getMonth() - trendMonths,
        1
    );
    const lastTrendMonth = new Date(todayDate.getFullYear(), todayDate.getMonth() - 1, 1);
    const months = monthRange(monthOf(firstTrendMonth), monthOf(lastTrendMonth));
    const counts = new Map((input.trainedByMonth || []).map((row) => [row.month, row.count]));
    const values = months.filter((m) => m < currentMonth).map((m) => counts.get(m) || 0);
    const { slope, intercept } = linearTrend(values);

    const monthsLeft = Math.max(0, (deadlineDate - todayDate) / (DAYS_PER_MONTH * 86400000));
    let added = 0;
    let remaining = monthsLeft;
    let step = values.length; // x of the current month on the trend line
    while (remaining > 0) {
        const portion = Math.min(1, remaining);
        added += Math.max(0, intercept + slope * step) * portion;
        remaining -= portion;
        step += 1;
    }
    const projectedTrained = Math.min(population, Math.round(trained + added));
    const projectedShare = share(projectedTrained, population);
    const targetCount = Math.ceil(((Number(targetShare) || 0) * population) / 100);
    const missing = Math.max(0, targetCount - trained);
    return {
        monthsLeft: Math.round(monthsLeft * 10) / 10,
        monthlyRate: Math.max(0, Math.round(intercept + slope * values.length)),
        projectedTrained,
        projectedShare,
        onTrack: projectedTrained >= targetCount,
        requiredMonthlyRate: monthsLeft > 0 ? Math.ceil(missing / monthsLeft) : missing,
        trendMonthsUsed: values.length
    };
}

/**
 * Pivots the monthly rows ({month, macroCategory, macroLabel, targetCategory, targetLabel,
 * enrolments, completions}) into one series per category of `dimension` ('macro' | 'target')
 * over `months`, for `measure` ('enrolments' | 'completions'). Series are sorted by label;
 * rows without a category go under `uncategorisedLabel`.
 */
export function pivotMonthly(rows, dimension, measure, months, uncategorisedLabel) {
    const keyField = dimension === 'target' ? 'targetCategory' : 'macroCategory';
    const labelField = dimension === 'target' ? 'targetLabel' : 'macroLabel';
    const index = new Map(months.map((m, i) => [m, i]));
    const byKey = new Map();
    (rows || []).forEach((row) => {
        const position = index.get(row.month);
        const value = Number(row[measure]) || 0;
        if (position === undefined || value === 0) {
            return;
        }
        const key = row[keyField] || '';
        if (!byKey.has(key)) {
            byKey.set(key, {
                key,
                label: row[labelField] || row[keyField] || uncategorisedLabel,
                values: months.map(() => 0)
            });
        }
        byKey.get(key).values[position] += value;
    });
    return [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
}

function csvCell(value) {
    const text = value === undefined || value === null ? '' : String(value);
    return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV text (semicolon-separated, as Italian spreadsheet software expects; CRLF line ends).
 * Cells starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas.
 */
export function toCsv(headers, rows) {
    const safe = (value) => {
        return typeof value === 'string' && /^[=+\-@]/.test(value) ? `'${value}` : value;
    };
    return [headers, ...rows].map((row) => row.map((v) => csvCell(safe(v))).join(';')).join('\r\n');
}

/** data: URI of a CSV text, with a BOM so spreadsheet software reads it as UTF-8. */
export function csvDataUri(csv) {
    return `data:text/csv;charset=utf-8,${encodeURIComponent(`\ufeff${csv}`)}`;
}
