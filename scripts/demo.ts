// `npm start`: the embedded default. Generates (if absent) a deterministic synthetic registry of
// 5,000 professionals with their consents (3 purposes x 2 channels), starts the org emulator
// in-process, runs a full sync of professionals, consents and the sample training content
// (config/content-sample), changes a few registry records (updates, a ceased professional, new
// ones), syncs incrementally and prints both reports.
import { cp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startOrgEmulator } from '../test/org-emulator/index.ts';
import { applyChanges, generateRegistry } from '../sync-worker/src/generator/generator.ts';
import { main } from '../sync-worker/src/cli/main.ts';

const root = resolve(import.meta.dirname, '..');
const pristine = join(root, '.demo', 'registry');
const work = join(root, '.demo', 'run');
const reports = join(root, '.demo', 'reports');

async function demo(): Promise<number> {
    if (!existsSync(join(pristine, 'Consent.ndjson'))) {
        process.stdout.write(
            'Generating a synthetic registry of 5,000 professionals with their consents in .demo/registry ...\n'
        );
        await generateRegistry({ count: 5000, out: pristine, seed: 1, consents: true });
    }
    await rm(work, { recursive: true, force: true });
    await cp(pristine, work, { recursive: true });

    // the worker logs in as the integration user (FSE_Sync_Integration only, as in production):
    // the emulator enforces its object, field and record access, and only it may stamp subject keys
    const em = await startOrgEmulator({
        metadataDir: join(root, 'force-app', 'main', 'default'),
        user: 'integration'
    });
    process.stdout.write(`Org emulator listening on ${em.instanceUrl}\n\n`);
    const io = {
        stdout: process.stdout,
        stderr: process.stderr,
        env: {
            ...process.env,
            FSE_SYNC_LOG_LEVEL: process.env.FSE_SYNC_LOG_LEVEL ?? 'warn',
            // a demo-only key for the subject hashes (consents, tombstones); never use it for real
            FSE_SUBJECT_HASH_KEY:
                process.env.FSE_SUBJECT_HASH_KEY ?? 'demo-only-subject-key-not-a-secret'
        }
    };
    const base = [
        'run',
        '--source',
        `ndjson:${work}`,
        '--source',
        `content:${join(root, 'config', 'content-sample')}`,
        '--instance-url',
        em.instanceUrl,
        '--access-token',
        em.accessToken,
        '--config',
        join(root, 'config', 'sync.config.json')
    ];
    try {
        process.stdout.write('1) Full sync\n');
        const full = await main([...base, '--full', '--report', join(reports, 'full.json')], io);
        const s1 = em.stats();
        process.stdout.write(
            `   exit code ${full}; org now holds ${s1.records.Account ?? 0} Accounts, ${s1.records.Contact ?? 0} Contacts, ${s1.records.Individual ?? 0} Individuals, ${s1.records.ContactPointTypeConsent ?? 0} consents and ${s1.records.LearningContent__c ?? 0} training contents\n\n`
        );

        const changes = await applyChanges(work, {
            update: 25,
            cease: 1,
            add: 3,
            at: new Date().toISOString()
        });
        process.stdout.write(
            `2) Registry changed: ${changes.updated.length} professionals updated, ${changes.ceased.length} ceased, ${changes.added.length} new\n\n`
        );
        process.stdout.write('3) Incremental sync\n');
        const before = em.stats().apiUsage.used;
        const inc = await main(
            [...base, '--incremental', '--report', join(reports, 'incremental.json')],
            io
        );
        process.stdout.write(
            `   exit code ${inc}; ${em.stats().apiUsage.used - before} API calls\n\n`
        );
        process.stdout.write(`JSON reports: ${reports}/full.json and incremental.json\n`);
        return full === 0 && inc === 0 ? 0 : full || inc;
    } finally {
        await em.stop();
    }
}

demo().then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`demo failed: ${(err as Error).message}\n`);
        process.exitCode = 1;
    }
);
