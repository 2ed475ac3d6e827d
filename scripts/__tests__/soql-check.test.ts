// The SOQL check of metadata:check: a wrong field, relationship or object in static SOQL or in
// the metadata that feeds dynamic SOQL is reported with where it is; valid SOQL (relationship
// paths, toLabel, aggregates with aliases, Apex binds, WITH USER_MODE, subqueries) passes.
// Standard objects come from apex-ls's sobject-types jar (javap), so this needs Java 17.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { javaLibJar } from '../apex-ls-jars.ts';
import { checkSoql, normaliseBinds, staticSoql } from '../soql-check.ts';

const field = (name: string, extra = '') =>
    `<?xml version="1.0" encoding="UTF-8"?><CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>${name}</fullName><label>x</label>${extra}</CustomField>`;

const record = (values: Record<string, string>) =>
    `<?xml version="1.0" encoding="UTF-8"?><CustomMetadata xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><label>x</label>${Object.entries(
        values
    )
        .map(
            ([f, v]) =>
                `<values><field>${f}</field><value xsi:type="xsd:string">${v}</value></values>`
        )
        .join('')}</CustomMetadata>`;

let dir: string;

function write(relative: string, text: string) {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
}

function run() {
    return checkSoql({
        metadataDir: dir,
        sobjectTypesJar: javaLibJar('sobject-types-'),
        stubsDir: path.resolve('scripts/apex-ls-stubs')
    });
}

beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'soql-check-'));
    write('objects/Course__c/fields/Code__c.field-meta.xml', field('Code__c'));
    write(
        'objects/Course__c/fields/Status__c.field-meta.xml',
        field('Status__c', '<type>Picklist</type>')
    );
    write(
        'objects/Course__c/fields/Learner__c.field-meta.xml',
        field(
            'Learner__c',
            '<type>Lookup</type><referenceTo>Contact</referenceTo><relationshipName>Courses</relationshipName>'
        )
    );
    write('objects/Contact/fields/FiscalCode__c.field-meta.xml', field('FiscalCode__c'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SOQL check', () => {
    it('accepts valid static SOQL of every shape the project uses', () => {
        write(
            'classes/Good.cls',
            `public class Good {
                void run(Set<Id> ids, Integer n) {
                    List<Course__c> a = [SELECT Id, Learner__r.Account.Owner.Name, toLabel(Status__c)
                        FROM Course__c WHERE Learner__c IN :ids AND Code__c = :codes('x').get(0)
                        WITH USER_MODE ORDER BY Code__c NULLS LAST LIMIT :n];
                    List<AggregateResult> b = [SELECT Status__c s, COUNT(Id) total FROM Course__c
                        GROUP BY Status__c];
                    List<Contact> c = [SELECT Id, FiscalCode__c, (SELECT Id FROM Courses__r)
                        FROM Contact WHERE Id IN (:first.Id, :second.Id)];
                    Integer d = [SELECT COUNT() FROM PendingServiceRouting WHERE IsReadyForRouting = TRUE];
                    List<Profile> e = [SELECT Id FROM Profile
                        WHERE UserLicense.LicenseDefinitionKey = 'SFDC' AND UserType = 'Standard'];
                }
            }`
        );
        expect(run()).toEqual({ problems: [], queries: 5 });
    });

    it('reports an unknown field, relationship, child relationship and object, with the line', () => {
        write(
            'classes/Bad.cls',
            `public class Bad {
                void run() {
                    List<Contact> a = [SELECT Id, FiscalCod__c FROM Contact];
                    List<Course__c> b = [SELECT Learner__r.Nmae FROM Course__c];
                    List<Contact> c = [SELECT Id, (SELECT Id FROM Lessons__r) FROM Contact];
                    List<SObject> d = [SELECT Id FROM Lesson__c];
                    List<Case> e = [SELECT Id FROM Case WHERE Contact.Account.Bogus = 1];
                }
            }`
        );
        const { problems } = run();
        expect(problems).toEqual([
            expect.stringMatching(/^classes\/Bad\.cls:3: unknown field Contact\.FiscalCod__c/),
            expect.stringMatching(
                /^classes\/Bad\.cls:4: unknown field Contact\.Nmae \(path Learner__r\.Nmae\)/
            ),
            expect.stringMatching(
                /^classes\/Bad\.cls:5: unknown child relationship Contact\.Lessons__r/
            ),
            expect.stringMatching(/^classes\/Bad\.cls:6: unknown object Lesson__c/),
            expect.stringMatching(/^classes\/Bad\.cls:7: unknown field Account\.Bogus/)
        ]);
    });

    it('reports SOQL that does not parse', () => {
        write(
            'classes/Broken.cls',
            'class Broken { void r() { Object o = [SELECT FROM Contact]; } }'
        );
        expect(run().problems).toEqual([
            expect.stringMatching(/^classes\/Broken\.cls:1: SOQL does not parse/)
        ]);
    });

    it('reads the classes of every domain folder under classes/, not only the top level', () => {
        write(
            'classes/portal/Nested.cls',
            `public class Nested {
                void run() {
                    List<Contact> a = [SELECT Id FROM Contact];
                    List<Contact> b = [SELECT Id, FiscalCod__c FROM Contact];
                }
            }`
        );
        write(
            'classes/privacy/deep/Deeper.cls',
            'class Deeper { void r() { Object o = [SELECT Id FROM Lesson__c]; } }'
        );
        const { problems, queries } = run();
        expect(queries).toBe(3);
        expect(problems).toEqual([
            expect.stringMatching(
                /^classes\/portal\/Nested\.cls:4: unknown field Contact\.FiscalCod__c/
            ),
            expect.stringMatching(
                /^classes\/privacy\/deep\/Deeper\.cls:1: unknown object Lesson__c/
            )
        ]);
    });

    it('checks the fields erasure policies and retention rules feed into dynamic SOQL', () => {
        write(
            'customMetadata/ErasurePolicy.Course.md-meta.xml',
            record({
                ObjectApiName__c: 'Course__c',
                SubjectField__c: 'Learner__c',
                FieldActions__c: 'Code__c=NULL\nCode2__c=TOKEN',
                ExportFields__c: 'Status__c, Learner__r.Email'
            })
        );
        write(
            'customMetadata/RetentionRule.Old.md-meta.xml',
            record({
                ObjectApiName__c: 'Case',
                Action__c: 'ClearFields',
                FieldActions__c: 'Description=NULL\nSuppliedNam=NULL\nSubject=WIPE',
                Conditions__c: 'IsClosed = TRUE\nClosedDate &lt; :cutoff\nClosedBy LIKE x'
            })
        );
        const { problems } = run();
        expect(problems).toEqual([
            expect.stringMatching(
                /^customMetadata\/ErasurePolicy\.Course\.md-meta\.xml: unknown field Course__c\.Code2__c/
            ),
            expect.stringMatching(
                /^customMetadata\/RetentionRule\.Old\.md-meta\.xml: unknown field Case\.SuppliedNam/
            ),
            'customMetadata/RetentionRule.Old.md-meta.xml: Conditions__c line "ClosedBy LIKE x" is not Field OPERATOR Value',
            'customMetadata/RetentionRule.Old.md-meta.xml: FieldActions__c line "Subject=WIPE" is not Field=ACTION'
        ]);
    });

    it('checks the skills, queues and picklist values routing rules name', () => {
        write('skills/FSE_Privacy.skill-meta.xml', '<Skill/>');
        write('queues/FSE_Support_Triage.queue-meta.xml', '<Queue/>');
        write(
            'objects/Case/fields/Topic__c.field-meta.xml',
            field(
                'Topic__c',
                '<type>Picklist</type><valueSet><valueSetDefinition><value><fullName>Privacy</fullName></value></valueSetDefinition></valueSet>'
            )
        );
        write(
            'customMetadata/RoutingRule.Privacy.md-meta.xml',
            record({
                Skills__c: 'FSE_Privacy:5,FSE_Legal:3*',
                DefaultQueue__c: 'FSE_Nowhere',
                Topic__c: 'Privcy'
            })
        );
        expect(run().problems).toEqual([
            'customMetadata/RoutingRule.Privacy.md-meta.xml: Skills__c names skill FSE_Legal, not in skills/',
            'customMetadata/RoutingRule.Privacy.md-meta.xml: DefaultQueue__c FSE_Nowhere is not in queues/',
            'customMetadata/RoutingRule.Privacy.md-meta.xml: Topic__c "Privcy" is not a value of Case.Topic__c'
        ]);
    });
});

describe('Apex SOQL extraction', () => {
    it('finds bracketed queries with their line, ignoring brackets inside strings', () => {
        const found = staticSoql(
            "x;\ny = [SELECT Id FROM A WHERE N = ']' AND M IN :l[0]];",
            'F.cls'
        );
        expect(found).toEqual([
            { where: 'F.cls:2', soql: "SELECT Id FROM A WHERE N = ']' AND M IN :l[0]" }
        ]);
    });

    it('turns Apex bind expressions into binds the grammar accepts', () => {
        expect(
            normaliseBinds("WHERE Id = :rec('a:b').Id AND X IN (:a, :b.c) AND Y = ':z' LIMIT :n")
        ).toBe("WHERE Id = :bind0 AND X IN :bind AND Y = ':z' LIMIT 1");
    });
});
