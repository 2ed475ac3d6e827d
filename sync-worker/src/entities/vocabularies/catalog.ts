// Picklist values (API name and label) the vocabularies match registry codes against, from one
// of three places (docs/anagrafe-contract.md, "Where the picklist values come from"):
//  - force-app: the repository's metadata, read at run time when the worker runs from a checkout
//    (the metadata that is deployed from it);
//  - org: the org's describe (`GET /sobjects/{Object}/describe`, picklistValues with value,
//    label and active), the truth for a deployed worker: a value deployed to the org is used by
//    the next run with no new worker image;
//  - bundled: picklists.json next to this file, generated from force-app (npm run
//    picklists:bundle; a unit test fails when it is stale), for `fse-sync validate` without the
//    repository and without an org.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../config/errors.ts';
import type { SfClient } from '../../salesforce/http.ts';
import { splitField } from './definitions.ts';
import { readForceAppPicklists } from './force-app.ts';

export interface PicklistValue {
    /** API name: what is written */
    value: string;
    label: string;
}

export interface PicklistCatalog {
    /** where the values come from, for reports and errors */
    readonly origin: string;
    /** the active values of `Object.Field`, undefined when the source does not know the field */
    values(field: string): readonly PicklistValue[] | undefined;
}

export type PicklistSource = 'force-app' | 'org' | 'bundled';

export class MapCatalog implements PicklistCatalog {
    readonly origin: string;
    private readonly fields: ReadonlyMap<string, readonly PicklistValue[]>;

    constructor(origin: string, fields: Readonly<Record<string, readonly PicklistValue[]>>) {
        this.origin = origin;
        this.fields = new Map(Object.entries(fields));
    }

    values(field: string): readonly PicklistValue[] | undefined {
        return this.fields.get(field) ?? STANDARD_PICKLISTS[field];
    }
}

/**
 * Standard picklists force-app does not carry (Salesforce Object Reference,
 * ContactPointTypeConsent.PrivacyConsentStatus: NotSeen, Seen, OptIn, OptOut; labels as Setup
 * shows them). An org's describe replaces them.
 */
export const STANDARD_PICKLISTS: Readonly<Record<string, readonly PicklistValue[]>> = {
    'ContactPointTypeConsent.PrivacyConsentStatus': [
        { value: 'NotSeen', label: 'Not Seen' },
        { value: 'Seen', label: 'Seen' },
        { value: 'OptIn', label: 'Opt In' },
        { value: 'OptOut', label: 'Opt Out' }
    ]
};

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** force-app/main/default of the checkout this worker runs from (absent in a deployed image). */
export const REPO_FORCE_APP = join(HERE, '..', '..', '..', '..', 'force-app', 'main', 'default');

/** The generated bundle of the picklists the vocabularies use. */
export const BUNDLE_FILE = join(HERE, 'picklists.json');

export interface Bundle {
    fields: Record<string, PicklistValue[]>;
}

export function forceAppCatalog(dir: string, fields: readonly string[]): PicklistCatalog {
    if (!existsSync(dir))
        throw new ConfigError(`picklists: no force-app metadata folder at ${dir}`);
    return new MapCatalog(`force-app (${dir})`, readForceAppPicklists(dir, fields));
}

export function bundledCatalog(file = BUNDLE_FILE): PicklistCatalog {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    return new MapCatalog('bundled picklists.json (generated from force-app)', bundle.fields);
}

interface DescribeField {
    name: string;
    picklistValues?: Array<{ value: string; label?: string | null; active?: boolean }>;
}

/** The org's describe of each object of `fields` (one GET per object). */
export async function orgCatalog(
    client: SfClient,
    fields: readonly string[]
): Promise<PicklistCatalog> {
    const byObject = new Map<string, string[]>();
    for (const field of fields) {
        const [object, name] = splitField(field);
        byObject.set(object, [...(byObject.get(object) ?? []), name]);
    }
    const found: Record<string, PicklistValue[]> = {};
    for (const [object, names] of byObject) {
        const describe = await client.json<{ fields?: DescribeField[] }>(
            'GET',
            `${client.dataPath}/sobjects/${object}/describe`
        );
        for (const name of names) {
            const described = describe?.fields?.find((f) => f.name === name);
            if (!described) {
                throw new ConfigError(
                    `picklists: ${object}.${name} is not in the org's describe (is the metadata deployed, and the field visible to the integration user?)`
                );
            }
            found[`${object}.${name}`] = (described.picklistValues ?? [])
                .filter((v) => v.active !== false)
                .map((v) => ({ value: v.value, label: v.label ?? v.value }));
        }
    }
    return new MapCatalog(`the org's describe (${[...byObject.keys()].join(', ')})`, found);
}
