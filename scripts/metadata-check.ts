// Metadata check, in two steps:
//  1. force-app converts to Metadata API format with the official Salesforce CLI
//     (source-deploy-retrieve underneath): unknown metadata types, files outside a known
//     layout and incomplete bundles fail here.
//  2. Every XML file of the converted output and of force-app is well-formed, and every custom
//     field follows the rules a deploy would enforce (a known type with the elements that type
//     requires) plus ours (Italian label and help text on every custom field).
//     SDR copies files without validating their XML, so step 2 is what stops a malformed field.
//  3. Custom Labels, LWC imports of Apex and fields (see below).
//  4. SOQL (scripts/soql-check.ts): every static SOQL in Apex and every query custom metadata
//     builds at run time (ErasurePolicy, RetentionRule) resolves to objects and fields of
//     force-app or the standard objects; routing metadata names existing skills, queues, values.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { javaLibJar } from './apex-ls-jars.ts';
import { checkSoql } from './soql-check.ts';

const root = path.resolve('force-app');
const outputDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fse-mdapi-')), 'mdapi');
// Run the CLI on this very Node (22), whatever node is first on PATH.
const sfRun = path.resolve('node_modules/@salesforce/cli/bin/run.js');
const result = spawnSync(
    process.execPath,
    [
        sfRun,
        'project',
        'convert',
        'source',
        '--root-dir',
        'force-app',
        '--output-dir',
        outputDir,
        '--json'
    ],
    {
        encoding: 'utf8',
        env: {
            ...process.env,
            // No background `sf update` left behind: the npm-installed CLI (2.150) passes only
            // SF_DISABLE_AUTOUPDATE to oclif's update hook; SF_AUTOUPDATE_DISABLE alone (the
            // documented name) even stops the CLI from setting it, so both are needed.
            SF_DISABLE_TELEMETRY: 'true',
            SF_AUTOUPDATE_DISABLE: 'true',
            SF_DISABLE_AUTOUPDATE: 'true',
            SF_SKIP_NEW_VERSION_CHECK: 'true',
            SF_HIDE_RELEASE_NOTES: 'true'
        }
    }
);
let parsed: { status?: number; message?: string } = {};
try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
} catch {
    // Not JSON: the raw output is printed below.
}
if (result.status !== 0 || parsed.status !== 0) {
    console.error('metadata-check: force-app does not convert to Metadata API format.');
    console.error(parsed.message ?? result.stdout ?? '', result.stderr ?? '');
    process.exit(1);
}

function* walk(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name === 'node_modules' || entry.name === '__tests__') continue;
            yield* walk(full);
        } else {
            yield full;
        }
    }
}

const problems: string[] = [];
const isXml = (file: string) =>
    /\.(xml|object|field|labels|translation|permissionset|flexipage|app|layout)$/.test(file) ||
    file.endsWith('-meta.xml');
let xmlCount = 0;
for (const dir of [outputDir, root]) {
    for (const file of walk(dir)) {
        if (!isXml(file) || file.includes(`${path.sep}staticresources${path.sep}`)) continue;
        xmlCount++;
        const verdict = XMLValidator.validate(readFileSync(file, 'utf8'));
        if (verdict !== true) {
            const where = path.relative(process.cwd(), file);
            problems.push(`${where}:${verdict.err.line}: malformed XML: ${verdict.err.msg}`);
        }
    }
}

