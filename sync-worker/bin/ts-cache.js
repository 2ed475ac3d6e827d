// Type stripping, cached. Node 22 strips the types of every .ts module at each start (amaro, a
// WebAssembly build of swc): for the worker's ~110 modules about 0.3 s of CPU and 25 MB of
// memory, a third of a small run's CPU (issue 22). This load hook keeps the stripped text of each
// of the project's modules in node_modules/.cache/fse-sync-ts/, named by the hash of the Node
// version and the module's source: later starts load it as JavaScript and never start the
// stripper. An edited module has another hash, so nothing stale is ever loaded. When the folder
// cannot be written (a read-only install), modules are stripped in memory as Node does.
// FSE_SYNC_TS_CACHE=0 turns it off; FSE_SYNC_TS_CACHE=<dir> puts the cache elsewhere.
import module from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');

/** The stripped JavaScript of a TypeScript source (Node's own stripper, warnings kept quiet:
 *  stderr carries the run's JSON log lines). */
export function strip(source) {
    const emitWarning = process.emitWarning;
    process.emitWarning = () => undefined;
    try {
        return module.stripTypeScriptTypes(source);
    } finally {
        process.emitWarning = emitWarning;
    }
}

/** `js` saved as `file`, atomically (another process may be writing the same file). */
function save(dir, file, js) {
    try {
        mkdirSync(dir, { recursive: true });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, js);
        renameSync(temp, file);
    } catch {
        // a read-only install: stripped again at the next start
    }
}

export function registerTypeScriptCache(env = process.env) {
    const setting = env.FSE_SYNC_TS_CACHE;
    if (setting === '0') return;
    if (typeof module.registerHooks !== 'function') return;
    if (typeof module.stripTypeScriptTypes !== 'function') return;
    const dir = setting ? resolve(setting) : join(ROOT, 'node_modules/.cache/fse-sync-ts');
    const inProject = pathToFileURL(ROOT + '/').href;
    const modules = pathToFileURL(join(ROOT, 'node_modules') + '/').href;
    module.registerHooks({
        load(url, context, nextLoad) {
            if (!url.endsWith('.ts') || !url.startsWith(inProject) || url.startsWith(modules))
                return nextLoad(url, context);
            const source = readFileSync(fileURLToPath(url), 'utf8');
            const key = createHash('sha256').update(process.version).update('\0').update(source);
            const file = join(dir, `${key.digest('hex')}.js`);
            let js;
            try {
                js = readFileSync(file, 'utf8');
            } catch {
                js = strip(source);
                save(dir, file, js);
            }
            return { format: 'module', source: js, shortCircuit: true };
        }
    });
}
