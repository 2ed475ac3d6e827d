// Practitioner id -> best role during the join, in typed arrays and one key table: about 55
// bytes a practitioner (~55 MB at 1M), instead of ~150 for a Map of packed strings.
import { canonicalTime, isoOfTime } from '../../util/instant.ts';
import { grow, Interner, KeyTable } from '../../util/key-table.ts';

/** What the join keeps of a practitioner's best role (bounded memory: a few short strings). */
export interface CompactRole {
    active: boolean;
    start: string; // period.start or ''
    orgCode: string; // the organisation's OrgCode__c, '' when not written (absent or rejected)
    role: string | null; // FseRole__c value; null: not written
    category: string | null; // TargetCategory__c value; null: not written
    updated: string; // meta.lastUpdated as an ISO instant, or ''
}

const NONE = 0xffffffff;

/** Practitioner id -> best role during the join: ~55 bytes a practitioner (a Map: ~150). */
export class RoleTable {
    private readonly keys = new KeyTable(1 << 16);
    private readonly strings = new Interner();
    private active = new Uint8Array(1 << 16);
    private fields = new Uint32Array(4 << 16); // start, orgCode, role, category (interned)
    private updated = new Float64Array(1 << 16);
    private readonly oddUpdated = new Map<number, string>();

    get size(): number {
        return this.keys.size;
    }

    get(id: string): CompactRole | undefined {
        const slot = this.keys.get(id);
        if (slot < 0) return undefined;
        const fields = this.fields;
        const values = this.strings.values;
        const updated = this.updated[slot];
        return {
            active: this.active[slot] === 1,
            start: values[fields[slot * 4]],
            orgCode: values[fields[slot * 4 + 1]],
            role: fields[slot * 4 + 2] === NONE ? null : values[fields[slot * 4 + 2]],
            category: fields[slot * 4 + 3] === NONE ? null : values[fields[slot * 4 + 3]],
            updated: Number.isNaN(updated) ? (this.oddUpdated.get(slot) ?? '') : isoOfTime(updated)
        };
    }

    /**
     * Keeps `role` for `id` when it is better than the role kept so far (betterRole in roles.ts:
     * an active role first, then the latest period.start), compared in place.
     */
    offer(id: string, role: CompactRole): void {
        const known = this.keys.size;
        const slot = this.keys.add(id);
        if (slot < known) {
            const active = this.active[slot] === 1;
            if (
                active !== role.active
                    ? active
                    : !(role.start > this.strings.values[this.fields[slot * 4]])
            )
                return;
        }
        this.store(slot, role);
    }

    set(id: string, role: CompactRole): void {
        this.store(this.keys.add(id), role);
    }

    private store(slot: number, role: CompactRole): void {
        if (slot >= this.active.length) {
            this.active = grow(this.active, slot + 1);
            this.updated = grow(this.updated, this.active.length);
            this.fields = grow(this.fields, this.active.length * 4);
        }
        this.active[slot] = role.active ? 1 : 0;
        this.fields[slot * 4] = this.strings.id(role.start);
        this.fields[slot * 4 + 1] = this.strings.id(role.orgCode);
        this.fields[slot * 4 + 2] = role.role === null ? NONE : this.strings.id(role.role);
        this.fields[slot * 4 + 3] = role.category === null ? NONE : this.strings.id(role.category);
        // the common case: a canonical instant, its time read from its digits (Date.parse's
        // time for it, stop 26), written back the same by isoOfTime
        let time = canonicalTime(role.updated);
        if (Number.isNaN(time)) {
            time = role.updated ? Date.parse(role.updated) : NaN;
            // an instant that would not survive the round trip is kept as a string
            if (
                role.updated &&
                (Number.isNaN(time) || new Date(time).toISOString() !== role.updated)
            ) {
                this.oddUpdated.set(slot, role.updated);
                this.updated[slot] = NaN;
                return;
            }
        }
        if (this.oddUpdated.size) this.oddUpdated.delete(slot);
        this.updated[slot] = time;
    }
}
