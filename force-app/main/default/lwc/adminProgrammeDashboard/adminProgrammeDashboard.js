import { LightningElement, wire } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import CHARTJS from '@salesforce/resourceUrl/chartjs';
import getDashboard from '@salesforce/apex/ProgrammeDashboardController.getDashboard';
import { LABELS } from './labels';
import { formatDate, formatNumber } from 'c/fsePortalUtils';
import {
    share,
    monthOf,
    monthRange,
    pivotMonthly,
    projectTrained,
    toCsv,
    csvDataUri
} from './projection';

const COLORS = [
    '#0176d3',
    '#2e844a',
    '#dd7a01',
    '#ba0517',
    '#9050e9',
    '#06a59a',
    '#e3066a',
    '#747474',
    '#8a6d00',
    '#014486'
];

function format(template, ...values) {
    return String(template || '').replace(/\{(\d+)\}/g, (match, index) => {
        const value = values[index];
        return value === undefined || value === null ? '' : String(value);
    });
}

/**
 * PNRR programme dashboard (issue 9) for regional managers: MMG/PLS engaged and trained, overall
 * and per organisation, against the target and deadline of FseProgrammeSetting__mdt; enrolments
 * and completions per month by macro-category or target category; a linear projection to the
 * deadline (projection.js). Charts use Chart.js from the chartjs static resource; every chart
 * has a real table alternative and a CSV export. If Chart.js cannot load, the tables are shown.
 */
export default class AdminProgrammeDashboard extends LightningElement {
    labels = LABELS;

    dashboard;
    error;
    loaded = false;

    measure = 'enrolments';
    dimension = 'macro';
    showOrgTable = false;
    showTimeTable = false;

    chartJsLoaded = false;
    chartJsFailed = false;
    chartJsRequested = false;
    charts = {};

    @wire(getDashboard)
    wiredDashboard({ data, error }) {
        if (data) {
            this.dashboard = data;
            this.error = undefined;
            this.loaded = true;
        } else if (error) {
            this.dashboard = undefined;
            this.error = error;
            this.loaded = true;
        }
    }

    renderedCallback() {
        if (!this.hasData) {
            return;
        }
        if (!this.chartJsRequested) {
            this.chartJsRequested = true;
            loadScript(this, CHARTJS)
                .then(() => {
                    this.chartJsLoaded = true;
                    this.drawCharts();
                })
                .catch(() => {
                    this.chartJsFailed = true;
                    this.showOrgTable = true;
                    this.showTimeTable = true;
                });
        } else if (this.chartJsLoaded) {
            this.drawCharts();
        }
    }

    disconnectedCallback() {
        Object.values(this.charts).forEach((chart) => chart && chart.destroy());
        this.charts = {};
    }

    // ---- state ----

    get isLoading() {
        return !this.loaded;
    }
    get hasError() {
        return !!this.error;
    }
    get isEmpty() {
        return !!this.dashboard && !this.dashboard.population;
    }
    get hasData() {
        return !!this.dashboard && this.dashboard.population > 0;
    }

    // ---- KPIs and projection ----

