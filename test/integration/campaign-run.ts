// Runs `fse-sync campaign ...` in-process against a campaign world; the exit code, the JSON
// report, stderr.
import { Writable } from 'node:stream';
import { main } from '../../sync-worker/src/cli/main.ts';
import type { CampaignReport } from '../../sync-worker/src/campaigns/report.ts';
import type { OrgEmulator } from '../org-emulator/index.ts';
import { SUBJECT_KEY } from './campaign-fixture.ts';

export interface CliResult<R> {
    code: number;
    report: R | undefined;
    stdout: string;
    stderr: string;
}

export async function campaignCli<R = CampaignReport>(
    em: Pick<OrgEmulator, 'instanceUrl' | 'accessToken'>,
    args: string[],
    env: Record<string, string> = {},
    signal?: AbortSignal
): Promise<CliResult<R>> {
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
            'campaign',
            ...args,
            '--instance-url',
            em.instanceUrl,
            '--access-token',
            em.accessToken,
            '--json'
        ],
        {
            stdout,
            stderr,
            env: {
                FSE_SUBJECT_HASH_KEY: SUBJECT_KEY,
                FSE_SMS_TOKEN: 'test-sms-token',
                FSE_SYNC_LOG_LEVEL: 'error',
                ...env
            },
            signal
        }
    );
    let report: R | undefined;
    try {
        report = out.trim() ? (JSON.parse(out) as R) : undefined;
    } catch {
        report = undefined;
    }
    return { code, report, stdout: out, stderr: err };
}
