#!/usr/bin/env node
// fse-sync: needs Node 22+ (TypeScript type stripping); `npx fse-sync` runs it on the project's Node.
// SIGTERM/SIGINT ask the run (or the scheduler) to stop gracefully: it finishes the current step,
// records the run in the org and exits. A second signal exits at once.
// The modules are imported after the type-stripping cache is in place (ts-cache.js), with
// V8's compile cache on (Node 22.1+, module.enableCompileCache: the compiled code of each module
// kept on disk, in NODE_COMPILE_CACHE or <tmpdir>/node-compile-cache as Node's documentation
// recommends; about 0.1 s less CPU at each start, issue 22; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off). It never throws: a folder it cannot write only means no cache. The worker's own modules
// load as one bundle, rebuilt when a source changes (bundle-cache.js), else from the sources.
import module from 'node:module';
import { importBundled } from './bundle-cache.js';
import { registerTypeScriptCache } from './ts-cache.js';

module.enableCompileCache?.();
const bundled = await importBundled();
if (!bundled) registerTypeScriptCache();
const { main } = bundled ?? (await import('../src/cli/main.ts'));

const argv = process.argv.slice(2);
const stop = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => {
        if (stop.signal.aborted) {
            process.stderr.write(`fse-sync: second ${sig}, exiting now\n`);
            process.exit(sig === 'SIGTERM' ? 143 : 130);
        }
        stop.abort();
    });
}
main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: stop.signal
}).then(
    (code) => {
        process.exitCode = code;
        // the scheduler's timers and sockets are closed; do not wait for stragglers
        if (argv[0] === 'schedule') setTimeout(() => process.exit(code), 200).unref();
    },
    (err) => {
        process.stderr.write(`fse-sync: fatal: ${err?.name ?? 'Error'}\n`);
        process.exitCode = 1;
    }
);
