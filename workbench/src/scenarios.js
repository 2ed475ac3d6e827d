// Every UI component of force-app in each state, with Apex answered from the Jest tests'
// __tests__/data fixtures. A scenario is the component's starting point; the browser tests drive
// the interactions from there (workbench/test-browser.js), and a person can click through them.
import { apexError } from 'wb/apex';

import ConsoleCallOutcome from 'c/consoleCallOutcome';
import ConsoleCampaignAudienceBuilder from 'c/consoleCampaignAudienceBuilder';
import ConsoleCaseRoutingInsight from 'c/consoleCaseRoutingInsight';
import ConsoleFaqSearch from 'c/consoleFaqSearch';
import ConsoleKpiStrip from 'c/consoleKpiStrip';
import FseCatalog from 'c/fseCatalog';
import FseConsentPreferences from 'c/fseConsentPreferences';
import FseContentDetail from 'c/fseContentDetail';
import FseMyCases from 'c/fseMyCases';
import FseMyLearning from 'c/fseMyLearning';
import FsePrivacyRequest from 'c/fsePrivacyRequest';
import FseProfile from 'c/fseProfile';
import FseQuiz from 'c/fseQuiz';
import FseSelfAssessment from 'c/fseSelfAssessment';
import FseStatePanel from 'c/fseStatePanel';
import FseSupportRequest from 'c/fseSupportRequest';
import FseSurvey from 'c/fseSurvey';
import PrivacyErasureConsole from 'c/privacyErasureConsole';
import ConsoleProfessional360 from 'c/consoleProfessional360';
import AdminProgrammeDashboard from 'c/adminProgrammeDashboard';
import AdminSyncRunMonitor from 'c/adminSyncRunMonitor';
import ConsoleCampaignProgress from 'c/consoleCampaignProgress';
import ConsoleCallList from 'c/consoleCallList';
import FseUnsubscribe from 'c/fseUnsubscribe';

