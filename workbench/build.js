// Builds the component workbench: every UI component of force-app/main/default/lwc in one
// browser bundle (LWC 9 + lightning-base-components + synthetic shadow), with browser stand-ins
// for the platform modules (@salesforce/apex, @salesforce/label, @salesforce/i18n,
// lightning/navigation, lightning/platformShowToastEvent, lightning/platformResourceLoader,
// lightning-file-upload). Output: workbench/dist (git-ignored).
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { XMLParser } from 'fast-xml-parser';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');
export const distDir = path.join(here, 'dist');
const lwcDir = path.join(root, 'force-app/main/default/lwc');
const labelsFile = path.join(root, 'force-app/main/default/labels/CustomLabels.labels-meta.xml');
const translationFile = path.join(
    root,
    'force-app/main/default/translations/en_US.translation-meta.xml'
);
const runtimeDir = path.join(here, 'src/runtime');

// The engine that matches lwc 9's compiler: npm may hoist an older @lwc/engine-dom (sfdx-lwc-jest
// brings 8.x), so resolve the runtime modules from the lwc package itself.
const fromLwc = createRequire(path.join(root, 'node_modules/lwc/index.js'));
const LWC_RUNTIME = [
    { name: 'lwc', path: fromLwc.resolve('@lwc/engine-dom') },
    { name: '@lwc/synthetic-shadow', path: fromLwc.resolve('@lwc/synthetic-shadow') },
    { name: '@lwc/wire-service', path: fromLwc.resolve('@lwc/wire-service') }
];

const asArray = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Italian labels (CustomLabels) and their English translation, as { it: {...}, en: {...} }. */
export function readLabels() {
    const xml = new XMLParser({ parseTagValue: false, trimValues: false });
    const it = {};
    const en = {};
    for (const l of asArray(xml.parse(readFileSync(labelsFile, 'utf8')).CustomLabels.labels)) {
        it[l.fullName] = String(l.value);
    }
    for (const t of asArray(
        xml.parse(readFileSync(translationFile, 'utf8')).Translations.customLabels
    )) {
        en[t.name] = String(t.label);
    }
    return { it, en };
}

/** c/<name> module records for every component folder of force-app. */
function componentModules() {
    return readdirSync(lwcDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(path.join(lwcDir, d.name, `${d.name}.js`)))
        .map((d) => ({ name: `c/${d.name}`, path: path.join(lwcDir, d.name, `${d.name}.js`) }));
}

/**
 * Virtual modules for the @salesforce/* scoped imports our components use. Labels fail the build
 * when missing (a typo in an import would otherwise show up only in an org).
 */
