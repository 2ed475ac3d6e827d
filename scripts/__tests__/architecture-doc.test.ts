// docs/architecture.md must match the code (issue 20), so the one-page picture cannot rot
// silently: every path it links or names exists (and every #anchor is a heading there); every
// Apex class, trigger, component, object, field and permission set it names is in force-app; the
// folder map lists exactly the classes of each folder under classes/; the permission-set table
// lists exactly the Apex classes each permission set opens; every Lightning web component follows
// the naming rule the page states and is listed under its prefix.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const repo = process.cwd();
const docFile = path.join(repo, 'docs/architecture.md');
const metadata = path.join(repo, 'force-app/main/default');
const doc = readFileSync(docFile, 'utf8');

const names = (dir: string, suffix: string) =>
    existsSync(dir)
        ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
              .filter((f) => f.endsWith(suffix))
              .map((f) => path.basename(f, suffix))
        : [];
const classesDir = path.join(metadata, 'classes');
const classFolders = readdirSync(classesDir).filter((f) =>
    statSync(path.join(classesDir, f)).isDirectory()
);
const apexClasses = new Set(names(classesDir, '.cls'));
const triggers = new Set(names(path.join(metadata, 'triggers'), '.trigger'));
const bundles = readdirSync(path.join(metadata, 'lwc')).filter((f) =>
    existsSync(path.join(metadata, 'lwc', f, `${f}.js-meta.xml`))
);
const objects = new Set(readdirSync(path.join(metadata, 'objects')));
const permissionSets = new Set(
    names(path.join(metadata, 'permissionsets'), '.permissionset-meta.xml')
);
const customPermissions = new Set(
    names(path.join(metadata, 'customPermissions'), '.customPermission-meta.xml')
);
const apps = new Set(names(path.join(metadata, 'applications'), '.app-meta.xml'));
/** Standard objects the page names that force-app does not customise (no folder in objects/). */
const UNCUSTOMISED_STANDARD_OBJECTS = new Set([
    'Task',
    'CaseComment',
    'EmailMessage',
    'FeedItem',
    'FeedComment',
    'ContentDocument',
    'User'
]);
const PREFIXES = ['fse', 'console', 'privacy', 'admin'];

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
const asArray = <T>(v: T | T[] | undefined): T[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
    const result = new Set<string>();
    for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
        result.add(
            m[1]
                .trim()
                .toLowerCase()
                .replace(/[^\p{L}\p{N}\s_-]/gu, '')
                .replace(/\s/g, '-')
        );
    }
    return result;
}

/** Rows of the Markdown tables whose header's first cell is `first`: cells, trimmed. */
function tableRows(first: string): string[][] {
    const rows: string[][] = [];
    let inTable = false;
    for (const line of doc.split('\n')) {
        if (!line.startsWith('|')) {
            inTable = false;
            continue;
        }
        const cells = line
            .slice(1, -1)
            .split('|')
            .map((c) => c.trim());
        if (!inTable) {
            inTable = cells[0] === first;
            continue;
        }
        if (/^-+$/.test(cells[0])) continue;
        rows.push(cells);
    }
    return rows;
}

const ticked = (text: string) => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);

