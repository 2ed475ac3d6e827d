// Writes sync-worker/src/entities/vocabularies/picklists.json: the picklist values (API names and
// labels) of every field a vocabulary maps to, read from force-app. A deployed worker without the
// repository reads it in `fse-sync validate` (no org). `npm run picklists:bundle` after changing a
// value set; a unit test (sync-worker/test/entities/vocabularies) fails while it is stale.
import { writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { BUNDLE_FILE, REPO_FORCE_APP } from '../sync-worker/src/entities/vocabularies/catalog.ts';
import { bundleFromForceApp } from '../sync-worker/src/entities/vocabularies/bundle.ts';

const json = JSON.stringify(bundleFromForceApp(REPO_FORCE_APP));
writeFileSync(BUNDLE_FILE, await format(json, { parser: 'json', tabWidth: 2, printWidth: 100 }));
process.stdout.write(`wrote ${BUNDLE_FILE}\n`);