    get settings() {
        return (this.dashboard && this.dashboard.settings) || {};
    }
    get kpis() {
        const d = this.dashboard;
        return [
            {
                key: 'population',
                label: LABELS.kpiPopulation,
                value: formatNumber(d.population)
            },
            {
                key: 'engaged',
                label: LABELS.kpiEngaged,
                value: format(
                    LABELS.kpiShareOf,
                    formatNumber(share(d.engaged, d.population)),
                    formatNumber(d.engaged),
                    formatNumber(d.population)
                )
            },
            {
                key: 'trained',
                label: LABELS.kpiTrained,
                value: format(
                    LABELS.kpiShareOf,
                    formatNumber(share(d.trained, d.population)),
                    formatNumber(d.trained),
                    formatNumber(d.population)
                )
            }
        ];
    }
    get trainedShare() {
        return share(this.dashboard.trained, this.dashboard.population);
    }
    get targetText() {
        return format(
            LABELS.target,
            formatNumber(this.settings.targetShare),
            formatDate(this.settings.deadline, 'long')
        );
    }
    get projection() {
        const d = this.dashboard;
        return projectTrained({
            population: d.population,
            trained: d.trained,
            trainedByMonth: d.trainedByMonth,
            today: d.today,
            deadline: this.settings.deadline,
            trendMonths: this.settings.trendMonths,
            targetShare: this.settings.targetShare
        });
    }
    get hasProjection() {
        const p = this.projection;
        return !!p && p.trendMonthsUsed > 0;
    }
    get projectionText() {
        const p = this.projection;
        return format(
            LABELS.projection,
            p.trendMonthsUsed,
            formatNumber(p.monthlyRate),
            formatNumber(p.projectedShare),
            formatNumber(p.projectedTrained)
        );
    }
    get projectionOnTrack() {
        return this.projection.onTrack;
    }
    get offTrackText() {
        return format(LABELS.offTrack, formatNumber(this.projection.requiredMonthlyRate));
    }
    get projectionClass() {
        return this.projectionOnTrack
            ? 'fse-projection-verdict slds-text-color_success'
            : 'fse-projection-verdict slds-text-color_error';
    }

    // ---- organisations ----

    get organisationRows() {
        return (this.dashboard.organisations || []).map((org) => ({
            ...org,
            key: org.accountId || org.name,
            engagedShare: share(org.engaged, org.population),
            trainedShare: share(org.trained, org.population),
            engagedShareText: formatNumber(share(org.engaged, org.population)),
            trainedShareText: formatNumber(share(org.trained, org.population))
        }));
    }
    get orgToggleLabel() {
        return this.showOrgTable ? LABELS.hideTable : LABELS.showTable;
    }
    /** Button names with their section: two "Mostra tabella" / "Esporta CSV" must differ. */
    get orgToggleName() {
        return `${this.orgToggleLabel}: ${LABELS.orgHeading}`;
    }
    get orgExportName() {
        return `${LABELS.exportCsv}: ${LABELS.orgHeading}`;
    }
    get timeToggleName() {
        return `${this.timeToggleLabel}: ${LABELS.timeHeading}`;
    }
    get timeExportName() {
        return `${LABELS.exportCsv}: ${LABELS.timeHeading}`;
    }
    get orgTableExpanded() {
        return this.showOrgTable ? 'true' : 'false';
    }
    orgCsvRows() {
        return this.organisationRows.map((o) => [
            o.name,
            o.population,
            o.engaged,
            o.engagedShare,
            o.trained,
            o.trainedShare
        ]);
    }

    // ---- time series ----

    get months() {
        const d = this.dashboard;
        return monthRange(d.fromMonth, monthOf(d.today));
    }
    get series() {
        return pivotMonthly(
            this.dashboard.monthly,
            this.dimension,
            this.measure,
            this.months,
            LABELS.uncategorised
        );
    }
    get hasSeries() {
        return this.series.length > 0;
    }
    get measureLabel() {
        return this.measure === 'completions'
            ? LABELS.measureCompletions
            : LABELS.measureEnrolments;
    }
    get dimensionLabel() {
        return this.dimension === 'target' ? LABELS.dimensionTarget : LABELS.dimensionMacro;
    }
    get timeCaption() {
        return format(LABELS.timeCaption, this.measureLabel, this.dimensionLabel.toLowerCase());
    }
    get timeChartAlt() {
        return format(LABELS.timeChartAlt, this.measureLabel, this.dimensionLabel.toLowerCase());
    }
    get measureOptions() {
        return [
            { label: LABELS.measureEnrolments, value: 'enrolments' },
            { label: LABELS.measureCompletions, value: 'completions' }
        ];
    }
    get dimensionOptions() {
        return [
            { label: LABELS.dimensionMacro, value: 'macro' },
            { label: LABELS.dimensionTarget, value: 'target' }
        ];
    }
    /** Table: one row per month, one column per category, plus the total. */
    get timeHeaders() {
        return this.series.map((s) => ({ key: s.key || '-', label: s.label }));
    }
    get timeRows() {
        const series = this.series;
        return this.months.map((month, i) => {
            const cells = series.map((s) => ({ key: `${month}-${s.key}`, value: s.values[i] }));
            return {
                month,
                monthLabel: formatDate(month, 'month'),
                cells,
                total: cells.reduce((sum, c) => sum + c.value, 0)
            };
        });
    }
    get timeToggleLabel() {
        return this.showTimeTable ? LABELS.hideTable : LABELS.showTable;
    }
    get timeTableExpanded() {
        return this.showTimeTable ? 'true' : 'false';
    }

