// Every entity compares its external id as the org does: case-insensitively when the field is
// Unique and not case-sensitive (Apex Developer Guide, "Upserting Records"), which force-app
// declares in each field's XML. A field made case-sensitive there must be declared so here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITIES } from '../../src/entities/registry.ts';

const OBJECTS = join(__dirname, '../../../force-app/main/default/objects');

describe('external ids match as the org matches them', () => {
    it.each(ENTITIES.map((e) => [e.name, e] as const))('%s', (_name, entity) => {
        const xml = readFileSync(
            join(OBJECTS, entity.object, 'fields', `${entity.externalId}.field-meta.xml`),
            'utf8'
        );
        expect(xml).toMatch(/<externalId>true<\/externalId>/);
        const unique = /<unique>true<\/unique>/.test(xml);
        const caseSensitive = /<caseSensitive>true<\/caseSensitive>/.test(xml);
        const orgIgnoresCase = unique && !caseSensitive;
        expect(!entity.externalIdCaseSensitive).toBe(orgIgnoresCase);
    });
});
