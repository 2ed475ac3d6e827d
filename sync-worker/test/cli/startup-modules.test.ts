// Start-up cost of `fse-sync run` (issue 22): the campaign libraries (e-mail, DSN parsing, HTML
// templates) and the scheduler are loaded by the commands that use them, not at every start. A
// module loaded is CPU spent at each run; which modules load is deterministic, so it is tested
// here rather than timed. The worker runs as a real process under a module hook that lists
// every module Node loads.
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
        join(dir, 'hooks.mjs'),
        `export async function load(url, context, next) {
    process.stderr.write('LOADED ' + url + '\\n');
    return next(url, context);
}
`
    );
    writeFileSync(
        join(dir, 'register.mjs'),
        `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
`
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages (node_modules folder names) loaded by `fse-sync <args>`, and its exit code. */
function packagesLoaded(args: string[]): Promise<{ code: number; packages: Set<string> }> {
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
                done({ code, packages });
            }
        );
    });
}

const CAMPAIGN_ONLY = ['nodemailer', 'mailparser', 'html-to-text', 'sanitize-html', 'libmime'];

describe('fse-sync start-up', () => {
    it('a sync run does not load the campaign libraries (they load with campaign send)', async () => {
        const run = await packagesLoaded(['run', '--help']);
        expect(run.code).toBe(0);
        // the hook sees the modules the command line needs (commander, zod): it works
        expect([...run.packages]).toEqual(expect.arrayContaining(['commander', 'zod']));
        expect(CAMPAIGN_ONLY.filter((p) => run.packages.has(p))).toEqual([]);
    }, 60_000);
});
