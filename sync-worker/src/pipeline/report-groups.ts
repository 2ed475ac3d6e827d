// Group by reason: many report lines with one cause become one group with its count and a few
// examples, so an admin sees at a glance that 170 rejects have one cause. Bounded: at most
// `maxGroups` groups (the rest counted in one "other reasons" group) and `maxExamples` examples
// each, whatever the number of lines.

export interface Group<Extra> {
    /** the grouping key (e.g. `professionals|roles|unknown target category 'X'`) */
    key: string;
    count: number;
    /** the first examples (already masked by the caller) */
    examples: string[];
    /** what the first line of the group said beyond its key (entity, part, hint...) */
    extra: Extra;
}

export const OTHER_REASONS = 'other reasons (too many distinct reasons to list)';

export class Groups<Extra> {
    private readonly groups = new Map<string, Group<Extra>>();
    private readonly maxGroups: number;
    private readonly maxExamples: number;

    constructor(maxGroups = 200, maxExamples = 3) {
        this.maxGroups = maxGroups;
        this.maxExamples = maxExamples;
    }

    /** Counts one line in the group `key` (or the overflow group `overflowKey`). */
    add(key: string, example: string, extra: Extra, overflowKey?: string): void {
        let group = this.groups.get(key);
        if (!group && this.groups.size >= this.maxGroups && overflowKey !== undefined) {
            key = overflowKey;
            group = this.groups.get(key);
        }
        if (!group) {
            group = { key, count: 0, examples: [], extra };
            this.groups.set(key, group);
        }
        group.count++;
        if (group.examples.length < this.maxExamples && !group.examples.includes(example))
            group.examples.push(example);
    }

    /** The groups, largest first (ties in the order they appeared). */
    list(): Group<Extra>[] {
        return [...this.groups.values()].sort((a, b) => b.count - a.count);
    }
}

/**
 * The part of a reason that is the same for every record it hits: resource ids of practitioners,
 * roles and consents and the sizes in "(got 91)" become `…`; codes, organisation ids and paths
 * stay (they name the cause, and are not personal data).
 */
export function reasonGroup(reason: string): string {
    return reason
        .replace(/\b(Practitioner|PractitionerRole|Consent)\/[^\s,;)]+/g, '$1/…')
        .replace(/\(got \d+\)/g, '(got …)');
}
