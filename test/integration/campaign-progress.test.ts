// `fse-sync campaign send` on a terminal: a progress bar (sent of queued) on stderr, the human
// summary on stdout; off a terminal (a pipe, the scheduler) no bar, JSON lines only.
import { Writable } from 'node:stream';
import { main } from '../../sync-worker/src/cli/main.ts';
import {
    campaignConfig,
    campaignWorld,
    SUBJECT_KEY,
    type CampaignWorld
} from './campaign-fixture.ts';
import { startSmtpSink, type SmtpSink } from './campaign-peers.ts';

jest.setTimeout(60_000);

function capture(isTTY: boolean): Writable & { text: string; isTTY: boolean; columns: number } {
    const w = new Writable({
        write(c, _e, cb) {
            w.text += c.toString();
            cb();
        }
    }) as Writable & { text: string; isTTY: boolean; columns: number };
    w.text = '';
    w.isTTY = isTTY;
    w.columns = 120;
    return w;
}

describe('campaign send: progress', () => {
    let world: CampaignWorld;
    let smtp: SmtpSink;
    beforeAll(async () => {
        world = await campaignWorld({ professionals: 80, members: 30 });
        smtp = await startSmtpSink({ delayMs: 5 });
    });
    afterAll(async () => {
        await smtp?.close();
        await world?.cleanup();
    });

    it('draws a bar of sent/queued on a terminal and prints the summary', async () => {
        const config = await campaignConfig(world, { smtpPort: smtp.port });
        const stdout = capture(true);
        const stderr = capture(true);
        const args = ['campaign', 'send', '--campaign', 'Nuovo corso documenti FSE'];
        const auth = [
            '--instance-url',
            world.em.instanceUrl,
            '--access-token',
            world.em.accessToken
        ];
        const env = { FSE_SUBJECT_HASH_KEY: SUBJECT_KEY };
        const code = await main([...args, '--config', config, ...auth], { stdout, stderr, env });
        expect(code).toBe(0);
        const queued = smtp.received;
        expect(queued).toBeGreaterThan(0);
        // the bar's last frame: every queued message sent
        expect(stderr.text).toContain('campaign Nuovo corso documenti FSE email');
        expect(stderr.text).toContain(`${queued}/${queued} (100%`);
        expect(stdout.text).toMatch(/^Succeeded: email: sent \d+/m);
        expect(stderr.text + stdout.text).not.toMatch(/@example\.org/);

        // off a terminal: no bar (the second run has nothing to send either way)
        const pipeOut = capture(false);
        const pipeErr = capture(false);
        await main([...args, '--config', config, ...auth], {
            stdout: pipeOut,
            stderr: pipeErr,
            env
        });
        expect(pipeErr.text).not.toContain('(100%');
        expect(pipeErr.text).not.toContain('\u001b[');
    });
});