describe('docs/architecture.md matches the code', () => {
    it('links only to paths and headings that exist', () => {
        const problems: string[] = [];
        for (const m of doc.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
            const href = m[1];
            if (/^[a-z]+:/.test(href)) continue;
            const [target, anchor] = href.split('#');
            const file = target ? path.resolve(path.dirname(docFile), target) : docFile;
            if (!existsSync(file)) {
                problems.push(`link ${href}: ${path.relative(repo, file)} does not exist`);
            } else if (anchor && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
                problems.push(
                    `link ${href}: no heading #${anchor} in ${path.relative(repo, file)}`
                );
            }
        }
        expect(problems).toEqual([]);
    });

    it('names only paths, classes, components, objects, fields and permission sets that exist', () => {
        const problems: string[] = [];
        // Paths in code spans: from the repository, force-app/main/default or classes/.
        for (const token of ticked(doc)) {
            if (!token.includes('/') || /\s/.test(token)) continue;
            const found = [repo, metadata, classesDir].some((base) =>
                existsSync(path.join(base, token))
            );
            if (!found) problems.push(`path ${token} does not exist`);
        }
        // Apex folders anywhere on the page (the picture included).
        for (const m of doc.matchAll(/\bclasses\/(\w+)\//g)) {
            if (!classFolders.includes(m[1]))
                problems.push(`folder classes/${m[1]}/ does not exist`);
        }
        // Permission sets, custom permissions and apps anywhere on the page.
        for (const m of doc.matchAll(/\bFSE_[A-Za-z][A-Za-z_]*\b/g)) {
            const name = m[0];
            if (!permissionSets.has(name) && !customPermissions.has(name) && !apps.has(name))
                problems.push(`${name} is not a permission set, custom permission or app`);
        }
        // Objects and fields anywhere on the page.
        for (const m of doc.matchAll(/(?<![.\w])([A-Za-z0-9]+__(?:c|e|mdt))\b/g)) {
            if (!objects.has(m[1])) problems.push(`object ${m[1]} is not in objects/`);
        }
        for (const m of doc.matchAll(/\b([A-Z][A-Za-z0-9]*(?:__c)?)\.([A-Za-z0-9]+__c)\b/g)) {
            const file = path.join(metadata, 'objects', m[1], 'fields', `${m[2]}.field-meta.xml`);
            if (!existsSync(file)) problems.push(`field ${m[1]}.${m[2]} is not in force-app`);
        }
        // Every other single name in a code span is something force-app has.
        for (const token of ticked(doc)) {
            if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(token) || /__(c|e|mdt)$/.test(token)) continue;
            const known =
                apexClasses.has(token) ||
                triggers.has(token) ||
                bundles.includes(token) ||
                objects.has(token) ||
                UNCUSTOMISED_STANDARD_OBJECTS.has(token) ||
                permissionSets.has(token) ||
                customPermissions.has(token) ||
                PREFIXES.includes(token);
            if (!known)
                problems.push(
                    `\`${token}\` is not a class, trigger, component, object or permission set`
                );
        }
        expect(problems).toEqual([]);
    });

    it('lists exactly the classes of each folder under classes/', () => {
        const rows = tableRows('folder');
        const listed = new Map<string, string[]>();
        for (const cells of rows) {
            const folder = /\(\.\.\/force-app\/main\/default\/classes\/(\w+)\/\)/.exec(cells[0]);
            if (folder) listed.set(folder[1], cells.slice(1).flatMap(ticked));
        }
        expect([...listed.keys()].sort()).toEqual([...classFolders].sort());
        for (const folder of classFolders) {
            const actual = names(path.join(classesDir, folder), '.cls').sort();
            expect({ folder, classes: [...(listed.get(folder) ?? [])].sort() }).toEqual({
                folder,
                classes: actual
            });
        }
        // Nothing is left at the top of classes/.
        expect(readdirSync(classesDir).filter((f) => f.endsWith('.cls'))).toEqual([]);
    });

    it('lists exactly the Apex classes each permission set opens', () => {
        const rows = tableRows('permission set');
        const listed = new Map(
            rows.map((cells) => [
                ticked(cells[0])[0],
                ticked(cells[3]).filter((n) => apexClasses.has(n))
            ])
        );
        expect([...listed.keys()].sort()).toEqual([...permissionSets].sort());
        for (const set of permissionSets) {
            const file = path.join(metadata, 'permissionsets', `${set}.permissionset-meta.xml`);
            const parsed = xml.parse(readFileSync(file, 'utf8')) as {
                PermissionSet: { classAccesses?: { apexClass: string; enabled: string }[] };
            };
            const opened = asArray(parsed.PermissionSet.classAccesses)
                .filter((c) => c.enabled === 'true')
                .map((c) => c.apexClass)
                .sort();
            expect({ set, classes: [...(listed.get(set) ?? [])].sort() }).toEqual({
                set,
                classes: opened
            });
        }
    });

    it('states the component naming rule that every Lightning web component follows', () => {
        const listed = new Map<string, string[]>();
        for (const cells of tableRows('prefix')) {
            listed.set(ticked(cells[0])[0], ticked(cells[2]));
        }
        expect([...listed.keys()]).toEqual(PREFIXES);
        const problems: string[] = [];
        for (const [prefix, components] of listed) {
            for (const c of components) {
                if (!c.startsWith(prefix)) problems.push(`${c} is listed under ${prefix}`);
            }
        }
        const all = [...listed.values()].flat().sort();
        expect(all).toEqual([...bundles].sort());
        for (const bundle of bundles) {
            const prefix = PREFIXES.find((p) => new RegExp(`^${p}[A-Z]`).test(bundle));
            if (!prefix) problems.push(`${bundle} has none of the prefixes ${PREFIXES.join(', ')}`);
            const meta = xml.parse(
                readFileSync(path.join(metadata, 'lwc', bundle, `${bundle}.js-meta.xml`), 'utf8')
            ) as { LightningComponentBundle: { targets?: { target: string | string[] } } };
            const targets = asArray(meta.LightningComponentBundle.targets?.target);
            const community = targets.filter((t) => t.startsWith('lightningCommunity__'));
            if (community.length > 0 && prefix !== 'fse')
                problems.push(`${bundle} is placed in the portal: its name must start with fse`);
            if (prefix === 'fse' && community.length !== targets.length)
                problems.push(`${bundle} is placed outside the portal: fse is the portal's prefix`);
        }
        expect(problems).toEqual([]);
    });
});
