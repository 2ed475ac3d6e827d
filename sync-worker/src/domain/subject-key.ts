// Subject keys and erasure tombstones (docs/privacy.md, "Subject key: worker side").
// SubjectKey = lowercase hex HMAC-SHA256(key, UPPER(TRIM(fiscal code))): stamped on the Contact
// (SubjectKey__c), the Individual's SubjectKey__c, and copied by the erasure into the tombstone's
// SubjectHash__c, so no fiscal code is ever copied onto consent objects or tombstones.
// KeyFingerprint = the first 16 hex characters of HMAC-SHA256(key, a fixed label): which key
// made a stamp or a tombstone, without revealing the key or anyone's data.
// The key is a secret: it is never logged, reported or written anywhere.
import { createHmac } from 'node:crypto';
import { ConfigError } from '../config/errors.ts';

export const MIN_KEY_LENGTH = 16;

/** The fixed input of the key fingerprint (docs/privacy.md). */
export const FINGERPRINT_LABEL = 'fse-engage/subject-key-fingerprint/v1';

export function subjectHash(key: string, fiscalCode: string): string {
    return createHmac('sha256', key).update(fiscalCode.trim().toUpperCase()).digest('hex');
}

/** Which key made a subject key or a tombstone: not secret, logged and compared freely. */
export function keyFingerprint(key: string): string {
    return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex').slice(0, 16);
}

/** Non-identifying Individual.LastName: a prefix of the keyed hash, never the person's name. */
export function individualName(subjectKey: string): string {
    return `FSE-${subjectKey.slice(0, 12)}`;
}

/** A key shorter than MIN_KEY_LENGTH is refused (ConfigError): a short key can be guessed. */
export function checkKey(key: string | undefined): void {
    if (key !== undefined && key.length < MIN_KEY_LENGTH) {
        throw new ConfigError(
            `the subject hash key (FSE_SUBJECT_HASH_KEY or subjectHashKey) must be at least ${MIN_KEY_LENGTH} characters`
        );
    }
}

/** The subject key fields of a Contact, as the worker writes them. */
export interface SubjectStamp {
    SubjectKey__c: string;
    SubjectKeyFingerprint__c: string;
}

export class Subjects {
    private readonly key: string | undefined;
    private readonly erased: ReadonlySet<string>;
    readonly tombstones: number;
    /** the fingerprint of the key (undefined without one) */
    readonly fingerprint: string | undefined;

    constructor(key: string | undefined, erased: ReadonlySet<string>) {
        checkKey(key);
        this.key = key;
        this.erased = erased;
        this.tombstones = erased.size;
        this.fingerprint = key === undefined ? undefined : keyFingerprint(key);
    }

    get hasKey(): boolean {
        return this.key !== undefined;
    }

    /** SubjectKey__c and SubjectKeyFingerprint__c of the Contact with this fiscal code
     *  (throws without a key: callers check `hasKey`). */
    stamp(fiscalCode: string): SubjectStamp {
        return {
            SubjectKey__c: this.hash(fiscalCode),
            SubjectKeyFingerprint__c: this.fingerprint!
        };
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