import addMembers from '../../force-app/main/default/lwc/consoleCampaignAudienceBuilder/__tests__/data/addMembers.json';
import criteriaOptions from '../../force-app/main/default/lwc/consoleCampaignAudienceBuilder/__tests__/data/getCriteriaOptions.json';
import audiencePreview from '../../force-app/main/default/lwc/consoleCampaignAudienceBuilder/__tests__/data/preview.json';
import insight from '../../force-app/main/default/lwc/consoleCaseRoutingInsight/__tests__/data/getInsight.json';
import rerouteTopics from '../../force-app/main/default/lwc/consoleCaseRoutingInsight/__tests__/data/getTopicOptions.json';
import consoleFaqs from '../../force-app/main/default/lwc/consoleFaqSearch/__tests__/data/searchFaqs.json';
import kpis from '../../force-app/main/default/lwc/consoleKpiStrip/__tests__/data/getKpis.json';
import catalog from '../../force-app/main/default/lwc/fseCatalog/__tests__/data/getCatalog.json';
import filterOptions from '../../force-app/main/default/lwc/fseCatalog/__tests__/data/getFilterOptions.json';
import preferences from '../../force-app/main/default/lwc/fseConsentPreferences/__tests__/data/getPreferences.json';
import contentDetail from '../../force-app/main/default/lwc/fseContentDetail/__tests__/data/getContentDetail.json';
import myCases from '../../force-app/main/default/lwc/fseMyCases/__tests__/data/getMyCases.json';
import certificate from '../../force-app/main/default/lwc/fseMyLearning/__tests__/data/getCertificate.json';
import myLearning from '../../force-app/main/default/lwc/fseMyLearning/__tests__/data/getMyLearning.json';
import myRequests from '../../force-app/main/default/lwc/fsePrivacyRequest/__tests__/data/getMyRequests.json';
import portalProfile from '../../force-app/main/default/lwc/fseProfile/__tests__/data/getProfile.json';
import quiz from '../../force-app/main/default/lwc/fseQuiz/__tests__/data/getQuiz.json';
import quizResult from '../../force-app/main/default/lwc/fseQuiz/__tests__/data/submitQuiz.json';
import selfAssessment from '../../force-app/main/default/lwc/fseSelfAssessment/__tests__/data/getSelfAssessment.json';
import selfAssessmentResult from '../../force-app/main/default/lwc/fseSelfAssessment/__tests__/data/submitSelfAssessment.json';
import supportTopics from '../../force-app/main/default/lwc/fseSupportRequest/__tests__/data/getTopics.json';
import supportFaqs from '../../force-app/main/default/lwc/fseSupportRequest/__tests__/data/searchFaqs.json';
import survey from '../../force-app/main/default/lwc/fseSurvey/__tests__/data/getSurvey.json';
import minimisation from '../../force-app/main/default/lwc/privacyErasureConsole/__tests__/data/getMinimisation.json';
import erasurePreview from '../../force-app/main/default/lwc/privacyErasureConsole/__tests__/data/getPreview.json';
import requestDetail from '../../force-app/main/default/lwc/privacyErasureConsole/__tests__/data/getRequestDetail.json';
import privacyQueue from '../../force-app/main/default/lwc/privacyErasureConsole/__tests__/data/getRequests.json';
import profile360 from '../../force-app/main/default/lwc/consoleProfessional360/__tests__/data/getProfile.json';
import dashboard from '../../force-app/main/default/lwc/adminProgrammeDashboard/__tests__/data/getDashboard.json';
import monitorData from '../../force-app/main/default/lwc/adminSyncRunMonitor/__tests__/data/getMonitorData.json';
import runDetail from '../../force-app/main/default/lwc/adminSyncRunMonitor/__tests__/data/getRunDetail.json';
import sendProgress from '../../force-app/main/default/lwc/consoleCampaignProgress/__tests__/data/getProgress.json';
import callList from '../../force-app/main/default/lwc/consoleCallList/__tests__/data/getCallList.json';
import unsubscribeStatus from '../../force-app/main/default/lwc/fseUnsubscribe/__tests__/data/checkToken.json';

/** Apex answers. */
const ok = (value) => () => value;
const never = () => () => new Promise(() => {});
/**
 * An unhandled Apex exception as the browser receives it (Salesforce: "Handle Errors from Apex":
 * the body carries the exception type and stack trace). Its English, technical text must never
 * reach a user.
 */
export const RAW_ERROR_MESSAGE = 'List has no rows for assignment to SObject';
const rawError = () => () =>
    Promise.reject(
        apexError({
            message: RAW_ERROR_MESSAGE,
            exceptionType: 'System.QueryException',
            stackTrace: 'Class.FseWorkbench.fixture: line 1, column 1',
            isUserDefinedException: false
        })
    );

const at = (iso) => () => iso;
const CASE_ID = '500000000000001AAA';
const CONTACT_ID = '003000000000001AAA';

