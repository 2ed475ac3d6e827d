// What a campaign send handles: channels, members as read from the org, why a member is skipped,
// and what became of each send.

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Why a member gets nothing on this run (CampaignMember.SendReason__c starts with the code). */
export const SKIP_REASONS = {
    Erased: 'erased subject (erasure tombstone or Individual marked to forget)',
    Ceased: 'ceased professional (RegistryStatus__c = Ceased)',
    NoIndividual: 'no Individual linked: consent cannot be checked',
    OptedOutSolicit: 'opted out of solicitation (Individual.HasOptedOutSolicit)',
    EmailOptOut: 'opted out of e-mail (Contact.HasOptedOutOfEmail)',
    NoConsent: 'no consent for the campaign purpose on this channel',
    NotOptIn:
        'consent for the campaign purpose on this channel is not OptIn (the newest capture wins)',
    NotInForce: 'consent not in force today (EffectiveFrom/EffectiveTo)',
    NoContactPoint: 'no contact point for the channel (e-mail address, mobile number)',
    NoUser: 'no active portal user: push notifications go to Salesforce users only',
    ClaimedElsewhere: 'another run claimed this send (the send log already had the key)'
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

/** One campaign member, the fields a send needs (no fiscal code: a send never reads it). */
export interface Member {
    id: string;
    contactId: string;
    firstName: string;
    lastName: string;
    email: string;
    mobile: string;
    role: string;
    registryStatus: string;
    subjectKey: string;
    individualId: string;
    optedOutSolicit: boolean;
    shouldForget: boolean;
    emailOptOut: boolean;
    /** the member's status and reason as the org has them (written only when they change) */
    status: string;
    reason: string;
    channel: string;
}

/** The newest consent of an Individual for the campaign's purpose and channel. */
export interface Consent {
    status: string;
    captureDate: number;
    modified: number;
    effectiveFrom: number;
    effectiveTo: number;
}

/** The latest attempt in the send log of one member on one channel. */
export interface LogRecord {
    id: string;
    key: string;
    memberId: string;
    attempt: number;
    status: 'Sending' | 'Sent' | 'Failed' | 'Unknown' | 'Bounced' | 'Superseded';
    retryable: boolean;
    runId: string;
    reason: string;
    messageId: string;
}

/** What a channel made of one message. */
export type SendOutcome =
    | { kind: 'sent'; messageId: string; segments?: number }
    | { kind: 'failed'; code: string; reason: string; retryable: boolean }
    | { kind: 'unknown'; code: string; reason: string };

/** The final state of a member on this run (CampaignMember.SendStatus__c). */
export type MemberStatus = 'Pending' | 'Sent' | 'Failed' | 'Skipped' | 'Bounced' | 'Unknown';
