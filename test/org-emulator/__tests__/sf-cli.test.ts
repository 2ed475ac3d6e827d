// Drives the official Salesforce CLI (node_modules/@salesforce/cli, on the Node 22 binary)
// against the emulator: login access-token, data query, data upsert bulk with one failing row,
// data bulk results. Slower than the other files (the CLI polls bulk jobs every 5 s).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startOrgEmulator, type OrgEmulator } from '../index.ts';

jest.setTimeout(120000);

const NODE = resolve('node_modules/.bin/node');
const SF = resolve('node_modules/@salesforce/cli/bin/run.js');
let emu: OrgEmulator;
let home: string;

beforeAll(async () => {
    emu = await startOrgEmulator({
        metadataDir: 'test/org-emulator/__tests__/fixtures/force-app',
        bulkStepMs: 5
    });
    home = mkdtempSync(join(tmpdir(), 'sf-emu-'));
});
afterAll(async () => {
    await emu.stop();
    rmSync(home, { recursive: true, force: true });
});

/**
 * The CLI's `--json` output: `result` (R) on success; `name`, `message` and `data` (D) on
 * failure; `raw` holds stdout when it is not JSON.
 */
interface SfJson<R, D> {
    status?: number;
    result: R;
    name?: string;
    message?: string;
    data: D;
    raw?: string;
}

/** Runs `sf ... --json`; `code` is the exit code (or the spawn error's code). */
function sf<R = unknown, D = unknown>(
    args: string[]
): Promise<{ code: number | string; json: SfJson<R, D> }> {
    return new Promise((done) => {
        execFile(
            NODE,
            [SF, ...args, '--json'],
            {
                cwd: home,
                env: {
                    PATH: process.env.PATH,
                    HOME: home,
                    SF_DATA_DIR: join(home, 'data'),
                    SF_STATE_FOLDER: join(home, '.sf'),
                    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
                    SF_DISABLE_TELEMETRY: 'true',
                    SF_AUTOUPDATE_DISABLE: 'true',
                    // the name oclif's update hook reads (see scripts/metadata-check.ts)
                    SF_DISABLE_AUTOUPDATE: 'true',
                    SF_SKIP_NEW_VERSION_CHECK: 'true',
                    SF_ACCESS_TOKEN: emu.accessToken
                },
                maxBuffer: 10 * 1024 * 1024
            },
            (err, stdout) => {
                let json: SfJson<R, D>;
                try {
                    json = JSON.parse(stdout) as SfJson<R, D>;
                } catch {
                    json = { raw: stdout } as SfJson<R, D>;
                }
                done({ code: err ? (err.code ?? 1) : 0, json });
            }
        );
    });
}

test('sf org login access-token, data query, data upsert bulk, data bulk results', async () => {
    const login = await sf<{ orgId: string }>([
        'org',
        'login',
        'access-token',
        '--instance-url',
        `${emu.instanceUrl}/`,
        '--alias',
        'emu',
        '--no-prompt'
    ]);
    expect(login.code).toBe(0);
    expect(login.json.result.orgId).toMatch(/^00D/);

    await emu.org.runDml(
        emu.userId,
        'insert',
        [
            {
                obj: emu.org.schema.get('Contact')!,
                input: { LastName: 'Bianchi', FiscalCode__c: 'BNCNNA80A41F205X' }
            }
        ],
        true
    );
    const query = await sf<{ totalSize: number; records: { LastName: string }[] }>([
        'data',
        'query',
        '--query',
        'SELECT Id, LastName, Account.Name FROM Contact',
        '--target-org',
        'emu'
    ]);
    expect(query.json.message).toBeUndefined();
    expect(query.code).toBe(0);
    expect(query.json.result.totalSize).toBe(1);
    expect(query.json.result.records[0].LastName).toBe('Bianchi');

    const file = join(home, 'contacts.csv');
    writeFileSync(
        file,
        `FiscalCode__c,LastName\nBNCNNA80A41F205X,Bianchi-Rossi\nVRDGPP70A01F205Y,${'x'.repeat(81)}\nNRILCU75A01F205Z,Neri\n`
    );
    const upsert = await sf<unknown, { jobId: string }>([
        'data',
        'upsert',
        'bulk',
        '--sobject',
        'Contact',
        '--file',
        file,
        '--external-id',
        'FiscalCode__c',
        '--wait',
        '2',
        '--target-org',
        'emu'
    ]);
    expect(upsert.code).not.toBe(0);
    expect(upsert.json.name).toBe('FailedRecordDetailsError');
    const jobId = upsert.json.data.jobId;
    expect(jobId).toMatch(/^750/);

    const results = await sf(['data', 'bulk', 'results', '--job-id', jobId, '--target-org', 'emu']);
    expect(results.code).toBe(0);
    expect(results.json.result).toMatchObject({
        processedRecords: 3,
        successfulRecords: 2,
        failedRecords: 1
    });
    expect(
        emu
            .records('Contact')
            .map((c) => c.LastName)
            .sort()
    ).toEqual(['Bianchi-Rossi', 'Neri']);
});