// Elements each field type must carry for a deploy to succeed (Metadata API CustomField).
const requiredByType: Record<string, string[]> = {
    Text: ['length'],
    TextArea: [],
    LongTextArea: ['length', 'visibleLines'],
    Html: ['length', 'visibleLines'],
    EncryptedText: ['length', 'maskChar', 'maskType'],
    Number: ['precision', 'scale'],
    Currency: ['precision', 'scale'],
    Percent: ['precision', 'scale'],
    Checkbox: ['defaultValue'],
    Date: [],
    DateTime: [],
    Time: [],
    Email: [],
    Phone: [],
    Url: [],
    Picklist: ['valueSet'],
    MultiselectPicklist: ['valueSet', 'visibleLines'],
    Lookup: ['referenceTo', 'relationshipName'],
    MasterDetail: ['referenceTo', 'relationshipName'],
    AutoNumber: ['displayFormat'],
    Formula: [],
    Summary: ['summaryOperation'],
    Hierarchy: ['relationshipName']
};
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
let fieldCount = 0;
for (const file of walk(root)) {
    if (!file.endsWith('.field-meta.xml')) continue;
    const where = path.relative(process.cwd(), file);
    const name = path.basename(file, '.field-meta.xml');
    const object = path.basename(path.dirname(path.dirname(file)));
    let field: Record<string, unknown> | undefined;
    try {
        field = (xml.parse(readFileSync(file, 'utf8')) as { CustomField?: Record<string, unknown> })
            .CustomField;
    } catch {
        continue; // already reported as malformed XML
    }
    if (!field) {
        problems.push(`${where}: root element must be <CustomField>`);
        continue;
    }
    fieldCount++;
    if (field.fullName !== undefined && field.fullName !== name) {
        problems.push(
            `${where}: <fullName>${String(field.fullName)}</fullName> must match the file name ${name}`
        );
    }
    if (!name.endsWith('__c')) continue; // standard field customisations carry only what they change
    const type = String(field.type ?? '');
    if (field.formula !== undefined) {
        // formula fields carry their return type; the type-specific rules do not apply
    } else if (!(type in requiredByType)) {
        problems.push(`${where}: unknown or missing field <type> "${type}"`);
    } else {
        for (const element of requiredByType[type]) {
            const fromGlobalSet =
                element === 'valueSet' && object.endsWith('__e') === false && field.valueSet;
            if (field[element] === undefined && !fromGlobalSet) {
                problems.push(`${where}: a ${type} field needs <${element}>`);
            }
        }
    }
    if (!field.label) problems.push(`${where}: custom field without <label>`);
    if (!object.endsWith('__e') && !object.endsWith('__mdt') && !field.inlineHelpText) {
        problems.push(
            `${where}: custom field without <inlineHelpText> (help text is required on every custom field)`
        );
    }
}

// Custom Labels: every label the code references exists (a missing one fails the deploy),
// and every label has its English translation (Italian is the master language).
const labelsFile = path.join(root, 'main/default/labels/CustomLabels.labels-meta.xml');
const translationFile = path.join(root, 'main/default/translations/en_US.translation-meta.xml');
const asArray = <T>(v: T | T[] | undefined): T[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v];
const labelNames = new Set<string>();
try {
    const doc = xml.parse(readFileSync(labelsFile, 'utf8')) as {
        CustomLabels?: { labels?: { fullName: string } | { fullName: string }[] };
    };
    for (const l of asArray(doc.CustomLabels?.labels)) labelNames.add(String(l.fullName));
} catch {
    // a missing labels file leaves the set empty: any reference is then reported
}
const translated = new Set<string>();
try {
    const doc = xml.parse(readFileSync(translationFile, 'utf8')) as {
        Translations?: { customLabels?: { name: string } | { name: string }[] };
    };
    for (const l of asArray(doc.Translations?.customLabels)) translated.add(String(l.name));
} catch {
    // no translation file: every label is reported as untranslated
}
for (const name of labelNames) {
    if (!translated.has(name)) problems.push(`labels: ${name} has no en_US translation`);
}
const labelRef = /@salesforce\/label\/c\.([A-Za-z0-9_]+)|\b(?:System\.)?Label\.([A-Za-z0-9_]+)/g;
for (const file of walk(root)) {
    if (
        !/\.(js|cls|trigger|html)$/.test(file) ||
        file.includes(`${path.sep}test${path.sep}jest-mocks`)
    )
        continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(labelRef)) {
        const name = m[1] ?? m[2];
        if (!labelNames.has(name)) {
            problems.push(
                `${path.relative(process.cwd(), file)}: references Custom Label ${name}, which does not exist`
            );
        }
    }
}

