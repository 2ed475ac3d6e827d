import { ApiBudget, BudgetExceededError, parseLimitInfo } from '../../src/salesforce/budget.ts';

describe('API budget', () => {
    it('parses Sforce-Limit-Info', () => {
        expect(parseLimitInfo('api-usage=25/15000; api-bursts=1')).toEqual({
            used: 25,
            max: 15000
        });
        expect(parseLimitInfo(null)).toBeUndefined();
    });

    it('stops before exceeding the share of the remaining daily requests, keeping a reserve', () => {
        const b = new ApiBudget(0.1, 2);
        b.beforeCall();
        b.observe('api-usage=14901/15000'); // 99 remaining before this run's first call + 1 used
        expect(b.allowance).toBe(10);
        for (let i = 0; i < 7; i++) b.beforeCall();
        expect(() => b.beforeCall()).toThrow(BudgetExceededError);
        b.beforeCall(true); // the reserve closes the run
        b.beforeCall(true);
        expect(() => b.beforeCall(true)).toThrow(BudgetExceededError);
    });
});
