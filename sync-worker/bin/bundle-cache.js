// The worker's own modules as one cached bundle. Node resolves, loads and links each of the
// worker's ~100 ES modules at every start (a path search, a package.json lookup and a module
// record each): about 50 ms of CPU of every run (issue 22). This keeps them bundled into one file
// (rollup, types stripped by Node's own stripper, every module kept whole: no tree shaking, the
// same evaluation order, `import.meta.url` of each module its own source file's URL) in
// node_modules/.cache/fse-sync-bundle/, next to a list of the files it was built from and the
// sha256 of each. A start reads and hashes those files; the bundle is used only when every one
// is unchanged (and Node is the same version), so an edited module is never served stale: an
// edit that adds a module changes the file that imports it. Otherwise the bundle is built again,
// in a child process so that Rollup's memory (~200 MB) never counts in the run's peak (about
// 1 s of CPU, once per change); when it cannot be (rollup absent, as in an install without
// devDependencies, a read-only folder, another process building) the start goes on from the
// sources as before (ts-cache.js). The packages in node_modules stay outside the bundle and
// load as they always do (so the cache stays inside the project, where they resolve).
// FSE_SYNC_BUNDLE=0 turns it off.
import module from 'node:module';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
    mkdirSync,
    readdirSync,
    readFileSync,
    renameSync,
    rmSync,
    statSync,
    writeFileSync
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { strip } from './ts-cache.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'sync-worker/src/cli/main.ts');
const CURRENT = 'current.json';
/** a lock older than this was left by a process that died while building */
const LOCK_STALE_MS = 120_000;
/** bundles of older sources are removed after this long (a process may still load their chunks) */
const KEEP_MS = 7 * 24 * 3600_000;
/** sources that failed to bundle are not tried again for this long (the start uses them as is) */
const FAILED_MS = 10 * 60_000;

function hashOf(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
}

/** What `dir`/current.json says of the sources when every one it lists is unchanged: the
 *  bundle's entry file, or that they failed to bundle; undefined when a source changed. */
function freshBundle(dir, root) {
    let current;
    try {
        current = JSON.parse(readFileSync(join(dir, CURRENT), 'utf8'));
    } catch {
        return undefined;
    }
    if (current?.node !== process.version || typeof current.files !== 'object') return undefined;
    for (const [file, hash] of Object.entries(current.files)) {
        let bytes;
        try {
            bytes = readFileSync(join(root, file));
        } catch {
            return undefined;
        }
        if (hashOf(bytes) !== hash) return undefined;
    }
    if (current.failedAt !== undefined)
        return Date.now() - current.failedAt < FAILED_MS ? { failed: true } : undefined;
    return { main: join(dir, current.key, current.main) };
}

/** `current` written as `dir`/current.json, atomically. */
function writeCurrent(dir, current) {
    const temp = join(dir, `${CURRENT}.${process.pid}.tmp`);
    writeFileSync(temp, JSON.stringify(current));
    renameSync(temp, join(dir, CURRENT));
}

/** Bundles `entry` into a new folder of `dir`; the path of its entry chunk. */
async function build(rollup, dir, root, entry) {
    const inRoot = (id) => id.startsWith(root + sep);
    const sources = new Map(); // file -> the bytes bundled
    const files = () => {
        const list = {};
        for (const [id, bytes] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1)))
            list[relative(root, id)] = hashOf(bytes);
        return list;
    };
    let bundle;
    try {
        bundle = await rollup({
            input: entry,
            // packages and node: modules load as they always do, from the worker's node_modules
            external: (id, importer) =>
                !(id.startsWith('.') || id.startsWith('/')) ||
                (importer !== undefined && !inRoot(resolve(dirname(importer), id))),
            treeshake: false,
            logLevel: 'silent',
            plugins: [
                {
                    name: 'fse-sync-sources',
                    load(id) {
                        if (!inRoot(id)) return null;
                        const bytes = readFileSync(id);
                        sources.set(id, bytes);
                        const text = bytes.toString('utf8');
                        return id.endsWith('.ts') ? strip(text) : text;
                    },
                    // each module keeps its own URL (createRequire, files next to a module)
                    resolveImportMeta(property, { moduleId }) {
                        if (property === 'url') return JSON.stringify(pathToFileURL(moduleId).href);
                        if (property === 'dirname') return JSON.stringify(dirname(moduleId));
                        if (property === 'filename') return JSON.stringify(moduleId);
                        return null;
                    }
                }
            ]
        });
    } catch (err) {
        // not bundled (a module rollup cannot read): not tried again until a source changes
        writeCurrent(dir, { node: process.version, failedAt: Date.now(), files: files() });
        throw err;
    }
    const sourceFiles = files();
    const key = hashOf(JSON.stringify({ node: process.version, files: sourceFiles }));
    const target = join(dir, key);
    let main = 'main.js';
    try {
        statSync(join(target, main));
    } catch {
        const temp = `${target}.${process.pid}.tmp`;
        const { output } = await bundle.write({
            dir: temp,
            format: 'es',
            entryFileNames: main,
            chunkFileNames: '[name]-[hash].js'
        });
        main = output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry).fileName;
        try {
            renameSync(temp, target);
        } catch {
            rmSync(temp, { recursive: true, force: true }); // another process built the same
        }
    }
    await bundle.close();
    writeCurrent(dir, { node: process.version, key, main, files: sourceFiles });
    prune(dir, key);
    return join(target, main);
}

