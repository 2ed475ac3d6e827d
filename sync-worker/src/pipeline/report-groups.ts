// Report lines grouped by reason: one line per (entity, code, reason) with how many records it
// covers and a few masked examples, so a report says "5,000 professionals: field X is not
// visible..." once instead of 5,000 times. Used for the failures (and open to the rejects).

export interface ReasonGroup {
    entity: string;
    /** Salesforce's error code (failures) */
    code?: string;
    /** what it means and what to do */
    reason: string;
    count: number;
    /** a few keys, already masked by the entity */
    examples: string[];
}

export class ReasonGroups {
    private readonly groups = new Map<string, ReasonGroup>();
    private readonly maxGroups: number;
    private readonly maxExamples: number;
    /** records whose reason found no room (beyond maxGroups distinct reasons) */
    notGrouped = 0;

    constructor(maxGroups = 200, maxExamples = 3) {
        this.maxGroups = maxGroups;
        this.maxExamples = maxExamples;
    }

    add(entity: string, code: string | undefined, reason: string, key: string): void {
        const id = JSON.stringify([entity, code ?? '', reason]);
        let group = this.groups.get(id);
        if (!group) {
            if (this.groups.size >= this.maxGroups) {
                this.notGrouped++;
                return;
            }
            group = {
                entity,
                ...(code !== undefined ? { code } : {}),
                reason,
                count: 0,
                examples: []
            };
            this.groups.set(id, group);
        }
        group.count++;
        if (group.examples.length < this.maxExamples && !group.examples.includes(key))
            group.examples.push(key);
    }

    /** The groups, largest first. */
    list(): ReasonGroup[] {
        return [...this.groups.values()].sort((a, b) => b.count - a.count);
    }
}