    // ---- handlers ----

    handleMeasureChange(event) {
        this.measure = event.detail.value;
    }
    handleDimensionChange(event) {
        this.dimension = event.detail.value;
    }
    handleToggleOrgTable() {
        this.showOrgTable = !this.showOrgTable;
    }
    handleToggleTimeTable() {
        this.showTimeTable = !this.showTimeTable;
    }

    handleExportOrganisations() {
        const csv = toCsv(
            [
                LABELS.colOrganisation,
                LABELS.colPopulation,
                LABELS.colEngaged,
                LABELS.colEngagedShare,
                LABELS.colTrained,
                LABELS.colTrainedShare
            ],
            this.orgCsvRows()
        );
        this.download(csv, 'programma-fse-enti.csv');
    }

    handleExportTimeSeries() {
        const csv = toCsv(
            [LABELS.colMonth, ...this.timeHeaders.map((h) => h.label), LABELS.total],
            this.timeRows.map((row) => [row.month, ...row.cells.map((c) => c.value), row.total])
        );
        this.download(csv, `programma-fse-${this.measure}-${this.dimension}.csv`);
    }

    download(csv, fileName) {
        const link = document.createElement('a');
        link.href = csvDataUri(csv);
        link.download = fileName;
        link.target = '_self';
        link.style.display = 'none';
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
    }

    // ---- charts ----

    drawCharts() {
        this.drawChart('org', '.fse-chart-org', LABELS.orgChartAlt, () => this.orgChartConfig());
        this.drawChart('time', '.fse-chart-time', this.timeChartAlt, () => this.timeChartConfig());
    }

    drawChart(name, selector, altText, configFactory) {
        const container = this.template.querySelector(selector);
        if (!container || !window.Chart) {
            return;
        }
        const config = configFactory();
        const signature = JSON.stringify(config.data);
        const existing = this.charts[name];
        if (
            existing &&
            existing.fseSignature === signature &&
            existing.fseContainer === container
        ) {
            return;
        }
        if (existing) {
            existing.destroy();
        }
        while (container.firstChild) {
            container.removeChild(container.firstChild);
        }
        const canvas = document.createElement('canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', altText);
        container.appendChild(canvas);
        const chart = new window.Chart(canvas, config);
        chart.fseSignature = signature;
        chart.fseContainer = container;
        this.charts[name] = chart;
    }

    orgChartConfig() {
        const rows = this.organisationRows;
        const target = Number(this.settings.targetShare) || 0;
        return {
            type: 'bar',
            data: {
                labels: rows.map((r) => r.name),
                datasets: [
                    {
                        label: LABELS.colEngagedShare,
                        data: rows.map((r) => r.engagedShare),
                        backgroundColor: COLORS[0]
                    },
                    {
                        label: LABELS.colTrainedShare,
                        data: rows.map((r) => r.trainedShare),
                        backgroundColor: COLORS[1]
                    },
                    {
                        type: 'line',
                        label: this.targetText,
                        data: rows.map(() => target),
                        borderColor: COLORS[3],
                        borderDash: [6, 4],
                        pointRadius: 0,
                        fill: false
                    }
                ]
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                scales: { y: { min: 0, max: 100 } }
            }
        };
    }

    timeChartConfig() {
        return {
            type: 'bar',
            data: {
                labels: this.months.map((month) => formatDate(month, 'month')),
                datasets: this.series.map((s, i) => ({
                    label: s.label,
                    data: s.values,
                    backgroundColor: COLORS[i % COLORS.length]
                }))
            },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
            }
        };
    }
}
