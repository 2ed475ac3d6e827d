// Shared helpers of the sync worker's integration tests: an org emulator, a synthetic registry,
// and the worker run in-process (CLI `main`, or `runSync` when a test needs to inject things).
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOrgEmulator, type EmulatedUser, type OrgEmulator } from '../org-emulator/index.ts';
import {
    generateRegistry,
    type GenerateSummary
} from '../../sync-worker/src/generator/generator.ts';
import { main } from '../../sync-worker/src/cli/main.ts';
import { ApiBudget } from '../../sync-worker/src/salesforce/budget.ts';
import { parseConfig, type SyncConfig } from '../../sync-worker/src/config/schema.ts';
import { runSync, type RunOptions } from '../../sync-worker/src/pipeline/run.ts';
import { runWithLease } from '../../sync-worker/src/ops/run-with-lease.ts';
import { silentLogger } from '../../sync-worker/src/util/log.ts';
import { SfClient } from '../../sync-worker/src/salesforce/http.ts';
import { NdjsonSource } from '../../sync-worker/src/sources/ndjson.ts';
import type { Report } from '../../sync-worker/src/pipeline/report.ts';

export const FAST: Partial<SyncConfig> = {
    retryBaseMs: 5,
    retryCapMs: 50,
    pollInitialMs: 20,
    pollMaxMs: 100,
    retries: 8
};

export interface Fixture {
    em: OrgEmulator;
    dir: string;
    summary: GenerateSummary;
    cleanup(): Promise<void>;
}

/**
 * An org emulator (whose `accessToken` is the integration user's: FSE_Sync_Integration on a
 * Minimum Access profile, as in production) and a synthetic registry of `count` professionals.
 * Tests that need another user create one (`orgUser`).
 */
export async function fixture(count: number, seed = 1, apiLimit?: number): Promise<Fixture> {
    const em = await startOrgEmulator({ seed, bulkStepMs: 10, apiLimit, user: 'integration' });
    const root = await mkdtemp(join(tmpdir(), 'fse-sync-it-'));
    const dir = join(root, 'registry');
    const summary = await generateRegistry({ count, out: dir, seed });
    return {
        em,
        dir,
        summary,
        cleanup: async () => {
            await em.stop();
            await rm(root, { recursive: true, force: true });
        }
    };
}

const sink = () =>
    new Writable({
        write(_c, _e, cb) {
            cb();
        }
    });

/** `fse-sync run --json` in-process against `em` with `source`; the exit code, the report. */
export async function runCli(
    em: Pick<OrgEmulator, 'instanceUrl' | 'accessToken'>,
    source: string,
    extra: string[] = [],
    env: Record<string, string> = {}
): Promise<{ code: number; report: Report | undefined; stderr: string }> {
    let out = '';
    let err = '';
    const stdout = new Writable({
        write(c, _e, cb) {
            out += c.toString();
            cb();
        }
    });
    const stderr = new Writable({
        write(c, _e, cb) {
            err += c.toString();
            cb();
        }
    });
    const code = await main(
        [
            'run',
            '--source',
            source,
            '--instance-url',
            em.instanceUrl,
            '--access-token',
            em.accessToken,
            '--json',
            ...extra
        ],
        { stdout, stderr, env }
    );
    return { code, report: out.trim() ? (JSON.parse(out) as Report) : undefined, stderr: err };
}

/** `fse-sync run` as a child process over the fixture's registry (to kill it mid-run). */
export function spawnWorker(f: Fixture, config: string): ChildProcess {
    return spawn(
        process.execPath,
        [
            join(__dirname, '../../sync-worker/bin/fse-sync.js'),
            'run',
            '--source',
            `ndjson:${f.dir}`,
            '--instance-url',
            f.em.instanceUrl,
            '--access-token',
            f.em.accessToken,
            '--config',
            config
        ],
        { stdio: 'ignore' }
    );
}

/** Run the CLI in-process with --json over the fixture's registry; the exit code, the report. */
export function cli(
    f: Fixture,
    extra: string[] = [],
    env: Record<string, string> = {}
): Promise<{ code: number; report: Report | undefined; stderr: string }> {
    return runCli(f.em, `ndjson:${f.dir}`, extra, env);
}

/** A client for the fixture's org, configured like a run. */
export function clientOf(
    f: Fixture,
    config: SyncConfig,
    refresh?: () => Promise<string>,
    accessToken = f.em.accessToken
): SfClient {
    return new SfClient({
        instanceUrl: f.em.instanceUrl,
        accessToken,
        apiVersion: config.apiVersion,
        budget: new ApiBudget(config.apiBudgetShare),
        retry: { retries: config.retries, baseMs: config.retryBaseMs, capMs: config.retryCapMs },
        timeoutMs: 10_000,
        refresh
    });
}

/** A run under the single-flight lease (as `fse-sync run` makes it), with a client the test
 *  controls: its clock (`now`), its configuration, its stop signal. */