// LWC → Apex: every `@salesforce/apex/Class.method` a component imports is an @AuraEnabled
// method of a class in force-app, and every `@salesforce/schema/Object.Field` names a field
// that exists (custom fields from force-app; standard fields are not checked). A deploy
// fails on either; Jest does not notice because tests mock these imports.
const apexMethods = new Map<string, Set<string>>();
const auraEnabled =
    /@AuraEnabled\b[^\n]*\n(?:\s*@\w+[^\n]*\n)*\s*(?:public|global)\s+static\s+[\w<>,\s.]+?\s+(\w+)\s*\(/gi;
for (const file of walk(root)) {
    if (!file.endsWith('.cls')) continue;
    const methods = new Set<string>();
    for (const m of readFileSync(file, 'utf8').matchAll(auraEnabled))
        methods.add(m[1].toLowerCase());
    apexMethods.set(path.basename(file, '.cls').toLowerCase(), methods);
}
const customFields = new Set<string>();
for (const file of walk(root)) {
    if (file.endsWith('.field-meta.xml')) {
        const object = path.basename(path.dirname(path.dirname(file)));
        customFields.add(`${object}.${path.basename(file, '.field-meta.xml')}`.toLowerCase());
    }
}
const lwcImport = /from\s+['"]@salesforce\/(apex|schema)\/([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)['"]/g;
for (const file of walk(path.join(root, 'main/default/lwc'))) {
    if (!file.endsWith('.js')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(lwcImport)) {
        const [, kind, owner, member] = m;
        const where = path.relative(process.cwd(), file);
        if (kind === 'apex') {
            const methods = apexMethods.get(owner.toLowerCase());
            if (!methods)
                problems.push(`${where}: imports Apex class ${owner}, which does not exist`);
            else if (!methods.has(member.toLowerCase()))
                problems.push(
                    `${where}: imports ${owner}.${member}, which is not an @AuraEnabled static method`
                );
        } else if (
            member.toLowerCase().endsWith('__c') &&
            !customFields.has(`${owner}.${member}`.toLowerCase())
        ) {
            problems.push(`${where}: imports field ${owner}.${member}, which does not exist`);
        }
    }
}

// SOQL against the schema (force-app + standard objects of apex-ls's sobject-types jar).
const soql = checkSoql({
    metadataDir: path.join(root, 'main/default'),
    sobjectTypesJar: javaLibJar('sobject-types-'),
    stubsDir: path.resolve('scripts/apex-ls-stubs')
});
problems.push(...soql.problems.map((p) => `force-app/main/default/${p}`));

// What the deploy carries (the converted package.xml): printed so a move of source files
// (classes/ grouped by domain) can be compared with the component counts before it.
const manifest = xml.parse(readFileSync(path.join(outputDir, 'package.xml'), 'utf8')) as {
    Package?: { types?: { name: string; members: string | string[] }[] };
};
const counted = new Map(
    asArray(manifest.Package?.types).map((t) => [t.name, asArray(t.members).length])
);
const components = [...counted.values()].reduce((a, b) => a + b, 0);

// Upgrade manifests (manifest/<issue>/destructiveChanges*.xml) delete what force-app no longer
// has: one that names a component force-app still deploys would delete it from the org.
const deployed = new Set(
    asArray(manifest.Package?.types).flatMap((t) =>
        asArray(t.members).map((m) => `${t.name}:${String(m)}`)
    )
);
const manifestDir = path.resolve('manifest');
for (const file of existsSync(manifestDir) ? walk(manifestDir) : []) {
    if (!/[\\/]destructiveChanges(Pre|Post)?\.xml$/.test(file)) continue;
    const where = path.relative(process.cwd(), file);
    const text = readFileSync(file, 'utf8');
    const verdict = XMLValidator.validate(text);
    if (verdict !== true) {
        problems.push(`${where}:${verdict.err.line}: malformed XML: ${verdict.err.msg}`);
        continue;
    }
    const doc = xml.parse(text) as {
        Package?: { types?: { name: string; members: string | string[] }[] };
    };
    for (const t of asArray(doc.Package?.types)) {
        for (const m of asArray(t.members)) {
            if (deployed.has(`${t.name}:${String(m)}`))
                problems.push(`${where}: deletes ${t.name} ${String(m)}, which force-app deploys`);
        }
    }
}
rmSync(path.dirname(outputDir), { recursive: true, force: true });
if (problems.length > 0) {
    console.error(`metadata-check: ${problems.length} problem(s):`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
}
console.log(
    `metadata-check: ${components} components in package.xml (ApexClass ${counted.get('ApexClass') ?? 0}, ` +
        `ApexTrigger ${counted.get('ApexTrigger') ?? 0}, LightningComponentBundle ` +
        `${counted.get('LightningComponentBundle') ?? 0})`
);
console.log(
    `metadata-check: force-app converts cleanly; ${xmlCount} XML files well-formed, ` +
        `${fieldCount} fields valid, ${soql.queries} SOQL queries resolve`
);
