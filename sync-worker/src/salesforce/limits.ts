// The org's daily API allocation when no answer carried a Sforce-Limit-Info header yet:
// one GET /limits fixes the run's API budget (salesforce/budget.ts).
import type { SfClient } from './http.ts';

/** Reads /limits once when the budget is still unknown (no call otherwise). */
export async function learnDailyAllowance(client: SfClient): Promise<void> {
    if (client.budget.known) return;
    const limits = await client.json<{ DailyApiRequests?: { Remaining?: number } }>(
        'GET',
        `${client.dataPath}/limits/`
    );
    const remaining = limits?.DailyApiRequests?.Remaining;
    if (typeof remaining === 'number') client.budget.setRemaining(remaining + client.calls);
}
