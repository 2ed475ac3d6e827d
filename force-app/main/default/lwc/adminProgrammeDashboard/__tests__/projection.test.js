import {
    share,
    monthRange,
    linearTrend,
    projectTrained,
    pivotMonthly,
    toCsv,
    csvDataUri
} from '../projection';

describe('adminProgrammeDashboard projection helpers', () => {
    it('computes shares with one decimal and no division by zero', () => {
        expect(share(1, 3)).toBe(33.3);
        expect(share(170, 200)).toBe(85);
        expect(share(5, 0)).toBe(0);
    });

    it('lists months across a year boundary', () => {
        expect(monthRange('2024-11', '2025-02')).toEqual([
            '2024-11',
            '2024-12',
            '2025-01',
            '2025-02'
        ]);
        expect(monthRange('2025-03', '2025-01')).toEqual([]);
    });

    it('fits a least-squares line', () => {
        expect(linearTrend([10, 15, 20])).toEqual({ slope: 5, intercept: 10 });
        expect(linearTrend([7])).toEqual({ slope: 0, intercept: 7 });
        expect(linearTrend([])).toEqual({ slope: 0, intercept: 0 });
        const { slope, intercept } = linearTrend([1, 3, 2, 6]);
        expect(slope).toBeCloseTo(1.4, 5);
        expect(intercept).toBeCloseTo(0.9, 5);
    });

    const base = {
        population: 1000,
        trained: 300,
        today: '2025-04-01',
        deadline: '2025-07-01',
        trendMonths: 3,
        targetShare: 85
    };

    it('projects a steady pace to the deadline and flags a shortfall', () => {
        const p = projectTrained({
            ...base,
            trainedByMonth: [
                { month: '2025-01', count: 20 },
                { month: '2025-02', count: 20 },
                { month: '2025-03', count: 20 }
            ]
        });
        // 91 days ≈ 2.99 months at 20 a month ≈ 60 more
        expect(p.monthsLeft).toBe(3);
        expect(p.monthlyRate).toBe(20);
        expect(p.projectedTrained).toBe(360);
        expect(p.projectedShare).toBe(36);
        expect(p.onTrack).toBe(false);
        // (850 - 300) / 2.99 months
        expect(p.requiredMonthlyRate).toBe(184);
        expect(p.trendMonthsUsed).toBe(3);
    });

    it('ignores the current, partial month and counts months without completions as zero', () => {
        const p = projectTrained({
            ...base,
            trainedByMonth: [
                { month: '2025-03', count: 30 },
                { month: '2025-04', count: 999 }
            ]
        });
        // values [0, 0, 30]: slope 15, intercept -5; next months 40, 55, 70 (last one 0.99)
        expect(p.monthlyRate).toBe(40);
        // 91 days = 2.99 months: 40 + 55 + 70 x 0.99 = 164.3
        expect(p.projectedTrained).toBe(464);
    });

    it('never projects a negative pace and caps at the population', () => {
        const falling = projectTrained({
            ...base,
            trainedByMonth: [
                { month: '2025-01', count: 30 },
                { month: '2025-02', count: 20 },
                { month: '2025-03', count: 10 }
            ]
        });
        expect(falling.monthlyRate).toBe(0);
        expect(falling.projectedTrained).toBe(300);

        const booming = projectTrained({
            ...base,
            trainedByMonth: [
                { month: '2025-01', count: 500 },
                { month: '2025-02', count: 500 },
                { month: '2025-03', count: 500 }
            ]
        });
        expect(booming.projectedTrained).toBe(1000);
        expect(booming.projectedShare).toBe(100);
        expect(booming.onTrack).toBe(true);
    });

    it('has no projection without a population or after the deadline adds nothing', () => {
        expect(projectTrained({ ...base, population: 0, trainedByMonth: [] })).toBeNull();
        const late = projectTrained({
            ...base,
            today: '2026-07-15',
            deadline: '2026-06-30',
            trainedByMonth: [{ month: '2026-06', count: 50 }]
        });
        expect(late.monthsLeft).toBe(0);
        expect(late.projectedTrained).toBe(300);
        expect(late.requiredMonthlyRate).toBe(550);
    });

    it('pivots monthly rows into one aligned series per category', () => {
        const rows = [
            { month: '2025-01', macroCategory: 'B', macroLabel: 'Beta', enrolments: 3 },
            { month: '2025-02', macroCategory: 'A', macroLabel: 'Alfa', enrolments: 4 },
            { month: '2025-02', macroCategory: 'B', macroLabel: 'Beta', enrolments: 1 },
            { month: '2025-02', macroCategory: null, enrolments: 2 },
            { month: '2024-01', macroCategory: 'A', macroLabel: 'Alfa', enrolments: 99 },
            { month: '2025-01', macroCategory: 'C', macroLabel: 'Gamma', enrolments: 0 }
        ];
        const series = pivotMonthly(rows, 'macro', 'enrolments', ['2025-01', '2025-02'], 'N/C');
        expect(series).toEqual([
            { key: 'A', label: 'Alfa', values: [0, 4] },
            { key: 'B', label: 'Beta', values: [3, 1] },
            { key: '', label: 'N/C', values: [0, 2] }
        ]);
    });

    it('builds semicolon CSV with quoting and formula protection', () => {
        const csv = toCsv(
            ['Ente', 'Quota'],
            [
                ['ASST "Alfa"; Nord', 12.5],
                ['=HYPERLINK("x")', 1]
            ]
        );
        expect(csv).toBe('Ente;Quota\r\n"ASST ""Alfa""; Nord";12.5\r\n"\'=HYPERLINK(""x"")";1');
        const uri = csvDataUri('a;b');
        expect(uri.startsWith('data:text/csv;charset=utf-8,%EF%BB%BF')).toBe(true);
        expect(decodeURIComponent(uri.split(',')[1])).toBe('\ufeffa;b');
    });
});
