// Quiet hours: the time of day in Europe/Rome (the region's clock, whatever the worker's time
// zone), and whether it falls in a window such as 20:00-09:00 that spans midnight.

/** Minutes since midnight in `timeZone` at `at`. */
export function minutesOfDay(at: Date, timeZone = 'Europe/Rome'): number {
    const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23'
    }).formatToParts(at);
    const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
    return hour * 60 + minute;
}

const asMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in [start, end) in Europe/Rome; a window may span midnight. */
export function inQuietHours(
    at: Date,
    window: { start: string; end: string } | null | undefined,
    timeZone = 'Europe/Rome'
): boolean {
    if (!window) return false;
    const now = minutesOfDay(at, timeZone);
    const start = asMinutes(window.start);
    const end = asMinutes(window.end);
    if (start === end) return false;
    return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The instant the Europe/Rome calendar day of `at` began (daily caps count from there). */
export function startOfDay(at: Date, timeZone = 'Europe/Rome'): Date {
    const back =
        minutesOfDay(at, timeZone) * 60_000 + at.getUTCSeconds() * 1000 + at.getUTCMilliseconds();
    return new Date(at.getTime() - back);
}
