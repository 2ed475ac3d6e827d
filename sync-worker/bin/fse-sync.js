#!/usr/bin/env node
// fse-sync: needs Node 22+ (TypeScript type stripping); `npx fse-sync` runs it on the project's Node.
import { main } from '../src/cli.ts';

const argv = process.argv.slice(2);
main(argv).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`fse-sync: fatal: ${err?.name ?? 'Error'}\n`);
        process.exitCode = 1;
    }
);
