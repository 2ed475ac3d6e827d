// `fse-org-emulator`: serves the emulator on 127.0.0.1 and prints one JSON line when ready.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { startOrgEmulator } from './index.ts';

export async function main(argv: string[]): Promise<void> {
    const program = new Command()
        .name('fse-org-emulator')
        .description(
            'A local Salesforce org speaking REST, sObject Collections, Bulk API 2.0 and OAuth'
        )
        .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', '0')
        .option('--metadata <dir>', 'Salesforce DX source folder with custom objects', 'force-app')
        .option('--faults <file>', 'JSON file with faults to inject')
        .option('--api-limit <n>', 'DailyApiRequests Max')
        .option('--seed <n>', 'seed for the fault generator', '1')
        .option(
            '--user <user>',
            "whose token is printed: 'admin' (System Administrator) or 'integration' (FSE_Sync_Integration, the sync worker's user)",
            'admin'
        )
        .parse(argv);
    const o = program.opts();
    const emu = await startOrgEmulator({
        port: Number(o.port),
        metadataDir: o.metadata,
        faults: o.faults ? JSON.parse(readFileSync(o.faults, 'utf8')) : undefined,
        apiLimit: o.apiLimit ? Number(o.apiLimit) : undefined,
        seed: Number(o.seed),
        user: String(o.user)
    });
    process.stdout.write(
        JSON.stringify({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken }) + '\n'
    );
    const stop = () => {
        emu.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}