/** Component definitions: element, area, props, page state and the Apex answers per state. */
const COMPONENTS = [
    {
        name: 'fseCatalog',
        tag: 'c-fse-catalog',
        ctor: FseCatalog,
        area: 'portal',
        apex: {
            'FseCatalogController.getFilterOptions': ok(filterOptions),
            'FseCatalogController.getCatalog': ok(catalog),
            'FseCatalogController.enroll': ok(null),
            'FseCatalogController.withdraw': ok(null)
        },
        session: enrolmentSession('FseCatalogController.getCatalog', () => catalog),
        main: 'FseCatalogController.getCatalog',
        empty: { ...catalog, total: 0, items: [] },
        extra: {
            filtersError: { 'FseCatalogController.getFilterOptions': rawError() }
        }
    },
    {
        name: 'fseContentDetail',
        tag: 'c-fse-content-detail',
        ctor: FseContentDetail,
        area: 'portal',
        pageState: { c__contentId: contentDetail.id },
        apex: {
            'FseCatalogController.getContentDetail': ok(contentDetail),
            'FseCatalogController.enroll': ok(null),
            'FseCatalogController.withdraw': ok(null)
        },
        session: enrolmentSession('FseCatalogController.getContentDetail', () => contentDetail),
        main: 'FseCatalogController.getContentDetail',
        emptyPageState: {},
        extra: {
            enrolled: {
                'FseCatalogController.getContentDetail': ok({
                    ...contentDetail,
                    enrollmentStatus: 'InProgress'
                })
            }
        }
    },
    {
        name: 'fseMyLearning',
        tag: 'c-fse-my-learning',
        ctor: FseMyLearning,
        area: 'portal',
        apex: {
            'FseLearningController.getMyLearning': ok(myLearning),
            'FseLearningController.resume': ok('https://formazione.example.org/corsi/fse-fond-101'),
            'FseLearningController.getCertificate': ok(certificate)
        },
        main: 'FseLearningController.getMyLearning',
        empty: []
    },
    {
        name: 'fseSelfAssessment',
        tag: 'c-fse-self-assessment',
        ctor: FseSelfAssessment,
        area: 'portal',
        apex: {
            'FseAssessmentController.getSelfAssessment': ok(selfAssessment),
            'FseAssessmentController.submitSelfAssessment': ok(selfAssessmentResult)
        },
        main: 'FseAssessmentController.getSelfAssessment',
        empty: []
    },
    {
        name: 'fseQuiz',
        tag: 'c-fse-quiz',
        ctor: FseQuiz,
        area: 'portal',
        pageState: { c__contentId: quiz.contentId },
        apex: {
            'FseAssessmentController.getQuiz': ok(quiz),
            'FseAssessmentController.submitQuiz': ok(quizResult)
        },
        main: 'FseAssessmentController.getQuiz',
        empty: { ...quiz, questions: [] }
    },
    {
        name: 'fseSurvey',
        tag: 'c-fse-survey',
        ctor: FseSurvey,
        area: 'portal',
        pageState: { c__caseId: CASE_ID, c__surveyKey: 'CASE_SATISFACTION' },
        apex: {
            'FseSurveyController.getSurvey': ok(survey),
            'FseSurveyController.submitFeedback': ok(null)
        },
        main: 'FseSurveyController.getSurvey',
        empty: { ...survey, alreadySubmitted: true }
    },
    {
        name: 'fseSupportRequest',
        tag: 'c-fse-support-request',
        ctor: FseSupportRequest,
        area: 'portal',
        props: { showFaqFirst: true },
        apex: {
            'FseSupportController.getTopics': ok(supportTopics),
            'FseSupportController.searchFaqs': ok(supportFaqs),
            'FseSupportController.createCase': ok({ id: CASE_ID, caseNumber: '00001025' })
        },
        main: 'FseSupportController.getTopics',
        emptyApex: { 'FseSupportController.searchFaqs': ok([]) }
    },
    {
        name: 'fseMyCases',
        tag: 'c-fse-my-cases',
        ctor: FseMyCases,
        area: 'portal',
        apex: { 'FseSupportController.getMyCases': ok(myCases) },
        main: 'FseSupportController.getMyCases',
        empty: []
    },
    {
        name: 'fseProfile',
        tag: 'c-fse-profile',
        ctor: FseProfile,
        area: 'portal',
        apex: {
            'FsePortalProfileController.getProfile': ok(portalProfile),
            'FsePortalProfileController.updateContactDetails': ok(null)
        },
        main: 'FsePortalProfileController.getProfile',
        empty: { ...portalProfile, enrolledCount: 0, completedCount: 0, ecmCredits: 0 }
    },
    {
        name: 'fseConsentPreferences',
        tag: 'c-fse-consent-preferences',
        ctor: FseConsentPreferences,
        area: 'portal',
        apex: {
            'FseConsentController.getPreferences': ok(preferences),
            'FseConsentController.savePreference': at('2025-11-05T10:15:00.000Z')
        },
        main: 'FseConsentController.getPreferences',
        empty: []
    },
    {
        name: 'fsePrivacyRequest',
        tag: 'c-fse-privacy-request',
        ctor: FsePrivacyRequest,
        area: 'portal',
        apex: {
            'FsePrivacyRequestController.getMyRequests': ok(myRequests),
            'FsePrivacyRequestController.createRequest': ok(null)
        },
        main: 'FsePrivacyRequestController.getMyRequests',
        empty: []
    },
    {
        name: 'fseStatePanel',
        tag: 'c-fse-state-panel',
        ctor: FseStatePanel,
        area: 'portal',
        apex: {},
        stateProps: {
            loading: { state: 'loading' },
            empty: { state: 'empty' },
            error: {
                state: 'error',
                retryable: true,
                error: { body: { message: RAW_ERROR_MESSAGE, stackTrace: 'Class.X: line 1' } }
            }
        }
    },
    {
        name: 'consoleProfessional360',
        tag: 'c-console-professional-360',
        ctor: ConsoleProfessional360,
        area: 'console',
        props: { recordId: CONTACT_ID },
        apex: { 'Professional360Controller.getProfile': ok(profile360) },
        main: 'Professional360Controller.getProfile',
        empty: null
    },
    {
        name: 'consoleCaseRoutingInsight',
        tag: 'c-console-case-routing-insight',
        ctor: ConsoleCaseRoutingInsight,
        area: 'console',
        props: { recordId: CASE_ID },
        apex: {
            'CaseRoutingController.getInsight': ok(insight),
            'CaseRoutingController.getTopicOptions': ok(rerouteTopics),
            'CaseRoutingController.reroute': ok(null),
            'CaseRoutingController.searchFaqs': ok(consoleFaqs),
            'CaseRoutingController.attachFaq': ok(null)
        },
        main: 'CaseRoutingController.getInsight',
        empty: null
    },
    {
        name: 'consoleKpiStrip',
        tag: 'c-console-kpi-strip',
        ctor: ConsoleKpiStrip,
        area: 'console',
        props: { pollSeconds: 0 },
        apex: { 'ConsoleKpiController.getKpis': ok(kpis) },
        main: 'ConsoleKpiController.getKpis',
        empty: {
            ...kpis,
            openCases: 0,
            dueSoonCases: 0,
            overdueCases: 0,
            csatAverage: null,
            csatResponses: 0
        },
        extra: {
            noRatingsYet: {
                'ConsoleKpiController.getKpis': ok({ ...kpis, csatAverage: null, csatResponses: 0 })
            },
            unavailable: {
                'ConsoleKpiController.getKpis': () => () =>
                    Promise.reject(
                        apexError({
                            message:
                                "Indicatori non disponibili. Riprova; se il problema resta, chiedi all'amministratore il set di autorizzazioni Operatore assistenza.",
                            exceptionType: 'System.AuraHandledException',
                            isUserDefinedException: true
                        })
                    )
            }
        }
    },
    {
        name: 'consoleFaqSearch',
        tag: 'c-console-faq-search',
        ctor: ConsoleFaqSearch,
        area: 'console',
        props: { recordId: CASE_ID },
        apex: {
            'CaseRoutingController.searchFaqs': ok(consoleFaqs),
            'CaseRoutingController.attachFaq': ok(null)
        },
        extra: {
            empty: { 'CaseRoutingController.searchFaqs': ok([]) },
            error: { 'CaseRoutingController.searchFaqs': rawError() }
        }
    },
    {
        name: 'consoleCallOutcome',
        tag: 'c-console-call-outcome',
        ctor: ConsoleCallOutcome,
        area: 'console',
        props: { recordId: '00v000000000001AAA' },
        apex: { 'CallOutcomeController.logCall': ok(null) },
        extra: { error: { 'CallOutcomeController.logCall': rawError() } }
    },
    {
        name: 'consoleCampaignAudienceBuilder',
        tag: 'c-console-campaign-audience-builder',
        ctor: ConsoleCampaignAudienceBuilder,
        area: 'console',
        props: { recordId: '701000000000001AAA' },
        apex: {
            'CampaignAudienceController.getCriteriaOptions': ok(criteriaOptions),
            'CampaignAudienceController.preview': ok(audiencePreview),
            'CampaignAudienceController.addMembers': ok(addMembers)
        },
        main: 'CampaignAudienceController.getCriteriaOptions',
        emptyApex: {
            'CampaignAudienceController.preview': ok({
                ...audiencePreview,
                matched: 0,
                eligible: 0,
                excluded: {}
            })
        }
    },
    {
        name: 'privacyErasureConsole',
        tag: 'c-privacy-erasure-console',
        ctor: PrivacyErasureConsole,
        area: 'privacy',
        apex: {
            'GdprErasureController.getRequests': ok(privacyQueue),
            'GdprErasureController.getRequestDetail': ok(requestDetail),
            'GdprErasureController.getPreview': ok(erasurePreview),
            'GdprErasureController.getMinimisation': ok(minimisation),
            'GdprErasureController.approve': ok(null),
            'GdprErasureController.reject': ok(null),
            'GdprErasureController.retry': ok(null)
        },
        main: 'GdprErasureController.getRequests',
        empty: [],
        emptyApex: {
            'GdprErasureController.getMinimisation': ok({ scheduled: false, runs: [] })
        }
    },
    {
        name: 'adminProgrammeDashboard',
        tag: 'c-admin-programme-dashboard',
        ctor: AdminProgrammeDashboard,
        area: 'admin',
        apex: { 'ProgrammeDashboardController.getDashboard': ok(dashboard) },
        main: 'ProgrammeDashboardController.getDashboard',
        empty: { ...dashboard, population: 0, engaged: 0, trained: 0, organisations: [] }
    },
    {
        name: 'adminSyncRunMonitor',
        tag: 'c-admin-sync-run-monitor',
        ctor: AdminSyncRunMonitor,
        area: 'admin',
        apex: {
            'SyncRunMonitorController.getMonitorData': ok(monitorData),
            'SyncRunMonitorController.getRunDetail': ok(runDetail),
            'SyncRunMonitorController.requestRun': ok(null)
        },
        main: 'SyncRunMonitorController.getMonitorData',
        empty: { ...monitorData, runs: [], hasRunning: false }
    },
    {
        name: 'consoleCampaignProgress',
        tag: 'c-console-campaign-progress',
        ctor: ConsoleCampaignProgress,
        area: 'console',
        props: { recordId: '701000000000001AAA', pollSeconds: 0 },
        apex: {
            'CampaignSendController.getProgress': ok(sendProgress),
            'CampaignSendController.requestSend': ok('op-1')
        },
        main: 'CampaignSendController.getProgress',
        empty: {
            ...sendProgress,
            status: null,
            statusLabel: null,
            isRunning: false,
            canSend: true,
            lastSendAt: null,
            total: 0,
            sent: 0,
            skipped: 0,
            failed: 0,
            bounced: 0,
            unknown: 0,
            pending: 0,
            percentDone: 0
        },
        extra: {
            finished: {
                'CampaignSendController.getProgress': ok({
                    ...sendProgress,
                    status: 'Succeeded',
                    statusLabel: 'Completato',
                    isRunning: false,
                    canSend: true,
                    sent: 88628,
                    pending: 0,
                    percentDone: 100
                })
            }
        }
    },
    {
        name: 'consoleCallList',
        tag: 'c-console-call-list',
        ctor: ConsoleCallList,
        area: 'console',
        props: { recordId: '701000000000001AAA' },
        apex: { 'CampaignSendController.getCallList': ok(callList) },
        main: 'CampaignSendController.getCallList',
        empty: []
    },
    {
        name: 'fseUnsubscribe',
        tag: 'c-fse-unsubscribe',
        ctor: FseUnsubscribe,
        area: 'portal',
        pageState: { t: 'dGVzdC10b2tlbi0wMDctQWJDZEVmR2hJaktsTW5PcFFyU3RVdg' },
        apex: {
            'FseUnsubscribeController.checkToken': ok(unsubscribeStatus),
            'FseUnsubscribeController.unsubscribe': ok({ ...unsubscribeStatus, state: 'done' })
        },
        main: 'FseUnsubscribeController.checkToken',
        emptyPageState: {},
        extra: {
            expired: { 'FseUnsubscribeController.checkToken': ok({ state: 'expired' }) },
            notAllowed: {
                'FseUnsubscribeController.checkToken': ok({
                    ...unsubscribeStatus,
                    state: 'notAllowed'
                })
            },
            writeFailed: {
                'FseUnsubscribeController.checkToken': ok(unsubscribeStatus),
                'FseUnsubscribeController.unsubscribe': ok({ ...unsubscribeStatus, state: 'error' })
            }
        }
    }
];