function platformModules(labels) {
    const PREFIX = '\0wb:';
    const i18nOverridden = new Set([
        'locale',
        'lang',
        'timeZone',
        'currency',
        'firstDayOfWeek',
        'dateTime.shortDateFormat',
        'dateTime.mediumDateFormat',
        'dateTime.longDateFormat',
        'dateTime.shortDateTimeFormat',
        'dateTime.mediumDateTimeFormat',
        'dateTime.longDateTimeFormat',
        'dateTime.shortTimeFormat',
        'dateTime.mediumTimeFormat',
        'number.decimalSeparator',
        'number.groupingSeparator',
        'number.currencySymbol',
        'number.currencyFormat',
        'number.numberFormat',
        'number.percentFormat'
    ]);
    return {
        name: 'fse-workbench-platform',
        resolveId(source) {
            if (
                source.startsWith('@salesforce/label/c.') ||
                source.startsWith('@salesforce/apex/') ||
                source === '@salesforce/apex' ||
                source.startsWith('@salesforce/resourceUrl/') ||
                source.startsWith('@salesforce/user/') ||
                source.startsWith('@salesforce/schema/') ||
                (source.startsWith('@salesforce/i18n/') &&
                    i18nOverridden.has(source.slice('@salesforce/i18n/'.length)))
            ) {
                return PREFIX + source;
            }
            if (source === 'wb/labelData') {
                return PREFIX + source;
            }
            if (source.startsWith('wb/')) {
                return path.join(runtimeDir, `${source.slice(3)}.js`);
            }
            return null;
        },
        load(id) {
            if (!id.startsWith(PREFIX)) {
                return null;
            }
            const source = id.slice(PREFIX.length);
            if (source === 'wb/labelData') {
                return `export default ${JSON.stringify(labels)};`;
            }
            if (source.startsWith('@salesforce/label/c.')) {
                const name = source.slice('@salesforce/label/c.'.length);
                if (!(name in labels.it)) {
                    this.error(`Custom Label ${name} is imported but not in CustomLabels`);
                }
                return `import { label } from 'wb/labels';\nexport default label(${JSON.stringify(name)});`;
            }
            if (source === '@salesforce/apex') {
                return `export { refreshApex, getSObjectValue } from 'wb/apex';`;
            }
            if (source.startsWith('@salesforce/apex/')) {
                const name = source.slice('@salesforce/apex/'.length);
                return `import { apexMethod } from 'wb/apex';\nexport default apexMethod(${JSON.stringify(name)});`;
            }
            if (source.startsWith('@salesforce/resourceUrl/')) {
                const name = source.slice('@salesforce/resourceUrl/'.length);
                return `export default ${JSON.stringify(`/resource/${name}`)};`;
            }
            if (source.startsWith('@salesforce/i18n/')) {
                const key = source.slice('@salesforce/i18n/'.length);
                return `import { i18n } from 'wb/i18n';\nexport default i18n(${JSON.stringify(key)});`;
            }
            if (source.startsWith('@salesforce/user/')) {
                const key = source.slice('@salesforce/user/'.length);
                const values = { Id: '005000000000001AAA', isGuest: false };
                return `export default ${JSON.stringify(values[key] ?? null)};`;
            }
            if (source.startsWith('@salesforce/schema/')) {
                const [objectApiName, ...field] = source
                    .slice('@salesforce/schema/'.length)
                    .split('.');
                return `export default ${JSON.stringify(
                    field.length
                        ? { objectApiName, fieldApiName: field.join('.') }
                        : { objectApiName }
                )};`;
            }
            return null;
        }
    };
}

/** JSON fixtures (the Jest tests' __tests__/data files) imported by the scenarios. */
function jsonModules() {
    return {
        name: 'fse-workbench-json',
        transform(code, id) {
            if (id.endsWith('.json')) {
                return { code: `export default ${code};`, map: null };
            }
            return null;
        }
    };
}

export async function build({ quiet = false } = {}) {
    const started = Date.now();
    const labels = readLabels();
    mkdirSync(distDir, { recursive: true });
    const bundle = await rollup({
        input: path.join(here, 'src/main.js'),
        plugins: [
            platformModules(labels),
            jsonModules(),
            replace({
                preventAssignment: true,
                values: {
                    'import.meta.env.SSR': 'false',
                    'process.env.NODE_ENV': JSON.stringify('development')
                }
            }),
            lwc({
                rootDir: path.join(here, 'src'),
                enableSyntheticElementInternals: true,
                defaultModules: LWC_RUNTIME,
                exclude: ['**/*.json'],
                modules: [
                    ...componentModules(),
                    { name: 'lightning/navigation', path: path.join(runtimeDir, 'navigation.js') },
                    {
                        name: 'lightning/platformShowToastEvent',
                        path: path.join(runtimeDir, 'platformShowToastEvent.js')
                    },
                    {
                        name: 'lightning/platformResourceLoader',
                        path: path.join(runtimeDir, 'platformResourceLoader.js')
                    },
                    {
                        name: 'lightning/fileUpload',
                        path: path.join(here, 'src/components/fileUpload/fileUpload.js')
                    },
                    { npm: 'lightning-base-components' }
                ]
            })
        ],
        onwarn(warning, warn) {
            // Salesforce's own base components compile with template warnings: not ours to fix.
            const where = warning.id || (warning.loc && warning.loc.file) || '';
            if (
                warning.code === 'CIRCULAR_DEPENDENCY' ||
                warning.code === 'THIS_IS_UNDEFINED' ||
                where.includes(`${path.sep}lightning-base-components${path.sep}`)
            ) {
                return;
            }
            warn(warning);
        }
    });
    await bundle.write({
        file: path.join(distDir, 'workbench.js'),
        format: 'iife',
        inlineDynamicImports: true,
        sourcemap: false
    });
    await bundle.close();
    writeFileSync(
        path.join(distDir, 'index.html'),
        readFileSync(path.join(here, 'src/index.html'))
    );
    if (!quiet) {
        console.log(`workbench: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    build().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
