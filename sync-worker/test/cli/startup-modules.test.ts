// Start-up cost of `fse-sync run` (issue 22): the campaign libraries (e-mail, DSN parsing, HTML
// templates) and the scheduler are loaded by the commands that use them, not at every start; the
// libraries a sync run needs only in some runs (csv-parse, croner, fast-xml-parser, marked,
// node:https) when first used. A module loaded is CPU spent at each run; which modules load is
// deterministic, so it is tested here rather than timed. The worker runs as a real process under
// a module hook that lists every module Node loads, imported or required.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const BIN = resolve(__dirname, '../../bin/fse-sync.js');
const NODE = process.execPath;

let dir: string;
beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fse-startup-'));
    writeFileSync(
        join(dir, 'register.mjs'),
        // in-thread hooks (module.registerHooks) see require() as well as import
        `import { registerHooks } from 'node:module';
registerHooks({
    load(url, context, next) {
        process.stderr.write('LOADED ' + url + '\\n');
        return next(url, context);
    }
});
`
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages (node_modules folder names) and the node: modules loaded by `fse-sync <args>`,
 *  and its exit code. */
function packagesLoaded(
    args: string[]
): Promise<{ code: number; packages: Set<string>; builtins: Set<string> }> {
    return new Promise((done, fail) => {
        execFile(
            NODE,
            ['--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, ...args],
            { env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } },
            (err, _stdout, stderr) => {
                const code = err ? ((err as { code?: number }).code ?? 1) : 0;
                if (typeof code !== 'number') return fail(err);
                const packages = new Set<string>();
                for (const m of stderr.matchAll(
                    /^LOADED .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm
                ))
                    packages.add(m[1]);
                const builtins = new Set<string>();
                for (const m of stderr.matchAll(/^LOADED (node:[\w/]+)$/gm)) builtins.add(m[1]);
                done({ code, packages, builtins });
            }
        );
    });
}

const CAMPAIGN_ONLY = ['nodemailer', 'mailparser', 'html-to-text', 'sanitize-html', 'libmime'];
/** Libraries a sync run loads when it first uses them: csv-parse (an odd Bulk answer, a failed
 *  job's results), croner (a configured job), fast-xml-parser (picklists from force-app, through
 *  its one-file CommonJS build), marked (training content), cli-progress (a terminal). */
const ON_FIRST_USE = ['csv-parse', 'croner', 'fast-xml-parser', 'marked', 'cli-progress'];

describe('fse-sync start-up', () => {
    it('a sync run does not load the campaign libraries (they load with campaign send)', async () => {
        const run = await packagesLoaded(['run', '--help']);
        expect(run.code).toBe(0);
        // the hook sees the modules the command line needs (commander, zod): it works
        expect([...run.packages]).toEqual(expect.arrayContaining(['commander', 'zod']));
        expect(CAMPAIGN_ONLY.filter((p) => run.packages.has(p))).toEqual([]);
    }, 60_000);

    it('a sync run loads csv-parse, croner, fast-xml-parser, marked and node:http(s) on first use', async () => {
        const run = await packagesLoaded(['run', '--help']);
        expect(run.code).toBe(0);
        // required packages are seen too (pino is CommonJS), and node: modules
        expect([...run.packages]).toEqual(expect.arrayContaining(['pino', 'p-queue']));
        expect(run.builtins.has('node:fs')).toBe(true);
        expect(ON_FIRST_USE.filter((p) => run.packages.has(p))).toEqual([]);
        // an ES import of node:http evaluates its getters (undici) at start; node:https loads TLS
        expect(['node:http', 'node:https'].filter((b) => run.builtins.has(b))).toEqual([]);
    }, 60_000);
});
