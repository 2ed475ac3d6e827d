// Custom Labels of the programme dashboard.
import title from '@salesforce/label/c.FSE_Programme_Title';
import kpiPopulation from '@salesforce/label/c.FSE_Programme_KpiPopulation';
import kpiEngaged from '@salesforce/label/c.FSE_Programme_KpiEngaged';
import kpiTrained from '@salesforce/label/c.FSE_Programme_KpiTrained';
import kpiShareOf from '@salesforce/label/c.FSE_Programme_KpiShareOf';
import target from '@salesforce/label/c.FSE_Programme_Target';
import projectionHeading from '@salesforce/label/c.FSE_Programme_ProjectionHeading';
import projection from '@salesforce/label/c.FSE_Programme_Projection';
import onTrack from '@salesforce/label/c.FSE_Programme_OnTrack';
import offTrack from '@salesforce/label/c.FSE_Programme_OffTrack';
import noProjection from '@salesforce/label/c.FSE_Programme_NoProjection';
import orgHeading from '@salesforce/label/c.FSE_Programme_OrgHeading';
import orgCaption from '@salesforce/label/c.FSE_Programme_OrgCaption';
import orgChartAlt from '@salesforce/label/c.FSE_Programme_OrgChartAlt';
import colOrganisation from '@salesforce/label/c.FSE_Programme_ColOrganisation';
import colPopulation from '@salesforce/label/c.FSE_Programme_ColPopulation';
import colEngaged from '@salesforce/label/c.FSE_Programme_ColEngaged';
import colEngagedShare from '@salesforce/label/c.FSE_Programme_ColEngagedShare';
import colTrained from '@salesforce/label/c.FSE_Programme_ColTrained';
import colTrainedShare from '@salesforce/label/c.FSE_Programme_ColTrainedShare';
import colMonth from '@salesforce/label/c.FSE_Programme_ColMonth';
import colCategory from '@salesforce/label/c.FSE_Programme_ColCategory';
import total from '@salesforce/label/c.FSE_Programme_Total';
import timeHeading from '@salesforce/label/c.FSE_Programme_TimeHeading';
import timeCaption from '@salesforce/label/c.FSE_Programme_TimeCaption';
import timeChartAlt from '@salesforce/label/c.FSE_Programme_TimeChartAlt';
import measure from '@salesforce/label/c.FSE_Programme_Measure';
import measureEnrolments from '@salesforce/label/c.FSE_Programme_MeasureEnrolments';
import measureCompletions from '@salesforce/label/c.FSE_Programme_MeasureCompletions';
import dimension from '@salesforce/label/c.FSE_Programme_Dimension';
import dimensionMacro from '@salesforce/label/c.FSE_Programme_DimensionMacro';
import dimensionTarget from '@salesforce/label/c.FSE_Programme_DimensionTarget';
import showTable from '@salesforce/label/c.FSE_Programme_ShowTable';
import hideTable from '@salesforce/label/c.FSE_Programme_HideTable';
import exportCsv from '@salesforce/label/c.FSE_Programme_ExportCsv';
import empty from '@salesforce/label/c.FSE_Programme_Empty';
import noActivity from '@salesforce/label/c.FSE_Programme_NoActivity';
import uncategorised from '@salesforce/label/c.FSE_Programme_Uncategorised';
import chartError from '@salesforce/label/c.FSE_Programme_ChartError';

export const LABELS = {
    title,
    kpiPopulation,
    kpiEngaged,
    kpiTrained,
    kpiShareOf,
    target,
    projectionHeading,
    projection,
    onTrack,
    offTrack,
    noProjection,
    orgHeading,
    orgCaption,
    orgChartAlt,
    colOrganisation,
    colPopulation,
    colEngaged,
    colEngagedShare,
    colTrained,
    colTrainedShare,
    colMonth,
    colCategory,
    total,
    timeHeading,
    timeCaption,
    timeChartAlt,
    measure,
    measureEnrolments,
    measureCompletions,
    dimension,
    dimensionMacro,
    dimensionTarget,
    showTable,
    hideTable,
    exportCsv,
    empty,
    noActivity,
    uncategorised,
    chartError
};
