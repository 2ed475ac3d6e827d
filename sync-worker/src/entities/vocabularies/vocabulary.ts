// One vocabulary: registry code -> Salesforce picklist value. The configuration's map first,
// then the picklist's API names and labels (case-, accent-, space- and punctuation-insensitive,
// normalize.ts), then the fallback; anything else is a miss with a reason that says which line
// of configuration fixes it. Every code seen is counted (bounded), for the report.
import { ConfigError } from '../../config/errors.ts';
import type { PicklistValue } from './catalog.ts';
import type { VocabularyDefinition, VocabularyName } from './definitions.ts';
import { codeKey, shownCode } from './normalize.ts';

export type MatchedBy = 'config' | 'value' | 'label' | 'fallback';

export type Resolution =
    | { ok: true; value: string; by: MatchedBy }
    | {
          ok: false;
          /** "unknown target category 'X'": also the reject group */
          reason: string;
          /** what fixes it */
          hint: string;
      };

/** What a vocabulary saw in a run: for the report's mapping and unknown codes. */
export interface SeenCode {
    code: string;
    count: number;
    /** the value written, absent for a miss */
    value?: string;
    by?: MatchedBy;
}

export interface VocabularyReport {
    vocabulary: VocabularyName;
    field: string;
    /** the configuration's explicit entries, as given */
    configured: Record<string, string>;
    fallback: string | null;
    /** every distinct code seen (at most MAX_SEEN), most frequent first */
    seen: SeenCode[];
    /** codes beyond MAX_SEEN, counted only */
    otherCodes: number;
}

/** How a vocabulary is configured (config/sync.config.json `vocabularies.<name>`). */
export interface VocabularyConfig {
    map?: Record<string, string>;
    /** undefined: the built-in fallback; null: none (unknown codes are rejected) */
    fallback?: string | null;
    system?: string;
    /** channel: value -> ContactPointTypeConsent.ContactPointType (null: none) */
    contactPointTypes?: Record<string, string | null>;
}

const MAX_SEEN = 200;

export class Vocabulary {
    readonly definition: VocabularyDefinition;
    readonly system: string | undefined;
    /** the configuration of this vocabulary, as given */
    readonly config: VocabularyConfig;
    private readonly configured: Record<string, string>;
    private readonly explicit = new Map<string, string>();
    private readonly index = new Map<string, { value: string; by: MatchedBy }>();
    private readonly ambiguous = new Map<string, string[]>();
    private readonly labels = new Map<string, string>();
    private readonly fallback: string | null;
    private readonly seen = new Map<string, SeenCode>();
    private otherCodes = 0;
    /** code -> codeKey(code), for the few distinct codes a registry uses (bounded) */
    private readonly keyOf = new Map<string, string>();
    /** code -> its resolution and its entry in `seen` once counted (bounded: MAX_SEEN codes) */
    private readonly known = new Map<string, { result: Resolution; seen: SeenCode | undefined }>();

    /**
     * `values`: the picklist's active values; `config`: the configuration's entries. A target
     * (map value or fallback) must name a value of the picklist (API name or label): a
     * ConfigError otherwise, before anything is read or written.
     */
    constructor(
        definition: VocabularyDefinition,
        values: readonly PicklistValue[],
        config: VocabularyConfig = {},
        origin = 'picklist'
    ) {
        this.definition = definition;
        this.config = config;
        this.system = config.system ?? definition.system;
        for (const v of values) this.labels.set(v.value, v.label);
        this.indexValues(values);
        const where = `vocabularies.${definition.name}`;
        const target = (text: string, path: string): string => {
            const exact = values.find((v) => v.value === text);
            const found = exact ? exact.value : this.index.get(codeKey(text))?.value;
            if (found) return found;
            const known = values.map((v) => v.value).join(', ');
            throw new ConfigError(
                `${path}: '${text}' is not a value of ${definition.field} in ${origin} (values: ${known || 'none'})`
            );
        };
        this.configured = { ...(definition.map ?? {}), ...(config.map ?? {}) };
        for (const [code, value] of Object.entries(this.configured)) {
            const key = codeKey(code);
            if (!key) throw new ConfigError(`${where}.map: the code '${code}' has no letters`);
            const resolved = target(value, `${where}.map["${code}"]`);
            const previous = this.explicit.get(key);
            if (previous !== undefined && previous !== resolved) {
                throw new ConfigError(
                    `${where}.map: '${code}' is written in two ways that map to ${previous} and ${resolved}`
                );
            }
            this.explicit.set(key, resolved);
        }
        const fallback = config.fallback === undefined ? definition.fallback : config.fallback;
        this.fallback = fallback ? target(fallback, `${where}.fallback`) : null;
    }

