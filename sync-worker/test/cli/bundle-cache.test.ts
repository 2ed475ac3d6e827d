// The bundle of the worker's own modules (bin/bundle-cache.js, issue 22): a start uses it only
// while every source it was built from is unchanged, so an edited module is never served stale;
// it falls back to the sources when it cannot bundle. Each case runs a real Node process on a
// small project of its own (a temporary folder), as bin/fse-sync.js does for the worker.
import { execFile } from 'node:child_process';
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';

const BIN = resolve(__dirname, '../../bin');
const NODE = process.execPath;

interface Start {
    bundled: boolean;
    value?: string;
    url?: string;
}

let root: string;
beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fse-bundle-'));
    mkdirSync(join(root, 'src'));
    write(
        'src/main.ts',
        "import { msg } from './msg.ts';\nexport const main = (): string => msg;\n"
    );
    write('src/msg.ts', "export const msg: string = 'one';\n");
    writeFileSync(
        join(root, 'start.mjs'),
        `import { importBundled } from ${JSON.stringify(pathToFileURL(join(BIN, 'bundle-cache.js')).href)};
const ns = await importBundled(process.env, { root: ${JSON.stringify(root)}, entry: ${JSON.stringify(join(root, 'src/main.ts'))} });
process.stdout.write(JSON.stringify(ns ? { bundled: true, value: ns.main(), url: ns.url } : { bundled: false }));
`
    );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
    writeFileSync(join(root, file), text);
}

const CACHE = () => join(root, 'node_modules/.cache/fse-sync-bundle');
const bundles = () => readdirSync(CACHE()).filter((n) => /^[0-9a-f]{64}$/.test(n));
const current = () => JSON.parse(readFileSync(join(CACHE(), 'current.json'), 'utf8'));

function start(env: NodeJS.ProcessEnv = {}): Promise<Start> {
    return new Promise((done, fail) =>
        execFile(
            NODE,
            [join(root, 'start.mjs')],
            { env: { ...process.env, ...env } },
            (err, stdout, stderr) => (err ? fail(new Error(stderr)) : done(JSON.parse(stdout)))
        )
    );
}

describe('the bundle of the worker modules', () => {
    it('is built once, used while the sources are unchanged, and rebuilt when one is edited', async () => {
        expect(await start()).toEqual({ bundled: true, value: 'one' });
        const first = bundles();
        expect(first).toHaveLength(1);
        expect(Object.keys(current().files).sort()).toEqual(['src/main.ts', 'src/msg.ts']);

        expect(await start()).toEqual({ bundled: true, value: 'one' });
        expect(bundles()).toEqual(first); // not built again

        // an edit of a module the entry imports: the next start sees it
        write('src/msg.ts', "export const msg: string = 'two';\n");
        expect(await start()).toEqual({ bundled: true, value: 'two' });
        expect(bundles()).toHaveLength(2);

        // a new module imported by an edited one is bundled too
        write('src/extra.ts', "export const extra: string = 'three';\n");
        write('src/msg.ts', "import { extra } from './extra.ts';\nexport const msg = extra;\n");
        expect(await start()).toEqual({ bundled: true, value: 'three' });
        expect(Object.keys(current().files).sort()).toEqual([
            'src/extra.ts',
            'src/main.ts',
            'src/msg.ts'
        ]);
        // and an edit of that one as well
        write('src/extra.ts', "export const extra: string = 'four';\n");
        expect(await start()).toEqual({ bundled: true, value: 'four' });
    }, 60_000);

    it('keeps import.meta.url of each module its own source file', async () => {
        write('src/main.ts', 'export const main = (): string => import.meta.url;\n');
        expect(await start()).toEqual({
            bundled: true,
            value: pathToFileURL(join(root, 'src/main.ts')).href
        });
    }, 60_000);

    it('is not used with FSE_SYNC_BUNDLE=0, nor when the sources cannot be bundled', async () => {
        expect(await start({ FSE_SYNC_BUNDLE: '0' })).toEqual({ bundled: false });
        expect(existsSync(CACHE())).toBe(false);

        // an import of a name the module does not export: the start uses the sources (which
        // then fail as they would have), and does not try to bundle them again
        write(
            'src/main.ts',
            "import { nothing } from './msg.ts';\nexport const main = () => nothing;\n"
        );
        expect(await start()).toEqual({ bundled: false });
        const failed = current();
        expect(failed.failedAt).toEqual(expect.any(Number));
        expect(await start()).toEqual({ bundled: false });
        expect(current().failedAt).toBe(failed.failedAt);

        // fixed: bundled again
        write('src/main.ts', "import { msg } from './msg.ts';\nexport const main = () => msg;\n");
        expect(await start()).toEqual({ bundled: true, value: 'one' });
    }, 60_000);

    it('falls back to the sources when the cache folder cannot be written', async () => {
        mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
        write('node_modules/.cache/fse-sync-bundle', 'a file where the folder would be');
        expect(await start()).toEqual({ bundled: false });
    }, 60_000);
});

