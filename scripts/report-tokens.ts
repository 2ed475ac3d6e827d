// Column tokens of the STANDARD report types our reports may use (scripts/report-check.ts).
//
// Reports on a standard report type do not name API fields: their columns are report tokens
// (CAMPAIGN_NAME, MEMBER_STATUS, OWNER...) that Salesforce does not publish per report type, and
// a wrong token fails the deploy ("Invalid value specified"). Custom fields are the exception:
// they are named Object.Field__c (the object being one of the report type's objects). So this
// map lists only tokens seen in metadata retrieved from real orgs or accepted by one, each with
// where it was seen; the check resolves every token's field against the schema as well, so the
// map itself cannot name a field that does not exist. A token missing here fails metadata:check:
// add it only with its evidence (retrieve a report built in the org's report builder:
// `sf project retrieve start --metadata "Report:<Folder>/<Report>"` and read its <field>s).
//
// Custom report types (reportTypes/ in force-app) need no map: their tokens are
// Table$Field paths that the check resolves against the report type and the schema.
import type { FieldKind } from './soql-check.ts';

export interface StandardToken {
    /** Object.Field (or Object.Relationship for a lookup shown by name) the token shows. */
    field: string;
    kind: FieldKind;
    /** Where the token was seen (a file in a public repository, or an org's answer). */
    evidence: string;
}

export interface StandardReportType {
    /** Objects whose custom fields the report type shows as Object.Field__c. */
    objects: string[];
    tokens: Record<string, StandardToken>;
    /** Where the report type's name was seen. */
    evidence: string;
}

const NPSP_CAMPAIGN_CONTACT =
    'github.com/SalesforceFoundation/NPSP force-app/main/default/reports/npe01__Nonprofit_Edition_Reports/NPSP_Campaign_Household_Mailing_List_V2.report-meta.xml (reportType CampaignContact, retrieved from an org)';
const NPSP_CAMPAIGN_LIST =
    'github.com/SalesforceFoundation/NPSP unpackaged/config/reports/reports/NPSP_Dashboard_Reports/DASH_Campaign_ROI_Analysis.report (reportType CampaignList, retrieved from an org)';
const NPSP_CAMPAIGN_DASHBOARD =
    'github.com/SalesforceFoundation/NPSP unpackaged/config/reports/dashboards/NPSP_Dashboards/NPSP_Campaign_ROI_Analysis.dashboard (dashboard filter columns on CampaignList)';
const LIVE_ORG_CAMPAIGN_MEMBERS =
    "a published inventory of a live org's reports on CampaignWithCampaignMembers (filters CampaignMember.<custom>__c, Campaign.<custom>__c, MEMBER_STATUS; unique CAMPAIGN_ID, MEMBER_ID; MEMBER_CREATED_DATE): report type name and token shapes, not yet deployed by us";
const LIVE_ORG_CASE_PROBE =
    'a published deploy log against a Developer org (2026): <reportType>CaseList</reportType> accepted, grouping OWNER accepted (OWNER_NAME and USERS.NAME refused), a grouping may not also be a column';

/** The curated map. Keys: report type API names as <reportType> spells them. */
export const STANDARD_REPORT_TYPES: Record<string, StandardReportType> = {
    CampaignWithCampaignMembers: {
        objects: ['Campaign', 'CampaignMember'],
        evidence: LIVE_ORG_CAMPAIGN_MEMBERS,
        tokens: {
            CAMPAIGN_NAME: {
                field: 'Campaign.Name',
                kind: 'text',
                evidence: `${NPSP_CAMPAIGN_CONTACT}; ${NPSP_CAMPAIGN_LIST}`
            },
            CAMPAIGN_ID: {
                field: 'Campaign.Id',
                kind: 'id',
                evidence: `${NPSP_CAMPAIGN_CONTACT}; ${LIVE_ORG_CAMPAIGN_MEMBERS}`
            },
            MEMBER_STATUS: {
                field: 'CampaignMember.Status',
                kind: 'text',
                evidence: `${NPSP_CAMPAIGN_CONTACT}; ${LIVE_ORG_CAMPAIGN_MEMBERS}`
            },
            MEMBER_ID: {
                field: 'CampaignMember.Id',
                kind: 'id',
                evidence: LIVE_ORG_CAMPAIGN_MEMBERS
            },
            MEMBER_CREATED_DATE: {
                field: 'CampaignMember.CreatedDate',
                kind: 'date',
                evidence: LIVE_ORG_CAMPAIGN_MEMBERS
            }
        }
    },
    CampaignList: {
        objects: ['Campaign'],
        evidence: NPSP_CAMPAIGN_LIST,
        tokens: {
            CAMPAIGN_NAME: { field: 'Campaign.Name', kind: 'text', evidence: NPSP_CAMPAIGN_LIST },
            CAMPAIGN_STATUS: {
                field: 'Campaign.Status',
                kind: 'text',
                evidence: NPSP_CAMPAIGN_DASHBOARD
            },
            ACTIVE: {
                field: 'Campaign.IsActive',
                kind: 'boolean',
                evidence: NPSP_CAMPAIGN_DASHBOARD
            },
            ACTUAL_COST: {
                field: 'Campaign.ActualCost',
                kind: 'number',
                evidence: NPSP_CAMPAIGN_LIST
            },
            NUM_CONTACTS: {
                field: 'Campaign.NumberOfContacts',
                kind: 'number',
                evidence: NPSP_CAMPAIGN_LIST
            },
            AMOUNT_WON: {
                field: 'Campaign.AmountWonOpportunities',
                kind: 'number',
                evidence: NPSP_CAMPAIGN_LIST
            },
            NUM_WON_OPPORTUNITIES: {
                field: 'Campaign.NumberOfWonOpportunities',
                kind: 'number',
                evidence: NPSP_CAMPAIGN_LIST
            }
        }
    },
    CaseList: {
        objects: ['Case', 'Contact', 'Account'],
        evidence: LIVE_ORG_CASE_PROBE,
        tokens: {
            OWNER: { field: 'Case.Owner', kind: 'text', evidence: LIVE_ORG_CASE_PROBE }
        }
    }
};