/** Removes the bundles of other sources not used for KEEP_MS. */
function prune(dir, keep) {
    try {
        for (const name of readdirSync(dir)) {
            if (name === keep || !/^[0-9a-f]{64}$/.test(name)) continue;
            const path = join(dir, name);
            if (Date.now() - statSync(path).mtimeMs > KEEP_MS)
                rmSync(path, { recursive: true, force: true });
        }
    } catch {
        // nothing to prune
    }
}

const LOCK = 'build.lock';

/** Whether a build can start: Rollup is installed, `dir` can be made, nobody is building. */
function canBuild(dir) {
    try {
        import.meta.resolve('rollup');
        mkdirSync(dir, { recursive: true });
    } catch {
        return false; // no rollup (an install without devDependencies), a read-only folder
    }
    try {
        return Date.now() - statSync(join(dir, LOCK)).mtimeMs >= LOCK_STALE_MS;
    } catch {
        return true;
    }
}

/** Builds under a lock folder, so concurrent starts do not all build; undefined when another
 *  process is building (this start uses the sources). */
async function buildLocked(dir, root, entry) {
    const { rollup } = await import('rollup');
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, LOCK);
    try {
        mkdirSync(lock);
    } catch {
        try {
            if (Date.now() - statSync(lock).mtimeMs < LOCK_STALE_MS) return undefined;
            rmSync(lock, { recursive: true, force: true });
            mkdirSync(lock);
        } catch {
            return undefined;
        }
    }
    try {
        return await build(rollup, dir, root, entry);
    } finally {
        rmSync(lock, { recursive: true, force: true });
    }
}

/**
 * The namespace of the worker's entry module (src/cli/main.ts) from the cached bundle, built
 * first when the sources changed; undefined when there is none to use (then the caller imports
 * the sources). Never throws for a cache problem.
 */
export async function importBundled(
    env = process.env,
    { root = ROOT, entry = ENTRY, dir: dirOption } = {}
) {
    const setting = env.FSE_SYNC_BUNDLE;
    if (setting === '0') return undefined;
    if (typeof module.stripTypeScriptTypes !== 'function') return undefined;
    const dir = dirOption ?? join(root, 'node_modules/.cache/fse-sync-bundle');
    const fresh = freshBundle(dir, root);
    if (fresh?.failed) return undefined;
    let main = fresh?.main;
    if (!fresh && canBuild(dir)) {
        // a build error, a crash or a timeout leaves no fresh bundle: the sources as before
        spawnSync(process.execPath, [fileURLToPath(import.meta.url), root, entry, dir], {
            stdio: 'ignore',
            timeout: 120_000
        });
        main = freshBundle(dir, root)?.main;
    }
    if (!main) return undefined;
    try {
        return await import(pathToFileURL(main).href);
    } catch (err) {
        // a bundle file missing or unreadable is found before any module runs: the sources then;
        // an error a module throws when it runs is the worker's own and goes on up
        if (err instanceof SyntaxError || err?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
        throw err;
    }
}

// `node bundle-cache.js <root> <entry> <dir>`: the build, in the child process importBundled starts
if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const [root, entry, dir] = process.argv.slice(2);
    await buildLocked(dir, root, entry);
}
