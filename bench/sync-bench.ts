// npm run bench:sync -- [--sizes 100000,1000000] [--runs 3] [--out docs/benchmarks.json]
//   [--md docs/benchmarks.md] [--work .tmp/bench] [--cases sync-full,...] [--label TEXT]
//   [--render: rewrite the Markdown from the JSON only]
//
// Our sync worker against the official sf CLI, side by side in one run, on this machine, against
// one org emulator process (a separate process, so every measured process has its own RSS).
// For each size: generate the registry with the project's generator, apply a 1% change (the
// generator's change helper), build the equivalent CSVs for the CLI, then, `runs` times:
//   sync-full         our full sync into an empty org (emulator reset)
//   sync-incremental  our --incremental run after the 1% change
//   sync-nochange     our --full run again, nothing changed
//   cli-full          reset; `sf data upsert bulk` of Account.csv then Contact.csv
//   cli-reload        the same after the 1% change: the CLI cannot diff, it reloads everything
//   sfdmu-full        reset; SFDMU (`sfdmu:run`, CSV source) upserts Account then Contact
//   sfdmu-incremental the same with the 1% changed CSVs: SFDMU compares and writes what changed
// Each case: wall and CPU time and peak RSS of the child (GNU time), API calls and body bytes
// (emulator stats delta), records written, and a count check in the org afterwards.
// Results: JSON (merged by size with what the file already holds) and a Markdown report.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import {
    createReadStream,
    cpSync,
    existsSync,
    mkdirSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyChanges } from '../sync-worker/src/generator/generator.ts';
import { exportSnapshot, splitCsv } from './baseline-csv.ts';
import { dateTimeStyle, prepareSfdmuDir, sfdmuRecordsWritten, writeExportJson } from './sfdmu.ts';
import { hasGnuTime, measure, median, type Measured } from './measure.ts';
import { renderMarkdown, type BenchFile, type CaseRun, type SizeResult } from './report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const NODE = process.execPath;
const SF = join(ROOT, 'node_modules/@salesforce/cli/bin/run.js');
const SFDMU = join(ROOT, 'bench/sfdmu-run.cjs');
const GENERATOR = join(ROOT, 'sync-worker/src/generator/cli.ts');
/** meta.lastUpdated of the 1% change: after every generated date (2025-01-01 + 300 days). */
/** the largest CSV given to one `sf data upsert bulk`: 40 MB. Bulk API 2.0 refuses more than 150
 *  MB after base64 (~112 MB raw), and with a 100 MB part (~670k rows) the sf CLI ran out of heap
 *  (exit 134) reading the job results back: a user has to split smaller. */
const CLI_MAX_FILE = 40 * 1024 * 1024;
const CHANGE_AT = '2025-11-01T00:00:00.000Z';
export const CASES = [
    'sync-full',
    'sync-incremental',
    'sync-nochange',
    'cli-full',
    'cli-reload',
    'sfdmu-full',
    'sfdmu-incremental'
] as const;
type CaseId = (typeof CASES)[number];

const { values: opt } = parseArgs({
    options: {
        sizes: { type: 'string', default: '100000' },
        runs: { type: 'string', default: '3' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: 'docs/benchmarks.json' },
        md: { type: 'string', default: 'docs/benchmarks.md' },
        work: { type: 'string', default: '.tmp/bench' },
        cases: { type: 'string', default: CASES.join(',') },
        label: { type: 'string', default: '' },
        regenerate: { type: 'boolean', default: false },
        /** only rewrite the Markdown report from the JSON (no measurement) */
        render: { type: 'boolean', default: false },
        'emulator-heap-mb': { type: 'string', default: '8192' },
        'worker-node-options': { type: 'string', default: '' },
        /** another checkout of the worker (e.g. `git archive HEAD sync-worker config | tar -x -C
         *  .tmp/worker-head`): its sync-worker/bin/fse-sync.js runs with that folder as cwd */
        'worker-dir': { type: 'string', default: '' },
        /** the same for the org emulator and the metadata it loads (test/org-emulator, force-app) */
        'emulator-dir': { type: 'string', default: '' }
    }
});
const WORKER_DIR = opt['worker-dir'] ? resolve(opt['worker-dir']) : ROOT;
const WORKER = join(WORKER_DIR, 'sync-worker/bin/fse-sync.js');
const EMULATOR_DIR = opt['emulator-dir'] ? resolve(opt['emulator-dir']) : ROOT;
const EMULATOR = join(EMULATOR_DIR, 'test/org-emulator/bin/fse-org-emulator.js');
const sizes = opt.sizes.split(',').map((s) => Number(s.replace(/_/g, '')));
const runs = Number(opt.runs);
const seed = Number(opt.seed);
const cases = opt.cases.split(',').map((s) => s.trim()) as CaseId[];
for (const c of cases) if (!CASES.includes(c)) throw new Error(`unknown case ${c}`);
if (sizes.some((n) => !Number.isInteger(n) || n < 100) || !(runs >= 1))
    throw new Error('usage: --sizes 100000,1000000 --runs 3');
