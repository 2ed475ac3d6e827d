// defineEntity: the state an entity's `prepare` builds reaches its other hooks, per opening.
import { FailureLog } from '../../src/salesforce/failures.ts';
import { field, FieldSet } from '../../src/entities/fields.ts';
import { defineEntity, type EntityContext } from '../../src/entities/types.ts';

describe('defineEntity', () => {
    it('hands the prepared state to produce and prerequisites, fresh for each run', async () => {
        let prepared = 0;
        const entity = defineEntity<{ run: number; seen: string[] }>({
            name: 'content',
            object: 'Item__c',
            externalId: 'Code__c',
            fields: new FieldSet([field.text('Code__c')]),
            loadOrder: 1,
            requires: 'LearningContent',
            maskKey: (key) => key,
            prepare: async () => ({ run: ++prepared, seen: [] }),
            async *produce(_context, state) {
                state.seen.push('produced');
                yield {
                    ok: true,
                    key: `K${state.run}`,
                    updatedAt: '',
                    record: { Code__c: `K${state.run}` },
                    sourceId: 'x'
                };
            },
            async prerequisites(_context, state) {
                state.seen.push('prerequisites');
                expect(state.seen).toEqual(['produced', 'prerequisites']);
            }
        });
        const context = {} as EntityContext;
        for (const run of [1, 2]) {
            const opened = await entity.open(context);
            const keys: string[] = [];
            for await (const result of opened.produce()) if (result.ok) keys.push(result.key);
            expect(keys).toEqual([`K${run}`]);
            await opened.prerequisites(
                async function* () {},
                async () => new FailureLog()
            );
        }
        expect(prepared).toBe(2);
    });
});
