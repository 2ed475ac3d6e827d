// The report and dashboard check of metadata:check (issue 19): the reports, dashboards and report
// types force-app ships resolve; and each way a report or dashboard breaks in an org (a column
// the report type does not have, a standard report type token nobody has seen, a grouping also
// used as a column, a picklist filter, a summary on text, a dashboard on a grouping its report
// lacks, a folder shared with a group that does not exist...) is reported with where it is.
// Standard objects come from apex-ls's sobject-types jar (javap), so this needs Java 17.
import {
    copyFileSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    writeFileSync
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { javaLibJar } from '../apex-ls-jars.ts';
import { checkReports } from '../report-check.ts';
import { Schema } from '../soql-check.ts';

const TYPES = path.resolve('node_modules/@salesforce/types/lib/metadata.d.ts');
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

let dir: string;

function write(relative: string, text: string) {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
}

function run(metadataDir = dir) {
    return checkReports({
        metadataDir,
        label: 'md',
        schema: new Schema({
            metadataDir,
            sobjectTypesJar: javaLibJar('sobject-types-'),
            stubsDir: path.resolve('scripts/apex-ls-stubs')
        }),
        typesFile: TYPES
    });
}

const field = (name: string, body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><CustomField ${NS}><fullName>${name}</fullName><label>x</label>${body}</CustomField>`;

const reportType = (columns: string[][], join = '') =>
    `<?xml version="1.0" encoding="UTF-8"?><ReportType ${NS}><baseObject>Case</baseObject><category>cases</category><deployed>true</deployed><description>Test.</description>${join}<label>Casi</label><sections>${columns
        .map(
            ([table, f]) =>
                `<columns><checkedByDefault>false</checkedByDefault><field>${f}</field><table>${table}</table></columns>`
        )
        .join('')}<masterLabel>Casi</masterLabel></sections></ReportType>`;

/** A report; `body` is inserted in Metadata API order between the given elements. */
function report(options: {
    type?: string;
    format?: string;
    columns?: string;
    filter?: string;
    down?: string[];
    across?: string[];
    aggregates?: string;
    extra?: string;
    name?: string;
    description?: string;
}) {
    const grouping = (tag: string, fields: string[]) =>
        fields
            .map((f) => {
                const [name, granularity = 'None'] = f.split('|');
                return `<${tag}><dateGranularity>${granularity}</dateGranularity><field>${name}</field><sortOrder>Asc</sortOrder></${tag}>`;
            })
            .join('');
    return `<?xml version="1.0" encoding="UTF-8"?><Report ${NS}>${options.aggregates ?? ''}${
        options.columns ?? '<columns><field>Case$CaseNumber</field></columns>'
    }<description>${options.description ?? 'Test.'}</description>${options.filter ?? ''}<format>${
        options.format ?? 'Summary'
    }</format>${grouping('groupingsAcross', options.across ?? [])}${grouping(
        'groupingsDown',
        options.down ?? ['Case$Topic__c']
    )}<name>${options.name ?? 'Casi'}</name><reportType>${options.type ?? 'Test_Cases__c'}</reportType><scope>organization</scope>${options.extra ?? ''}</Report>`;
}

const folder = (kind: 'Report' | 'Dashboard', shares: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><${kind}Folder ${NS}>${shares}<name>Test</name></${kind}Folder>`;
const share = (to: string, type = 'Group') =>
    `<folderShares><accessLevel>View</accessLevel><sharedTo>${to}</sharedTo><sharedToType>${type}</sharedToType></folderShares>`;

function dashboard(component: string) {
    return `<?xml version="1.0" encoding="UTF-8"?><Dashboard ${NS}><backgroundEndColor>#FFFFFF</backgroundEndColor><backgroundFadeDirection>Diagonal</backgroundFadeDirection><backgroundStartColor>#FFFFFF</backgroundStartColor><dashboardType>LoggedInUser</dashboardType><isGridLayout>false</isGridLayout><leftSection><columnSize>Medium</columnSize>${component}</leftSection><textColor>#000000</textColor><title>Prova</title><titleColor>#000000</titleColor><titleSize>12</titleSize></Dashboard>`;
}

const chart = (reportId: string, grouping: string, summary: string) =>
    `<components><autoselectColumnsFromReport>false</autoselectColumnsFromReport><chartSummary>${summary}</chartSummary><componentType>Bar</componentType><groupingColumn>${grouping}</groupingColumn><header>Grafico</header><report>${reportId}</report></components>`;

beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'report-check-'));
    write(
        'objects/Case/fields/Topic__c.field-meta.xml',
        field('Topic__c', '<type>Picklist</type>')
    );
    write(
        'objects/Case/fields/Minutes__c.field-meta.xml',
        field('Minutes__c', '<type>Number</type><precision>9</precision><scale>0</scale>')
    );
    write(
        'objects/Case/fields/Late__c.field-meta.xml',
        field('Late__c', '<type>Checkbox</type><defaultValue>false</defaultValue>')
    );
    write(
        'objects/Note__c/fields/Case__c.field-meta.xml',
        field(
            'Case__c',
            '<type>Lookup</type><referenceTo>Case</referenceTo><relationshipName>Notes</relationshipName>'
        )
    );
    write(
        'objects/Note__c/fields/Score__c.field-meta.xml',
        field('Score__c', '<type>Number</type><precision>3</precision><scale>0</scale>')
    );
    write(
        'reportTypes/Test_Cases.reportType-meta.xml',
        reportType([
            ['Case', 'CaseNumber'],
            ['Case', 'Owner'],
            ['Case', 'CreatedDate'],
            ['Case', 'Subject'],
            ['Case', 'Topic__c'],
            ['Case', 'Minutes__c'],
            ['Case', 'Late__c'],
            ['Case', 'Contact.Email']
        ])
    );
    write(
        'reportTypes/Test_Notes.reportType-meta.xml',
        reportType(
            [
                ['Case', 'CaseNumber'],
                ['Case', 'Topic__c'],
                ['Case.Notes__r', 'Score__c']
            ],
            '<join><outerJoin>false</outerJoin><relationship>Notes__r</relationship></join>'
        )
    );
    write('groups/Leads.group-meta.xml', `<Group ${NS}><name>Responsabili</name></Group>`);
    write('reports/Test.reportFolder-meta.xml', folder('Report', share('Leads')));
    write('dashboards/Test.dashboardFolder-meta.xml', folder('Dashboard', share('Leads')));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('report and dashboard check', () => {
    it('passes the report types, reports and dashboards force-app ships', () => {
        const result = run(path.resolve('force-app/main/default'));
        expect(result.problems).toEqual([]);
        expect(result.reportTypes).toBe(5);
        expect(result.reports).toBe(15);
        expect(result.dashboards).toBe(2);
        expect(result.components).toBeGreaterThanOrEqual(14);
        expect(result.folders).toBe(4);
    });

    it('accepts a valid report on a custom report type, with a chart on it', () => {
        write(
            'reports/Test/Minutes.report-meta.xml',
            report({
                columns:
                    '<columns><aggregateTypes>Median</aggregateTypes><aggregateTypes>Maximum</aggregateTypes><field>Case$Minutes__c</field></columns><columns><field>Case$Owner</field></columns><columns><field>Case$Contact.Email</field></columns>',
                filter: '<filter><criteriaItems><column>Case$Late__c</column><operator>equals</operator><value>1</value></criteriaItems></filter>',
                down: ['Case$CreatedDate|Week', 'Case$Topic__c']
            })
        );
        write(
            'dashboards/Test/Board.dashboard-meta.xml',
            dashboard(
                chart(
                    'Test/Minutes',
                    'Case$Topic__c',
                    '<aggregate>Median</aggregate><axisBinding>y</axisBinding><column>Case$Minutes__c</column>'
                )
            )
        );
        const result = run();
        expect(result.problems).toEqual([]);
        expect(result.reports).toBe(1);
        expect(result.components).toBe(1);
    });

    it('fails on a column, grouping, filter or formula the report type does not have', () => {
        write(
            'reports/Test/Broken.report-meta.xml',
            report({
                columns: '<columns><field>Case$Minutez__c</field></columns>',
                filter: '<filter><criteriaItems><column>Case$Status</column><operator>equals</operator><value>New</value></criteriaItems></filter>',
                down: ['Case$Topic'],
                aggregates:
                    '<aggregates><calculatedFormula>Case.Missing__c:SUM / RowCount</calculatedFormula><datatype>number</datatype><developerName>FORMULA1</developerName><isActive>true</isActive><masterLabel>F</masterLabel></aggregates>'
            })
        );
        const problems = run().problems;
        const where = 'md/reports/Test/Broken.report-meta.xml';
        expect(problems).toEqual(
            expect.arrayContaining([
                `${where}: column Case$Minutez__c is not a column of report type Test_Cases (reportTypes/Test_Cases.reportType-meta.xml)`,
                `${where}: grouping Case$Topic is not a column of report type Test_Cases (reportTypes/Test_Cases.reportType-meta.xml)`,
                `${where}: filter Case$Status is not a column of report type Test_Cases (reportTypes/Test_Cases.reportType-meta.xml)`,
                `${where}: formula FORMULA1: Case.Missing__c is not a column of report type Test_Cases (reportTypes/Test_Cases.reportType-meta.xml)`
            ])
        );
        expect(problems).toHaveLength(4);
    });

    it('resolves child-table columns and dotted formula tokens of a joined report type', () => {
        write(
            'reports/Test/Notes.report-meta.xml',
            report({
                type: 'Test_Notes__c',
                columns:
                    '<columns><aggregateTypes>Average</aggregateTypes><field>Case.Notes__r$Score__c</field></columns>',
                aggregates:
                    '<aggregates><calculatedFormula>Case.Notes__r.Score__c:SUM / RowCount</calculatedFormula><datatype>number</datatype><developerName>FORMULA1</developerName><isActive>true</isActive><masterLabel>F</masterLabel></aggregates>'
            })
        );
        expect(run().problems).toEqual([]);
    });

    it('refuses what the org refuses or misreads: grouping as column, picklist filter, summaries on text, granularity on text', () => {
        write(
            'reports/Test/Wrong.report-meta.xml',
            report({
                columns:
                    '<columns><field>Case$Topic__c</field></columns><columns><aggregateTypes>Sum</aggregateTypes><field>Case$Subject</field></columns>',
                filter: '<filter><criteriaItems><column>Case$Topic__c</column><operator>equals</operator><value>Altro</value></criteriaItems><criteriaItems><column>Case$Late__c</column><operator>equals</operator><value>true</value></criteriaItems></filter>',
                down: ['Case$Topic__c', 'Case$Subject|Month']
            })
        );
        const problems = run().problems.map((p) => p.replace(/^[^:]+: /, ''));
        expect(problems).toEqual(
            expect.arrayContaining([
                'column Case$Subject: Sum needs a number field, not text',
                'grouping Case$Subject: date granularity Month on a text field',
                'Case$Topic__c is both a grouping and a column (the org refuses it)',
                'filter on picklist Case$Topic__c: its value is a label in reports (language-dependent); filter on a checkbox or text formula instead',
                'filter Case$Late__c: a checkbox filters on 0 or 1, not "true"'
            ])
        );
    });

    it('checks the Metadata API shape: elements, order, enumerations, required, lengths', () => {
        write(
            'reports/Test/Shape.report-meta.xml',
            report({
                format: 'Summry',
                name: 'Un nome di report decisamente troppo lungo per Salesforce',
                description: 'x'.repeat(256),
                extra: '<colour>red</colour>'
            }).replace('<scope>organization</scope>', '')
        );
        write(
            'reportTypes/Test_Unlabelled.reportType-meta.xml',
            reportType([['Case', 'CaseNumber']]).replace('<label>Casi</label>', '')
        );
        write(
            'reports/Test/Order.report-meta.xml',
            report({}).replace(
                /(<description>Test\.<\/description>)(<format>Summary<\/format>)/,
                '$2$1'
            )
        );
        const problems = run().problems;
        expect(problems).toEqual(
            expect.arrayContaining([
                'md/reports/Test/Shape.report-meta.xml format: "Summry" is not a ReportFormat value',
                'md/reports/Test/Shape.report-meta.xml: <colour> is not an element of Report',
                'md/reports/Test/Shape.report-meta.xml: <name> has 57 characters (at most 40)',
                'md/reports/Test/Shape.report-meta.xml: <description> has 256 characters (at most 255)',
                'md/reports/Test/Order.report-meta.xml: <description> must come before <format> (Report order)',
                'md/reportTypes/Test_Unlabelled.reportType-meta.xml: ReportType needs <label>'
            ])
        );
    });

    it('takes standard report type tokens only from the cited map', () => {
        write(
            'objects/CampaignMember/fields/Outcome__c.field-meta.xml',
            field('Outcome__c', '<type>Picklist</type>')
        );
        write(
            'reports/Test/Reach.report-meta.xml',
            report({
                type: 'CampaignWithCampaignMembers',
                columns:
                    '<columns><field>CAMPAIGN_NAME</field></columns><columns><field>MEMBER_STAGE</field></columns>',
                down: ['CampaignMember.Outcome__c', 'Lead.Outcome__c']
            })
        );
        write('reports/Test/Unknown.report-meta.xml', report({ type: 'CasesWithSolutions' }));
        const problems = run().problems.map((p) => p.replace(/^[^:]+: /, ''));
        expect(problems).toEqual(
            expect.arrayContaining([
                'column MEMBER_STAGE is not a column token of standard report type CampaignWithCampaignMembers in scripts/report-tokens.ts (nor Object.Field__c of Campaign, CampaignMember)',
                'grouping Lead.Outcome__c is not a column token of standard report type CampaignWithCampaignMembers in scripts/report-tokens.ts (nor Object.Field__c of Campaign, CampaignMember)',
                'standard report type CasesWithSolutions is not in scripts/report-tokens.ts: add it with its cited column tokens'
            ])
        );
        expect(problems.filter((p) => p.includes('CAMPAIGN_NAME'))).toEqual([]);
        expect(problems.filter((p) => p.includes('CampaignMember.Outcome__c'))).toEqual([]);
    });

    it('fails on report types whose joins or columns do not resolve', () => {
        write(
            'reportTypes/Test_Bad.reportType-meta.xml',
            reportType(
                [
                    ['Case', 'Nothing__c'],
                    ['Case', 'Contact.Nothing'],
                    ['Case.Missing__r', 'Name'],
                    ['Case.Notes__r', 'Score__c']
                ],
                '<join><outerJoin>false</outerJoin><relationship>Missing__r</relationship></join>'
            )
        );
        const problems = run().problems.map((p) => p.replace(/^[^:]+: /, ''));
        expect(problems).toEqual(
            expect.arrayContaining([
                'join Missing__r: unknown child relationship Case.Missing__r',
                'column Case.Nothing__c: unknown field Case.Nothing__c',
                'column Case.Contact.Nothing: unknown field Contact.Nothing',
                'column Score__c: table Case.Notes__r is not joined'
            ])
        );
    });

    it('fails on dashboard components whose report, grouping or summary does not exist', () => {
        write('reports/Test/Volume.report-meta.xml', report({}));
        write(
            'dashboards/Test/Board.dashboard-meta.xml',
            dashboard(
                chart('Test/Missing', 'Case$Topic__c', '<column>RowCount</column>') +
                    chart('Test/Volume', 'Case$Owner', '<column>RowCount</column>') +
                    chart(
                        'Test/Volume',
                        'Case$Topic__c',
                        '<aggregate>Median</aggregate><column>Case$Minutes__c</column>'
                    )
            )
        );
        const problems = run().problems;
        expect(problems).toEqual([
            'md/dashboards/Test/Board.dashboard-meta.xml component "Grafico": report Test/Missing is not in reports/',
            'md/dashboards/Test/Board.dashboard-meta.xml component "Grafico": Case$Owner is not a grouping of report Test/Volume',
            'md/dashboards/Test/Board.dashboard-meta.xml component "Grafico": chart summary Median Case$Minutes__c is not RowCount, a formula or a column summarised so in Test/Volume'
        ]);
    });

    it('checks folders and sharing: shared, with groups that exist, never with a permission set', () => {
        write('reports/Lonely.reportFolder-meta.xml', folder('Report', ''));
        write('reports/Lonely/Volume.report-meta.xml', report({}));
        write(
            'dashboards/Test.dashboardFolder-meta.xml',
            folder('Dashboard', share('Ghosts') + share('FSE_Support_Agent', 'PermissionSet'))
        );
        write('reports/Nowhere/Volume.report-meta.xml', report({}));
        write(
            'sharingRules/Note__c.sharingRules-meta.xml',
            `<SharingRules ${NS}><sharingCriteriaRules><fullName>Notes</fullName><accessLevel>Read</accessLevel><label>Note</label><sharedTo><group>Ghosts</group></sharedTo><criteriaItems><field>Kind__c</field><operation>equals</operation><value>x</value></criteriaItems><includeRecordsOwnedByAll>true</includeRecordsOwnedByAll></sharingCriteriaRules></SharingRules>`
        );
        const problems = run().problems;
        expect(problems).toEqual(
            expect.arrayContaining([
                'md/reports/Lonely.reportFolder-meta.xml: report folder shared with nobody (folderShares): only its creator and administrators would see it',
                'md/dashboards/Test.dashboardFolder-meta.xml: shared with group Ghosts, which is not in groups/',
                'md/dashboards/Test.dashboardFolder-meta.xml folderShares sharedToType: "PermissionSet" is not a FolderSharedToType value',
                'md/reports/Nowhere/Volume.report-meta.xml: folder Nowhere has no Nowhere.reportFolder-meta.xml',
                'md/sharingRules/Note__c.sharingRules-meta.xml: Notes shares with group Ghosts, which is not in groups/',
                'md/sharingRules/Note__c.sharingRules-meta.xml: Notes: unknown field Note__c.Kind__c'
            ])
        );
    });

    it('keeps the programme gauge on the target of FseProgrammeSetting__mdt', () => {
        const forceApp = path.resolve('force-app/main/default');
        for (const f of [
            ...readdirSync(path.join(forceApp, 'objects/Contact/fields')).map(
                (name) => `objects/Contact/fields/${name}`
            ),
            'reportTypes/FSE_Professionals.reportType-meta.xml',
            'reports/FSE_Programma/FSE_Mmg_Pls_Trained_Share.report-meta.xml',
            'customMetadata/FseProgrammeSetting.Default.md-meta.xml'
        ]) {
            mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
            copyFileSync(path.join(forceApp, f), path.join(dir, f));
        }
        write(
            'groups/FSE_Programme_Managers.group-meta.xml',
            `<Group ${NS}><name>P</name></Group>`
        );
        write('reports/FSE_Programma.reportFolder-meta.xml', folder('Report', share('Leads')));
        const gauge = readFileSync(
            path.join(
                forceApp,
                'dashboards/FSE_Programma_Dashboard/FSE_Programma_FSE_2_0.dashboard-meta.xml'
            ),
            'utf8'
        )
            .replace(/<middleSection>[\s\S]*<\/rightSection>/, '')
            .replace(/(<leftSection>[\s\S]*?<\/components>)[\s\S]*?(<\/leftSection>)/, '$1$2');
        write('dashboards/Test/Programme.dashboard-meta.xml', gauge);
        expect(run().problems).toEqual([]);
        write(
            'dashboards/Test/Programme.dashboard-meta.xml',
            gauge.replace(
                '<indicatorBreakpoint2>85</indicatorBreakpoint2>',
                '<indicatorBreakpoint2>80</indicatorBreakpoint2>'
            )
        );
        expect(run().problems).toEqual([
            'md/dashboards/Test/Programme.dashboard-meta.xml component "MMG/PLS formati (%) - obiettivo 85%": the target breakpoint 80 is not FseProgrammeSetting__mdt.Default.TargetShare__c (85)'
        ]);
    });
});