// The oracle: the same project loaded from its sources (Node strips the types, as bin/fse-sync.js
// does without the bundle). Random module graphs (static imports in any order, shared modules,
// dynamic imports, import.meta.url) must give the same evaluation order, values and URLs.
describe('a bundled module graph behaves as its sources', () => {
    /** module i imports some of the modules after it (no cycles: dependency-cruiser forbids them) */
    const graph = fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.tuple(
            ...Array.from({ length: n }, (_, i) =>
                fc.record({
                    imports: fc.shuffledSubarray(
                        Array.from({ length: n - i - 1 }, (_, k) => i + 1 + k)
                    ),
                    dynamic: fc.subarray(
                        Array.from({ length: n - i - 1 }, (_, k) => i + 1 + k),
                        { maxLength: Math.min(1, n - i - 1) }
                    ),
                    meta: fc.boolean()
                })
            )
        )
    );

    function writeGraph(mods: Array<{ imports: number[]; dynamic: number[]; meta: boolean }>) {
        mods.forEach((m, i) => {
            const lines = m.imports.map((j) => `import { value as v${j} } from './m${j}.ts';`);
            lines.push(`((globalThis as any).order ??= []).push('m${i}');`);
            const parts = [`'m${i}'`, ...m.imports.map((j) => `v${j}`)];
            if (m.meta) parts.push('import.meta.url');
            lines.push(`export const value: string = [${parts.join(', ')}].join('|');`);
            lines.push(
                `export async function later(): Promise<string[]> { return [${m.dynamic
                    .map((j) => `(await import('./m${j}.ts')).value`)
                    .join(', ')}]; }`
            );
            write(`src/m${i}.ts`, lines.join('\n') + '\n');
        });
        write(
            'src/main.ts',
            `import { value, later } from './m0.ts';
export async function run(): Promise<string> {
    const dynamic = await later();
    return JSON.stringify({ value, dynamic, order: (globalThis as any).order });
}
`
        );
        writeFileSync(
            join(root, 'graph.mjs'),
            `import { importBundled } from ${JSON.stringify(pathToFileURL(join(BIN, 'bundle-cache.js')).href)};
const entry = ${JSON.stringify(join(root, 'src/main.ts'))};
const ns = (await importBundled(process.env, { root: ${JSON.stringify(root)}, entry })) ?? (await import(entry));
process.stdout.write(await ns.run());
`
        );
    }

    function load(env: NodeJS.ProcessEnv): Promise<string> {
        return new Promise((done, fail) =>
            execFile(
                NODE,
                ['--no-warnings', join(root, 'graph.mjs')],
                { env: { ...process.env, ...env } },
                (err, stdout, stderr) => (err ? fail(new Error(stderr)) : done(stdout))
            )
        );
    }

    it('same evaluation order, values, dynamic imports and import.meta.url', async () => {
        await fc.assert(
            fc.asyncProperty(graph, async (mods) => {
                rmSync(join(root, 'src'), { recursive: true, force: true });
                rmSync(join(root, 'node_modules'), { recursive: true, force: true });
                mkdirSync(join(root, 'src'));
                writeGraph(mods);
                const sources = await load({ FSE_SYNC_BUNDLE: '0' });
                const bundled = await load({});
                expect(bundles()).toHaveLength(1); // it was the bundle
                expect(bundled).toBe(sources);
            }),
            { numRuns: 12 }
        );
    }, 120_000);
});

describe('fse-sync from the bundle', () => {
    function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
        return new Promise((done) =>
            execFile(
                NODE,
                [join(BIN, 'fse-sync.js'), ...args],
                { env: { ...process.env, ...env } },
                (err, stdout, stderr) =>
                    done({
                        code: err ? Number((err as { code?: number }).code ?? 1) : 0,
                        out: stdout + stderr
                    })
            )
        );
    }

    it('prints the same help and usage errors, with the same exit codes, as from the sources', async () => {
        for (const args of [['--help'], ['run', '--help'], ['run'], ['nonsense']]) {
            const bundled = await cli(args, {});
            const sources = await cli(args, { FSE_SYNC_BUNDLE: '0' });
            expect(bundled).toEqual(sources);
        }
        expect((await cli(['run'], {})).code).toBe(2);
    }, 60_000);
});
