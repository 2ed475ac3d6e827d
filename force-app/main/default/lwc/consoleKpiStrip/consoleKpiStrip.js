import { LightningElement, api } from 'lwc';
import getKpis from '@salesforce/apex/ConsoleKpiController.getKpis';
import TITLE from '@salesforce/label/c.FSE_Kpi_Title';
import OPEN_CASES from '@salesforce/label/c.FSE_Kpi_OpenCases';
import OPEN_CASES_HINT from '@salesforce/label/c.FSE_Kpi_OpenCasesHint';
import DUE_SOON from '@salesforce/label/c.FSE_Kpi_DueSoon';
import OVERDUE from '@salesforce/label/c.FSE_Kpi_Overdue';
import CSAT from '@salesforce/label/c.FSE_Kpi_Csat';
import CSAT_VALUE from '@salesforce/label/c.FSE_Kpi_CsatValue';
import CSAT_RESPONSES from '@salesforce/label/c.FSE_Kpi_CsatResponses';
import NO_CSAT from '@salesforce/label/c.FSE_Kpi_NoCsat';
import EMPTY from '@salesforce/label/c.FSE_Kpi_Empty';
import REFRESH from '@salesforce/label/c.FSE_Kpi_Refresh';
import AS_OF from '@salesforce/label/c.FSE_Kpi_AsOf';
import { format, formatDate, formatNumber } from 'c/fsePortalUtils';

const MIN_POLL_SECONDS = 60;

/**
 * The service console's KPI strip (issue 19): the user's open backlog, the open cases whose SLA
 * falls due within the risk window (default the next hour) and those already past it, and
 * today's satisfaction rating of support cases. Numbers count what the user may see
 * (ConsoleKpiController, user mode). Refreshed every pollSeconds and with the refresh button,
 * which keeps the focus; the time of the last update is announced politely.
 */
export default class ConsoleKpiStrip extends LightningElement {
    /** Seconds between automatic refreshes (at least 60; 0 = only with the button). */
    @api pollSeconds = 300;

    labels = { title: TITLE, refresh: REFRESH, empty: EMPTY };

    kpis;
    error;
    loading = true;
    pollTimer;

    connectedCallback() {
        this.load();
        const seconds = Number(this.pollSeconds);
        if (seconds > 0) {
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            this.pollTimer = setInterval(
                () => this.load(),
                Math.max(MIN_POLL_SECONDS, seconds) * 1000
            );
        }
    }

    disconnectedCallback() {
        if (this.pollTimer) {
            clearInterval(this.pollTimer);
            this.pollTimer = undefined;
        }
    }

    load() {
        this.loading = true;
        return getKpis()
            .then((result) => {
                this.kpis = result;
                this.error = undefined;
            })
            .catch((error) => {
                this.error = error;
                this.kpis = undefined;
            })
            .finally(() => {
                this.loading = false;
            });
    }

    handleRefresh() {
        this.load();
    }

    /** First load only: a refresh keeps the numbers on screen until the new ones arrive. */
    get isLoading() {
        return this.loading && !this.kpis && !this.error;
    }
    get isEmpty() {
        return !!this.kpis && this.kpis.openCases === 0 && this.kpis.csatResponses === 0;
    }
    get hasKpis() {
        return !!this.kpis && !this.isEmpty;
    }
    get busy() {
        return this.loading ? 'true' : 'false';
    }

    get tiles() {
        const k = this.kpis;
        const hasCsat = k.csatAverage !== null && k.csatAverage !== undefined;
        return [
            {
                key: 'open',
                label: OPEN_CASES,
                value: formatNumber(k.openCases, 0),
                detail: OPEN_CASES_HINT,
                valueClass: 'slds-text-heading_large fse-kpi-value fse-open'
            },
            {
                key: 'risk',
                label: format(DUE_SOON, formatNumber(k.riskWindowMinutes, 0)),
                value: formatNumber(k.dueSoonCases, 0),
                detail: format(OVERDUE, formatNumber(k.overdueCases, 0)),
                valueClass: `slds-text-heading_large fse-kpi-value fse-risk${
                    k.dueSoonCases > 0 || k.overdueCases > 0 ? ' slds-text-color_error' : ''
                }`
            },
            {
                key: 'csat',
                label: CSAT,
                value: hasCsat ? format(CSAT_VALUE, formatNumber(k.csatAverage, 1)) : '-',
                detail: hasCsat
                    ? format(CSAT_RESPONSES, formatNumber(k.csatResponses, 0))
                    : NO_CSAT,
                valueClass: 'slds-text-heading_large fse-kpi-value fse-csat'
            }
        ];
    }

    get asOf() {
        return this.kpis ? format(AS_OF, formatDate(this.kpis.asOf, 'time')) : '';
    }
}
