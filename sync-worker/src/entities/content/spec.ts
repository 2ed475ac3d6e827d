// Training content as an entity: `content:<dir>` -> LearningContent__c by ContentKey__c. Modules
// point to their course (Parent__r.ContentKey__c) and are loaded after the courses; items
// missing from a full catalog become Retired, never deleted, so enrolments keep their history.
import type { RawContent } from '../../sources/content-dir.ts';
import { UnparseableResource } from '../../sources/types.ts';
import { defineEntity, noPreparation, unparseableReject } from '../types.ts';
import { LEARNING_CONTENT_FIELDS, mapContent } from './map.ts';

/** The keys of the catalog's courses (modules must point to one of them). */
function courseKeysOf(items: ReadonlyArray<RawContent | UnparseableResource>): Set<string> {
    const courseKeys = new Set<string>();
    for (const item of items) {
        if (item instanceof UnparseableResource) continue;
        if (
            item.origin === 'catalog' &&
            item.data.type === 'course' &&
            typeof item.data.key === 'string'
        )
            courseKeys.add(item.data.key.trim());
    }
    return courseKeys;
}

export const CONTENT = defineEntity({
    name: 'content',
    object: 'LearningContent__c',
    externalId: 'ContentKey__c',
    fields: LEARNING_CONTENT_FIELDS,
    hashField: 'SyncHash__c',
    // a full catalog retires what it no longer lists (Draft or Published); never a deletion
    status: { field: 'Status__c', active: ['Published', 'Draft'], ceased: 'Retired' },
    loadOrder: 40,
    requires: 'LearningContent',
    vocabularies: ['targetCategory'],
    // content has its own clock: it never moves the registry watermark
    watermark: false,
    maskKey: (key) => key, // content keys are not personal data
    pass: (record) => (record.Type__c === 'Module' ? 1 : 0),
    prepare: noPreparation,
    async *produce(context) {
        // content is small (hundreds of items): read once, courses known before their modules
        const items: Array<RawContent | UnparseableResource> = [];
        for await (const raw of context.source.read('LearningContent'))
            items.push(raw as RawContent | UnparseableResource);
        const courseKeys = courseKeysOf(items);
        const categories = context.vocabularies.get('targetCategory');
        const counts = context.tally.counts;
        for (const item of items) {
            if (item instanceof UnparseableResource) {
                yield unparseableReject(item);
                continue;
            }
            const { cleaned, ...result } = mapContent(item, courseKeys, categories);
            if (result.ok && cleaned) counts.sanitized = (counts.sanitized ?? 0) + 1;
            yield result;
        }
    }
});
