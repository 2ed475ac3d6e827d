// Metadata check: converts force-app to Metadata API format with the official Salesforce CLI
// (source-deploy-retrieve underneath). Malformed XML, unknown metadata types, missing
// -meta.xml companions and broken bundles fail the conversion, and so the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const outputDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fse-mdapi-')), 'mdapi');
// Run the CLI on this very Node (22), whatever node is first on PATH.
const sfRun = path.resolve('node_modules/@salesforce/cli/bin/run.js');
const result = spawnSync(
    process.execPath,
    [
        sfRun,
        'project',
        'convert',
        'source',
        '--root-dir',
        'force-app',
        '--output-dir',
        outputDir,
        '--json'
    ],
    {
        encoding: 'utf8',
        env: {
            ...process.env,
            SF_DISABLE_TELEMETRY: 'true',
            SF_AUTOUPDATE_DISABLE: 'true',
            SF_SKIP_NEW_VERSION_CHECK: 'true',
            SF_HIDE_RELEASE_NOTES: 'true'
        }
    }
);
let parsed: { status?: number; message?: string; name?: string } = {};
try {
    parsed = JSON.parse(result.stdout);
} catch {
    // Not JSON: fall through to print raw output.
}
if (result.status !== 0 || parsed.status !== 0) {
    console.error('metadata-check: force-app does not convert to Metadata API format.');
    console.error(parsed.message ?? result.stdout ?? '', result.stderr ?? '');
    process.exit(1);
}
const types = readdirSync(outputDir).filter((f) => f !== 'package.xml');
console.log(`metadata-check: force-app converts cleanly (${types.join(', ')})`);
rmSync(path.dirname(outputDir), { recursive: true, force: true });