export async function leasedRun(
    f: Fixture,
    o: Partial<Omit<RunOptions, 'config'>> & { config?: Partial<SyncConfig> } = {}
): Promise<Report> {
    const config = parseConfig({ ...FAST, ...o.config });
    const { config: _ignored, ...rest } = o;
    void _ignored;
    return runWithLease({
        source: new NdjsonSource(f.dir),
        client: clientOf(f, config),
        mode: 'full',
        reconcile: false,
        dryRun: false,
        entities: ['organizations', 'professionals'],
        logger: silentLogger,
        ...rest,
        config
    });
}

/** runSync with a client the test controls (faults, token refresh, config). */
export async function engine(
    f: Fixture,
    o: Partial<Omit<RunOptions, 'config'>> & {
        config?: Partial<SyncConfig>;
        refresh?: () => Promise<string>;
    } = {}
): Promise<Report> {
    const config = parseConfig({ ...FAST, ...o.config });
    const client = new SfClient({
        instanceUrl: f.em.instanceUrl,
        accessToken: f.em.accessToken,
        apiVersion: config.apiVersion,
        budget: new ApiBudget(config.apiBudgetShare),
        retry: { retries: config.retries, baseMs: config.retryBaseMs, capMs: config.retryCapMs },
        timeoutMs: 10_000,
        refresh: o.refresh
    });
    const { config: _ignored, refresh: _r, ...rest } = o;
    void _ignored;
    void _r;
    return runSync({
        source: new NdjsonSource(f.dir),
        client,
        mode: 'full',
        reconcile: false,
        dryRun: false,
        entities: ['organizations', 'professionals'],
        logger: silentLogger,
        ...rest,
        config
    });
}

/** Calls made between two emulator snapshots, by kind. */
export function callDelta(
    before: Record<string, number>,
    after: Record<string, number>
): Record<string, number> {
    const d: Record<string, number> = {};
    for (const [k, v] of Object.entries(after))
        if (v - (before[k] ?? 0) > 0) d[k] = v - (before[k] ?? 0);
    return d;
}

export const WRITE_KINDS = ['collections', 'bulk2-ingest', 'sobjects'];

/** The other users of the org the tests need, with the permission sets docs/deploy.md assigns:
 *  a privacy officer (FSE_Privacy_Officer), a support agent (FSE_Support_Agent), a portal user
 *  (FSE_Portal_User) and the System Administrator. Created once per emulator. */
export type OrgRole = 'officer' | 'agent' | 'portal' | 'admin';

const roleUsers = new WeakMap<OrgEmulator, Map<OrgRole, EmulatedUser>>();

export function orgUser(em: OrgEmulator, role: OrgRole): EmulatedUser {
    let users = roleUsers.get(em);
    if (!users) {
        users = new Map();
        roleUsers.set(em, users);
    }
    let user = users.get(role);
    if (!user) {
        user =
            role === 'admin'
                ? em.adminUser
                : em.createUser({
                      username: `${role}@fse-engage.example.org`,
                      lastName: role === 'officer' ? 'Privacy Officer' : `Test ${role}`,
                      userType: role === 'portal' ? 'CspLitePortal' : 'Standard',
                      permissionSets: [
                          role === 'officer'
                              ? 'FSE_Privacy_Officer'
                              : role === 'agent'
                                ? 'FSE_Support_Agent'
                                : 'FSE_Portal_User'
                      ]
                  });
        users.set(role, user);
    }
    return user;
}

export function contacts(f: Fixture) {
    return f.em.records('Contact');
}

export { sink };

/** A `fse-sync schedule` running in this process, stopped by `stop()` (its exit code). */
export interface RunningScheduler {
    stop(): Promise<number>;
    /** the JSON log lines written so far */
    logs(): Array<Record<string, unknown>>;
}

export function startScheduler(options: {
    source: string;
    em: OrgEmulator;
    cfgFile: string;
    env?: Record<string, string>;
    extra?: string[];
}): RunningScheduler {
    let err = '';
    const stderr = new Writable({
        write(c, _e, cb) {
            err += c.toString();
            cb();
        }
    });
    const stdout = new Writable({
        write(_c, _e, cb) {
            cb();
        }
    });
    const abort = new AbortController();
    const done = main(
        [
            'schedule',
            '--source',
            options.source,
            '--instance-url',
            options.em.instanceUrl,
            '--access-token',
            options.em.accessToken,
            '--config',
            options.cfgFile,
            ...(options.extra ?? [])
        ],
        { stdout, stderr, env: options.env ?? {}, signal: abort.signal }
    );
    return {
        stop: async () => {
            abort.abort();
            return done;
        },
        logs: () =>
            err
                .split('\n')
                .filter((l) => l.startsWith('{'))
                .map((l) => JSON.parse(l))
    };
}

/** Polls `cond` every 25 ms; fails after `ms`. */
export async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 25));
    }
}
