// Subject keys and erasure tombstones (docs/privacy.md, "The tombstone").
// SubjectHash__c = lowercase hex HMAC-SHA256(key, UPPER(TRIM(fiscal code))). The same keyed hash
// is the Individual's SubjectKey__c, so no fiscal code is ever copied onto consent objects.
// The key is a secret: it is never logged, reported or written anywhere.
import { createHmac } from 'node:crypto';
import { ConfigError } from '../config/errors.ts';

export const MIN_KEY_LENGTH = 16;

export function subjectHash(key: string, fiscalCode: string): string {
    return createHmac('sha256', key).update(fiscalCode.trim().toUpperCase()).digest('hex');
}

/** Non-identifying Individual.LastName: a prefix of the keyed hash, never the person's name. */
export function individualName(subjectKey: string): string {
    return `FSE-${subjectKey.slice(0, 12)}`;
}

export class Subjects {
    private readonly key: string | undefined;
    private readonly erased: ReadonlySet<string>;
    readonly tombstones: number;

    constructor(key: string | undefined, erased: ReadonlySet<string>) {
        if (key !== undefined && key.length < MIN_KEY_LENGTH) {
            throw new ConfigError(
                `the subject hash key (FSE_SUBJECT_HASH_KEY or subjectHashKey) must be at least ${MIN_KEY_LENGTH} characters`
            );
        }
        this.key = key;
        this.erased = erased;
        this.tombstones = erased.size;
    }

    get hasKey(): boolean {
        return this.key !== undefined;
    }

    /** The keyed hash of a fiscal code (throws without a key: callers check `hasKey`). */
    hash(fiscalCode: string): string {
        if (this.key === undefined) throw new ConfigError('no subject hash key configured');
        return subjectHash(this.key, fiscalCode);
    }

    /** Whether the subject with this fiscal code was erased in the org (has a tombstone). */
    isErased(fiscalCode: string | undefined | null): boolean {
        if (!fiscalCode || this.erased.size === 0 || this.key === undefined) return false;
        return this.erased.has(subjectHash(this.key, fiscalCode));
    }
}
