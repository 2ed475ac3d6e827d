#!/usr/bin/env node
// Runs on Node 22 (type stripping); see test/org-emulator/cli.ts.
import { main } from '../cli.ts';

main(process.argv).catch((e) => {
    process.stderr.write(`fse-org-emulator: ${e.message}\n`);
    process.exit(1);
});
