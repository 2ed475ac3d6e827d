// The content of the bundled picklists.json: every field a vocabulary maps to, as force-app has
// it (fields force-app does not carry, such as standard picklists, are left out).
import { VOCABULARIES } from './definitions.ts';
import type { Bundle } from './catalog.ts';
import { readForceAppPicklists } from './force-app.ts';

export function bundleFromForceApp(dir: string): Bundle & { $comment: string } {
    const fields = [...new Set(Object.values(VOCABULARIES).map((v) => v.field))];
    return {
        $comment:
            'Generated from force-app by `npm run picklists:bundle`; do not edit (a unit test fails when it is stale).',
        fields: readForceAppPicklists(dir, fields)
    };
}
