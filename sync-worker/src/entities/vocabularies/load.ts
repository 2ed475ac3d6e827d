// The vocabularies of a run, built once from the configuration and the picklist values: from the
// repository's force-app when the worker runs from a checkout, else the org's describe (a run)
// or the bundled copy (`fse-sync validate`, no org); `picklists` in the configuration forces one.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../config/errors.ts';
import type { SyncConfig } from '../../config/schema.ts';
import type { SfClient } from '../../salesforce/http.ts';
import {
    bundledCatalog,
    forceAppCatalog,
    orgCatalog,
    REPO_FORCE_APP,
    type PicklistCatalog,
    type PicklistSource
} from './catalog.ts';
import { VOCABULARIES, type VocabularyName } from './definitions.ts';
import { Vocabulary, type VocabularyReport, type SeenCode } from './vocabulary.ts';

/** The vocabularies a run uses (only those of its entities are loaded). */
export class Vocabularies {
    /** where the picklist values came from */
    readonly origin: string;
    private readonly loaded: ReadonlyMap<VocabularyName, Vocabulary>;

    constructor(origin: string, loaded: Iterable<Vocabulary>) {
        this.origin = origin;
        this.loaded = new Map([...loaded].map((v) => [v.name, v]));
    }

    get(name: VocabularyName): Vocabulary {
        const vocabulary = this.loaded.get(name);
        if (!vocabulary) throw new Error(`vocabulary ${name} was not loaded for this run`);
        return vocabulary;
    }

    reports(): VocabularyReport[] {
        return [...this.loaded.values()].map((v) => v.report());
    }

    /** Codes that matched nothing or fell back, per vocabulary. */
    unknownCodes(): Array<SeenCode & { vocabulary: VocabularyName; field: string }> {
        return [...this.loaded.values()].flatMap((v) =>
            v.unknownCodes().map((s) => ({
                vocabulary: v.name,
                field: v.definition.field,
                ...s
            }))
        );
    }
}

/** Which picklist source a run or a validation reads (config `picklists`, default auto). */
export function picklistSource(
    config: Pick<SyncConfig, 'picklists' | 'forceAppDir'>,
    org: boolean
): { source: PicklistSource; dir: string } {
    const dir = config.forceAppDir ?? REPO_FORCE_APP;
    if (config.picklists !== 'auto') {
        if (config.picklists === 'org' && !org)
            throw new ConfigError('picklists "org" needs an org: not available here');
        return { source: config.picklists, dir };
    }
    if (existsSync(dir)) return { source: 'force-app', dir };
    return { source: org ? 'org' : 'bundled', dir };
}

/**
 * Builds the named vocabularies from the configuration and the picklist values. A configured
 * target that is not a value of its picklist is a ConfigError (exit 2, nothing written).
 */
export async function loadVocabularies(
    config: Pick<SyncConfig, 'picklists' | 'forceAppDir' | 'vocabularies'>,
    names: readonly VocabularyName[],
    client?: SfClient
): Promise<Vocabularies> {
    if (names.length === 0) return new Vocabularies('none', []);
    const fields = [...new Set(names.map((n) => VOCABULARIES[n].field))];
    const { source, dir } = picklistSource(config, client !== undefined);
    let catalog: PicklistCatalog;
    if (source === 'force-app') catalog = forceAppCatalog(dir, fields);
    else if (source === 'org') catalog = await orgCatalog(client!, fields);
    else catalog = bundledCatalog();
    const loaded = names.map((name) => {
        const definition = VOCABULARIES[name];
        const values = catalog.values(definition.field);
        if (!values?.length) {
            throw new ConfigError(
                `picklists: no values of ${definition.field} in ${catalog.origin} (vocabulary ${name})`
            );
        }
        return new Vocabulary(definition, values, config.vocabularies[name], catalog.origin);
    });
    return new Vocabularies(catalog.origin, loaded);
}
