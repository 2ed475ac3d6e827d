// Runs SFDMU's `sfdmu:run` command (the registry's sfdmu 3.7, an sfdx plugin built on oclif 1)
// without an sfdx/sf installation: oclif loads the plugin from its own package.json and runs
// the command class exactly as `sfdx sfdmu:run` does. Arguments are the command's flags, e.g.
//   node bench/sfdmu-run.cjs --sourceusername csvfile --targetusername target --path DIR --noprompt
'use strict';
const { dirname } = require('node:path');
const root = dirname(require.resolve('sfdmu/package.json'));
const { load } = require(require.resolve('@oclif/config', { paths: [root] }));

load(root)
    .then((config) => config.runCommand('sfdmu:run', process.argv.slice(2)))
    .catch((e) => {
        process.stderr.write(`sfdmu-run: ${(e && e.stack) || e}\n`);
        process.exit(1);
    });