/**
 * Apex for enrolment that behaves like the server: enrolling or withdrawing changes what the next
 * read returns, so the component re-renders as it does in an org (the enrol button goes away).
 */
function enrolmentSession(readMethod, read) {
    return () => {
        const status = {};
        const withStatus = (item) =>
            item.id in status ? { ...item, enrollmentStatus: status[item.id] } : item;
        return {
            [readMethod]: (params) => {
                const value = read(params);
                return value.items
                    ? { ...value, items: value.items.map(withStatus) }
                    : withStatus(value);
            },
            'FseCatalogController.enroll': ({ contentId }) => {
                status[contentId] = 'Enrolled';
                return null;
            },
            'FseCatalogController.withdraw': ({ contentId }) => {
                status[contentId] = 'Withdrawn';
                return null;
            }
        };
    };
}

function scenario(component, state, overrides = {}) {
    const base = component.apex;
    const extra = overrides.apex || {};
    return {
        id: `${component.name}/${state}`,
        component: component.name,
        state,
        tag: component.tag,
        ctor: component.ctor,
        area: component.area,
        props: { ...(component.props || {}), ...(overrides.props || {}) },
        pageState: overrides.pageState || component.pageState || {},
        // Apex handlers, made fresh for each mount (a session keeps state between calls)
        apex: () => ({ ...base, ...(component.session ? component.session() : {}), ...extra })
    };
}

function statesOf(c) {
    if (c.stateProps) {
        return Object.entries(c.stateProps).map(([state, props]) => scenario(c, state, { props }));
    }
    const list = [];
    if (c.main) {
        list.push(scenario(c, 'loading', { apex: { [c.main]: never() } }));
    }
    list.push(scenario(c, 'data'));
    if (c.emptyPageState) {
        list.push(scenario(c, 'empty', { pageState: c.emptyPageState }));
    } else if ('empty' in c || c.emptyApex) {
        const apex = { ...(c.emptyApex || {}) };
        if ('empty' in c) {
            apex[c.main] = ok(c.empty);
        }
        list.push(scenario(c, 'empty', { apex }));
    }
    if (c.main) {
        list.push(scenario(c, 'error', { apex: { [c.main]: rawError() } }));
    }
    Object.entries(c.extra || {}).forEach(([state, apex]) => {
        list.push(scenario(c, state, { apex }));
    });
    return list;
}

export const SCENARIOS = COMPONENTS.flatMap(statesOf);
export const COMPONENT_NAMES = COMPONENTS.map((c) => c.name);