if (!hasGnuTime()) throw new Error('/usr/bin/time (GNU time) is needed: apt-get install time');

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString()}] ${msg}\n`);

// ---- the org emulator, in its own process ------------------------------------------------------

let stopping = false;

interface Emulator {
    child: ChildProcess;
    url: string;
    token: string;
}

async function startEmulator(logFile: string): Promise<Emulator> {
    const child = spawn(
        NODE,
        [
            `--max-old-space-size=${opt['emulator-heap-mb']}`,
            EMULATOR,
            '--api-limit',
            '100000000',
            '--metadata',
            join(EMULATOR_DIR, 'force-app')
        ],
        { cwd: EMULATOR_DIR, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    child.stderr!.on('data', (c: Buffer) => writeFileSync(logFile, c, { flag: 'a' }));
    const rl = createInterface({ input: child.stdout! });
    const first: string = await new Promise((res, rej) => {
        rl.once('line', res);
        child.once('exit', (c) => rej(new Error(`emulator exited with ${c}, see ${logFile}`)));
    });
    rl.close();
    // a benchmark against a dead emulator would only measure retries: stop at once
    child.once('exit', (c, sig) => {
        if (stopping) return;
        process.stderr.write(`sync-bench: the emulator exited (${c ?? sig}), see ${logFile}\n`);
        process.exit(1);
    });
    const info = JSON.parse(first) as { instanceUrl: string; accessToken: string };
    return { child, url: info.instanceUrl, token: info.accessToken };
}

interface Stats {
    apiUsage: { used: number };
    calls: Record<string, number>;
    bytes?: { received: number; sent: number };
    records: Record<string, number>;
}

async function stats(emu: Emulator): Promise<Stats> {
    return (await (await fetch(`${emu.url}/__emulator/stats`)).json()) as Stats;
}

async function reset(emu: Emulator): Promise<void> {
    await fetch(`${emu.url}/__emulator/reset`, { method: 'POST' });
}

async function countActive(emu: Emulator): Promise<number> {
    const q = encodeURIComponent(
        "SELECT COUNT() FROM Contact WHERE RegistryStatus__c = 'Active' AND FiscalCode__c != null"
    );
    const res = await fetch(`${emu.url}/services/data/v62.0/query?q=${q}`, {
        headers: { Authorization: `Bearer ${emu.token}` }
    });
    return ((await res.json()) as { totalSize: number }).totalSize;
}

function delta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
    const d: Record<string, number> = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const v = (b[k] ?? 0) - (a[k] ?? 0);
        if (v) d[k] = v;
    }
    return d;
}

// ---- the two clients ---------------------------------------------------------------------------

function sfEnv(home: string, emu: Emulator): NodeJS.ProcessEnv {
    return {
        PATH: process.env.PATH,
        HOME: home,
        SF_DATA_DIR: join(home, 'data'),
        SF_STATE_FOLDER: join(home, '.sf'),
        SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
        SF_DISABLE_TELEMETRY: 'true',
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_AUTOUPDATE: 'true', // the name oclif's update hook reads (see metadata-check.ts)
        SF_SKIP_NEW_VERSION_CHECK: 'true',
        SF_ACCESS_TOKEN: emu.token
    };
}

function workerEnv(emu: Emulator): NodeJS.ProcessEnv {
    return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        SF_INSTANCE_URL: emu.url,
        SF_ACCESS_TOKEN: emu.token,
        FSE_SYNC_LOG_LEVEL: 'info',
        ...(opt['worker-node-options'] ? { NODE_OPTIONS: opt['worker-node-options'] } : {})
    };
}

interface Step {
    argv: string[];
    env: NodeJS.ProcessEnv;
    cwd: string;
    /** records written, from the client's own output */
    written(m: Measured): number;
}

function workerStep(emu: Emulator, dir: string, mode: '--full' | '--incremental'): Step {
    return {
        argv: [
            WORKER,
            'run',
            '--source',
            `ndjson:${dir}`,
            '--entities',
            'organizations,professionals',
            mode,
            '--json'
        ],
        env: workerEnv(emu),
        cwd: WORKER_DIR,
        written(m) {
            const report = JSON.parse(m.stdout) as {
                entities: Record<string, { created: number; updated: number; deactivated: number }>;
            };
            return Object.values(report.entities).reduce(
                (n, e) => n + e.created + e.updated + (e.deactivated ?? 0),
                0
            );
        }
    };
}

function cliStep(emu: Emulator, home: string, sobject: string, file: string, ext: string): Step {
    return {
        argv: [
            SF,
            'data',
            'upsert',
            'bulk',
            '--sobject',
            sobject,
            '--file',
            file,
            '--external-id',
            ext,
            '--wait',
            '30',
            '--target-org',
            'bench',
            // same requests as the interactive mode (it also reads the successful results), but
            // without the spinner, which costs the interactive CLI about 1 s of CPU per 5 s
            '--json'
        ],
        env: sfEnv(home, emu),
        cwd: home,
        written(m) {
            const r = JSON.parse(m.stdout) as {
                result?: {
                    jobInfo?: { numberRecordsProcessed?: number; numberRecordsFailed?: number };
                };
            };
            const j = r.result?.jobInfo;
            return (j?.numberRecordsProcessed ?? NaN) - (j?.numberRecordsFailed ?? 0);
        }
    };
}

/** SFDMU on the folder holding export.json, Account.csv and Contact.csv (CSV source). */
function sfdmuStep(home: string, dir: string): Step {
    return {
        argv: [
            SFDMU,
            '--sourceusername',
            'csvfile',
            '--targetusername',
            'target',
            '--path',
            dir,
            // no questions: a warning (e.g. the CSV repairs it reports) must not wait for input
            '--noprompt'
        ],
        // its sfdx config and state in the temporary HOME; the org and token come from export.json
        env: {
            PATH: process.env.PATH,
            HOME: home,
            SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
            SFDX_DISABLE_TELEMETRY: 'true',
            SFDX_AUTOUPDATE_DISABLE: 'true'
        },
        cwd: home,
        written: (m) => sfdmuRecordsWritten(m.stdout)
    };
}

/** Printable command line: paths relative to the repo, no token (it is in the environment). */
function printable(step: Step): string {
    const rel = (s: string) => (s.startsWith(ROOT + '/') ? s.slice(ROOT.length + 1) : s);
    const arg = (a: string) => (a.startsWith('ndjson:') ? `ndjson:${rel(a.slice(7))}` : rel(a));
    return ['node', ...step.argv.map(arg)].join(' ');
}

/** Contacts with RegistryStatus__c = Active in an exported CSV. */
async function countActiveRows(file: string): Promise<number> {
    const parser = createReadStream(file).pipe(parse({ columns: true }));
    let n = 0;
    for await (const row of parser as AsyncIterable<Record<string, string>>)
        if (row.RegistryStatus__c === 'Active') n++;
    return n;
}

// ---- one size ----------------------------------------------------------------------------------

interface Expected {
    total: number;
    active: number;
    accounts: number;
}

async function benchSize(n: number, emu: Emulator, home: string): Promise<SizeResult> {
    const work = resolve(opt.work, String(n));
    const base = join(work, 'base');
    const changed = join(work, 'changed');
    const logs = join(work, 'logs');
    mkdirSync(logs, { recursive: true });
    const change = {
        update: Math.round(n * 0.008),
        cease: Math.round(n * 0.001),
        add: Math.round(n * 0.001),
        at: CHANGE_AT,
        seed: 99
    };

    // 1. registry and its 1% change (cached by count and seed)
    const marker = join(work, 'prepared.json');
    interface Prepared {
        n: number;
        seed: number;
        change: typeof change;
        generated: Record<string, unknown> & { expectedValid: number; expectedActive: number };
        applied: { updated: number; ceased: number; added: number; addedDistinct?: number };
        csv?: SizeResult['csv'];
        /** Active Contacts after the preparation runs (see below) */
        activeBase?: number;
        activeChanged?: number;
    }
    let prep: Prepared | undefined =
        !opt.regenerate && existsSync(marker)
            ? (JSON.parse(readFileSync(marker, 'utf8')) as Prepared)
            : undefined;
    if (prep && prep.n === n && prep.seed === seed) {
        log(`${n}: registry reused from ${work}`);
    } else {
        rmSync(work, { recursive: true, force: true });
        mkdirSync(logs, { recursive: true });
        log(`${n}: generating the registry`);
        const t0 = Date.now();
        execFileSync(
            NODE,
            // no Consent.ndjson: the benchmark syncs organisations and professionals only
            [
                GENERATOR,
                '--count',
                String(n),
                '--out',
                base,
                '--seed',
                String(seed),
                '--no-consents'
            ],
            { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }
        );
        const generated = {
            ...(JSON.parse(
                readFileSync(join(base, 'generator-summary.json'), 'utf8')
            ) as Prepared['generated']),
            ms: Date.now() - t0
        };
        cpSync(base, changed, { recursive: true });
        log(`${n}: applying the 1% change`);
        const applied = await applyChanges(changed, change);
        prep = {
            n,
            seed,
            change,
            generated,
            applied: {
                updated: applied.updated.length,
                ceased: applied.ceased.length,
                added: applied.added.length
            }
        };
        writeFileSync(marker, JSON.stringify(prep) + '\n');
    }
    // the change helper draws new fiscal codes at random: a few can collide (the worker then
    // keeps one of them), so count the distinct ones
    if (prep.applied.addedDistinct === undefined) {
        const codes = new Set<string>();
        const rl = createInterface({
            input: createReadStream(join(changed, 'Practitioner.ndjson'))
        });
        for await (const line of rl) {
            if (!line.includes('"id":"new-')) continue;
            const p = JSON.parse(line) as { identifier: { value: string }[] };
            codes.add(p.identifier[0].value);
        }
        prep.applied.addedDistinct = codes.size;
        writeFileSync(marker, JSON.stringify(prep) + '\n');
    }
    const added = prep.applied.addedDistinct;

    // 2. the CLI's CSVs: exported from the org after an unmeasured run of ours on each snapshot
    const csvBase = join(work, 'csv-base');
    const csvChanged = join(work, 'csv-changed');
    if (!prep.csv) {
        log(`${n}: preparing the CSVs for the sf CLI (unmeasured runs of ours, then export)`);
        mkdirSync(csvBase, { recursive: true });
        mkdirSync(csvChanged, { recursive: true });
        await reset(emu);
        const conn = { url: emu.url, token: emu.token };
        const prepRun = async (step: Step, name: string) => {
            const m = await measure(NODE, step.argv, {
                env: step.env,
                cwd: step.cwd,
                stderrLog: join(logs, `${name}.log`),
                timeFile: join(logs, `${name}.time`)
            });
            if (m.code !== 0) throw new Error(`${name}: the worker exited with ${m.code}`);
        };
        await prepRun(workerStep(emu, base, '--full'), 'prepare-base');
        const b = await exportSnapshot(conn, csvBase);
        await prepRun(workerStep(emu, changed, '--incremental'), 'prepare-changed');
        const c = await exportSnapshot(conn, csvChanged);
        const g = prep.generated;
        if (b.contacts !== g.expectedValid || c.contacts !== g.expectedValid + added)
            throw new Error(
                `${n}: exported ${b.contacts}/${c.contacts} Contacts, expected ${g.expectedValid} + ${added} new`
            );
        prep.activeBase = await countActiveRows(b.contactsCsv);
        prep.activeChanged = await countActiveRows(c.contactsCsv);
        prep.csv = {
            contactsBase: b.contacts,
            contactsChanged: c.contacts,
            bytesBase: statSync(b.accountsCsv).size + statSync(b.contactsCsv).size,
            bytesChanged: statSync(c.accountsCsv).size + statSync(c.contactsCsv).size
        };
        writeFileSync(marker, JSON.stringify(prep) + '\n');
    }
    if (prep.activeBase === undefined || prep.activeChanged === undefined) {
        prep.activeBase = await countActiveRows(join(csvBase, 'Contact.csv'));
        prep.activeChanged = await countActiveRows(join(csvChanged, 'Contact.csv'));
        writeFileSync(marker, JSON.stringify(prep) + '\n');
    }
    // What the org must hold. Totals come from the generator (independent of the worker). Active
    // counts come from the preparation runs: the generator's expectedActive assumes a duplicate
    // fiscal code always loses to the earlier professional, but the worker also weighs the
    // PractitionerRole's update date, so a "losing" active duplicate can win (1 case at 100k).
    // Every measured case must reproduce the preparation's Active count exactly.
    const g = prep.generated;
    const before: Expected = {
        total: g.expectedValid,
        active: prep.activeBase!,
        accounts: Number(g.organizations)
    };
    const after: Expected = {
        total: g.expectedValid + added,
        active: prep.activeChanged!,
        accounts: Number(g.organizations)
    };
    const csvInfo = prep.csv;
    const generated = prep.generated;

    // one file per `sf data upsert bulk`: Bulk API 2.0 takes at most 150 MB per job after base64
    // (~112 MB raw), which the CLI does not split; above that, split it as a user would have to
    const contactFiles = async (dir: string) => {
        const file = join(dir, 'Contact.csv');
        if (statSync(file).size <= CLI_MAX_FILE) return [file];
        const parts = join(dir, 'parts.json');
        if (existsSync(parts)) return JSON.parse(readFileSync(parts, 'utf8')) as string[];
        const list = await splitCsv(file, CLI_MAX_FILE);
        writeFileSync(parts, JSON.stringify(list));
        return list;
    };
    const baseParts = await contactFiles(csvBase);
    const changedParts = await contactFiles(csvChanged);

    // SFDMU's folders: the same CSVs with datetimes in the format SFDMU will read the target in
    // (REST up to 30,000 target rows, Bulk API 1.0 above); export.json holds this emulator's token
    const sfdmuBase = join(work, 'sfdmu-base');
    const sfdmuChanged = join(work, 'sfdmu-changed');
    if (cases.some((c) => c.startsWith('sfdmu-'))) {
        // the full run starts from an empty org (nothing to compare); the 1% run reads `before`
        await prepareSfdmuDir(csvBase, sfdmuBase, dateTimeStyle(0));
        await prepareSfdmuDir(csvChanged, sfdmuChanged, dateTimeStyle(before.total));
        for (const dir of [sfdmuBase, sfdmuChanged])
            writeExportJson(dir, { url: emu.url, token: emu.token });
    }

    const plan: Record<
        CaseId,
        { steps: Step[]; expect: Expected; resetFirst: boolean; setup?: () => Promise<void> }
    > = {
        'sync-full': { steps: [workerStep(emu, base, '--full')], expect: before, resetFirst: true },
        'sync-incremental': {
            steps: [workerStep(emu, changed, '--incremental')],
            expect: after,
            resetFirst: false
        },
        'sync-nochange': {
            steps: [workerStep(emu, changed, '--full')],
            expect: after,
            resetFirst: false
        },
        'cli-full': {
            steps: [
                cliStep(emu, home, 'Account', join(csvBase, 'Account.csv'), 'OrgCode__c'),
                ...baseParts.map((f) => cliStep(emu, home, 'Contact', f, 'FiscalCode__c'))
            ],
            expect: before,
            resetFirst: true
        },
        'cli-reload': {
            steps: [
                cliStep(emu, home, 'Account', join(csvChanged, 'Account.csv'), 'OrgCode__c'),
                ...changedParts.map((f) => cliStep(emu, home, 'Contact', f, 'FiscalCode__c'))
            ],
            expect: after,
            resetFirst: false
        },
        'sfdmu-full': {
            steps: [sfdmuStep(home, sfdmuBase)],
            expect: before,
            resetFirst: true
        },
        'sfdmu-incremental': {
            steps: [sfdmuStep(home, sfdmuChanged)],
            expect: after,
            resetFirst: false,
            // measured alone, it still needs the org SFDMU's full run leaves (unmeasured here)
            setup: cases.includes('sfdmu-full')
                ? undefined
                : async () => {
                      await reset(emu);
                      const step = sfdmuStep(home, sfdmuBase);
                      const m = await measure(NODE, step.argv, {
                          env: step.env,
                          cwd: home,
                          stderrLog: join(logs, 'prepare-sfdmu.log'),
                          timeFile: join(logs, 'prepare-sfdmu.time')
                      });
                      if (m.code !== 0) throw new Error(`SFDMU preparation exited with ${m.code}`);
                  }
        }
    };

    const all: CaseRun[] = [];
    for (let run = 1; run <= runs; run++) {
        for (const id of CASES) {
            if (!cases.includes(id)) continue;
            const p = plan[id];
            if (p.setup) await p.setup();
            if (p.resetFirst) await reset(emu);
            const s0 = await stats(emu);
            let wallMs = 0;
            let cpuMs = 0;
            let peak = 0;
            let written = 0;
            const exits: number[] = [];
            for (const [i, step] of p.steps.entries()) {
                const m = await measure(NODE, step.argv, {
                    env: step.env,
                    cwd: step.cwd,
                    stderrLog: join(logs, `${id}-${run}.log`),
                    timeFile: join(logs, `${id}-${run}-${i}.time`)
                });
                writeFileSync(join(logs, `${id}-${run}-${i}.out.json`), m.stdout);
                wallMs += m.wallMs;
                cpuMs += m.cpuMs;
                peak = Math.max(peak, m.peakRssMb);
                exits.push(m.code);
                try {
                    written += step.written(m);
                } catch {
                    written = NaN;
                }
            }
            const s1 = await stats(emu);
            const active = await countActive(emu);
            const r: CaseRun = {
                case: id,
                run,
                exitCodes: exits,
                wallMs: Math.round(wallMs),
                cpuMs: Math.round(cpuMs),
                peakRssMb: Math.round(peak * 10) / 10,
                apiCalls: s1.apiUsage.used - s0.apiUsage.used,
                callsByKind: delta(s0.calls, s1.calls),
                bytesUploaded: (s1.bytes?.received ?? 0) - (s0.bytes?.received ?? 0),
                bytesDownloaded: (s1.bytes?.sent ?? 0) - (s0.bytes?.sent ?? 0),
                recordsWritten: written,
                org: {
                    contacts: s1.records.Contact ?? 0,
                    active,
                    accounts: s1.records.Account ?? 0
                },
                expected: p.expect,
                countOk:
                    (s1.records.Contact ?? 0) === p.expect.total &&
                    active === p.expect.active &&
                    (s1.records.Account ?? 0) === p.expect.accounts
            };
            all.push(r);
            log(
                `${n} run ${run} ${id}: exit ${exits.join('+')} ${(r.wallMs / 1000).toFixed(1)} s wall, ` +
                    `${(r.cpuMs / 1000).toFixed(1)} s CPU, ${r.peakRssMb} MB, ${r.apiCalls} calls, ` +
                    `${(r.bytesUploaded / 1e6).toFixed(1)} MB up, ${r.recordsWritten} written, ` +
                    `count ${r.countOk ? 'ok' : `WRONG (org ${JSON.stringify(r.org)}, expected ${JSON.stringify(p.expect)})`}`
            );
        }
    }

    const medians: SizeResult['medians'] = {};
    for (const id of CASES) {
        const rs = all.filter((r) => r.case === id);
        if (!rs.length) continue;
        medians[id] = {
            wallMs: median(rs.map((r) => r.wallMs)),
            cpuMs: median(rs.map((r) => r.cpuMs)),
            peakRssMb: median(rs.map((r) => r.peakRssMb)),
            apiCalls: median(rs.map((r) => r.apiCalls)),
            bytesUploaded: median(rs.map((r) => r.bytesUploaded)),
            bytesDownloaded: median(rs.map((r) => r.bytesDownloaded)),
            recordsWritten: median(rs.map((r) => r.recordsWritten)),
            runs: rs.length,
            allCountsOk: rs.every((r) => r.countOk),
            allExitZero: rs.every((r) => r.exitCodes.every((c) => c === 0))
        };
    }
    return {
        size: n,
        label: opt.label || undefined,
        date: new Date().toISOString(),
        commit: gitCommit(),
        seed,
        generated,
        change,
        csv: csvInfo,
        commands: Object.fromEntries(
            CASES.filter((c) => cases.includes(c)).map((c) => [
                c,
                plan[c].steps.map((s) => printable(s))
            ])
        ),
        medians,
        runs: all
    };
}

/** The worker's version: a COMMIT file in --worker-dir (written when the snapshot was taken), or
 *  HEAD of this repository, marked when sync-worker/ has uncommitted changes. */
function gitCommit(): string {
    const file = join(WORKER_DIR, 'COMMIT');
    if (WORKER_DIR !== ROOT && existsSync(file)) return readFileSync(file, 'utf8').trim();
    try {
        const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
            .toString()
            .trim();
        const dirty = execFileSync('git', ['status', '--porcelain', 'sync-worker'], { cwd: ROOT })
            .toString()
            .trim();
        return dirty ? `${head}+uncommitted` : head;
    } catch {
        return 'unknown';
    }
}

function machine(): BenchFile['machine'] {
    const sh = (c: string, a: string[]) => {
        try {
            return execFileSync(c, a).toString().trim();
        } catch {
            return 'unknown';
        }
    };
    const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    return {
        nproc: sh('nproc', []),
        memory: sh('free', ['-h']).split('\n')[1]?.replace(/\s+/g, ' ') ?? 'unknown',
        cpu: cpu ?? 'unknown',
        node: process.version,
        os: sh('uname', ['-sr']),
        sfCli: (
            JSON.parse(
                readFileSync(join(ROOT, 'node_modules/@salesforce/cli/package.json'), 'utf8')
            ) as { version: string }
        ).version,
        sfdmu: (
            JSON.parse(readFileSync(join(ROOT, 'node_modules/sfdmu/package.json'), 'utf8')) as {
                version: string;
            }
        ).version
    };
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
    if (opt.render) {
        const file = JSON.parse(readFileSync(resolve(opt.out), 'utf8')) as BenchFile;
        const mdFile = resolve(opt.md);
        writeFileSync(
            mdFile,
            renderMarkdown(file, existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '')
        );
        log(`${opt.md} rewritten from ${opt.out}`);
        return;
    }
    const work = resolve(opt.work);
    mkdirSync(work, { recursive: true });
    const home = join(work, 'sf-home');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    const emu = await startEmulator(join(work, 'emulator.log'));
    try {
        log(`emulator at ${emu.url} (pid ${emu.child.pid})`);
        const login = await measure(
            NODE,
            [
                SF,
                'org',
                'login',
                'access-token',
                '--instance-url',
                `${emu.url}/`,
                '--alias',
                'bench',
                '--no-prompt',
                '--json'
            ],
            {
                env: sfEnv(home, emu),
                cwd: home,
                stderrLog: join(work, 'sf-login.log'),
                timeFile: join(work, 'sf-login.time')
            }
        );
        if (login.code !== 0) throw new Error(`sf org login access-token failed: ${login.stdout}`);
        const outFile = resolve(opt.out);
        for (const n of sizes) {
            const result = await benchSize(n, emu, home);
            // merge: one entry per size, the previous one kept in history
            const file: BenchFile = existsSync(outFile)
                ? (JSON.parse(readFileSync(outFile, 'utf8')) as BenchFile)
                : { machine: machine(), sizes: [], history: [] };
            file.machine = machine();
            const prev = file.sizes.find((s) => s.size === n);
            // cases not measured this time (e.g. the slow CLI ones at 1M) are carried over
            if (prev) {
                for (const c of CASES) {
                    if (cases.includes(c) || !prev.medians[c]) continue;
                    result.medians[c] = prev.medians[c];
                    result.commands[c] = prev.commands[c];
                    result.runs.push(...prev.runs.filter((r) => r.case === c));
                    result.carriedOver = {
                        ...result.carriedOver,
                        [c]: prev.carriedOver?.[c] ?? `${prev.commit} ${prev.date.slice(0, 16)}`
                    };
                }
            }
            if (prev) {
                const { runs: _runs, ...summary } = prev;
                void _runs;
                file.history = [...(file.history ?? []), summary];
            }
            file.sizes = [...file.sizes.filter((s) => s.size !== n), result].sort(
                (a, b) => a.size - b.size
            );
            mkdirSync(resolve(outFile, '..'), { recursive: true });
            writeFileSync(outFile, JSON.stringify(file, null, 2) + '\n');
            const mdFile = resolve(opt.md);
            const existing = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '';
            writeFileSync(mdFile, renderMarkdown(file, existing));
            log(`${n}: results written to ${opt.out} and ${opt.md}`);
        }
    } finally {
        stopping = true;
        emu.child.kill('SIGTERM');
    }
}

main().catch((e) => {
    process.stderr.write(`sync-bench: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
});
