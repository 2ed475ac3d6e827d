// Vocabularies for unit tests: every vocabulary, with the picklist values of the repository's
// force-app (as a run from a checkout reads them) and an optional configuration.
import { parseConfig } from '../../../src/config/schema.ts';
import { VOCABULARY_NAMES } from '../../../src/entities/vocabularies/definitions.ts';
import { loadVocabularies, type Vocabularies } from '../../../src/entities/vocabularies/load.ts';

export function testVocabularies(
    vocabularies: Record<string, unknown> = {}
): Promise<Vocabularies> {
    const config = parseConfig({ picklists: 'force-app', vocabularies });
    return loadVocabularies(config, VOCABULARY_NAMES);
}