    /** API names and labels by comparison key; a key two values share matches neither. */
    private indexValues(values: readonly PicklistValue[]): void {
        const claims = new Map<string, Map<string, MatchedBy>>();
        for (const v of values) {
            for (const [text, by] of [
                [v.value, 'value'],
                [v.label, 'label']
            ] as const) {
                const key = codeKey(text);
                if (!key) continue;
                const owners = claims.get(key) ?? new Map<string, MatchedBy>();
                if (!owners.has(v.value) || by === 'value') owners.set(v.value, by);
                claims.set(key, owners);
            }
        }
        for (const [key, owners] of claims) {
            if (owners.size === 1) {
                const [[value, by]] = [...owners];
                this.index.set(key, { value, by });
            } else this.ambiguous.set(key, [...owners.keys()]);
        }
    }

    get name(): VocabularyName {
        return this.definition.name;
    }

    /** The value of codes nothing matches (and of absent codes where the contract says so). */
    get fallbackValue(): string | null {
        return this.fallback;
    }

    /** The picklist label of a value (for names of reference records). */
    labelOf(value: string): string | undefined {
        return this.labels.get(value);
    }

    /** The Salesforce value of a registry code, or why there is none; counted unless `count`
     *  is false (a resource read twice in one run). The answer of each of the first MAX_SEEN
     *  distinct codes is remembered (it depends on the code only), with the entry the code is
     *  counted in (stop 26: a role's two codes cost one lookup each instead of six). */
    resolve(code: string, count = true): Resolution {
        let known = this.known.get(code);
        if (known === undefined) {
            known = { result: Object.freeze(this.lookup(code)), seen: undefined };
            if (this.known.size < MAX_SEEN) this.known.set(code, known);
        }
        // an entry of `seen` is never replaced nor removed: the one counted once is the one
        // count() would find again; without one (`seen` full), count() counts it in otherCodes
        if (count) {
            if (known.seen) known.seen.count++;
            else known.seen = this.count(code, known.result);
        }
        return known.result;
    }

    private lookup(code: string): Resolution {
        const key = this.keyFor(code);
        const explicit = key ? this.explicit.get(key) : undefined;
        const found: Resolution | undefined =
            explicit !== undefined
                ? { ok: true, value: explicit, by: 'config' }
                : key && this.index.has(key)
                  ? { ok: true, ...this.index.get(key)! }
                  : this.fallback !== null
                    ? { ok: true, value: this.fallback, by: 'fallback' }
                    : undefined;
        return found ?? this.miss(code, key);
    }

    /** codeKey(code), remembered for the first MAX_SEEN distinct codes (Unicode normalisation
     *  and two Unicode regular expressions per role are a visible share of a run's CPU). */
    private keyFor(code: string): string {
        let key = this.keyOf.get(code);
        if (key === undefined) {
            key = codeKey(code);
            if (this.keyOf.size < MAX_SEEN) this.keyOf.set(code, key);
        }
        return key;
    }

    private miss(code: string, key: string): Resolution {
        const d = this.definition;
        const shared = this.ambiguous.get(key);
        const reason = shared
            ? `ambiguous ${d.label} '${shownCode(code)}' (matches ${shared.join(' and ')})`
            : `unknown ${d.label} '${shownCode(code)}'`;
        return { ok: false, reason, hint: `map it in config: vocabularies.${d.name}.map` };
    }

    /** Counts `code` in its entry of `seen`, which it returns (undefined: counted in otherCodes). */
    private count(code: string, result: Resolution): SeenCode | undefined {
        const shown = shownCode(code);
        const seen = this.seen.get(shown);
        if (seen) {
            seen.count++;
            return seen;
        }
        if (this.seen.size >= MAX_SEEN) {
            this.otherCodes++;
            return undefined;
        }
        const entry: SeenCode = result.ok
            ? { code: shown, count: 1, value: result.value, by: result.by }
            : { code: shown, count: 1 };
        this.seen.set(shown, entry);
        return entry;
    }

    /** The codes that fell back or matched nothing, most frequent first. */
    unknownCodes(): SeenCode[] {
        return this.report().seen.filter((s) => s.value === undefined || s.by === 'fallback');
    }

    report(): VocabularyReport {
        return {
            vocabulary: this.definition.name,
            field: this.definition.field,
            configured: { ...this.configured },
            fallback: this.fallback,
            seen: [...this.seen.values()].sort(
                (a, b) => b.count - a.count || a.code.localeCompare(b.code)
            ),
            otherCodes: this.otherCodes
        };
    }
}
