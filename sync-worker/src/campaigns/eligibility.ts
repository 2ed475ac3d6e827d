// Consent at send time (docs/campaigns.md, "Who receives"): the campaign's purpose and channel
// must have an OptIn ContactPointTypeConsent in force now, the newest capture winning (the same
// rule as the audience builder, CampaignAudienceService, and the portal's preferences); erased
// subjects, ceased professionals and members without a contact point are skipped, each with its
// reason. Pure: the org was read before.
import type { Channel, Consent, Member, SkipReason } from './types.ts';

/** Keeps the newer of two consents of one Individual: CaptureDate, then LastModifiedDate. */
export function newer(a: Consent | undefined, b: Consent): Consent {
    if (!a) return b;
    const ac = Number.isFinite(a.captureDate) ? a.captureDate : -Infinity;
    const bc = Number.isFinite(b.captureDate) ? b.captureDate : -Infinity;
    if (bc !== ac) return bc > ac ? b : a;
    return (b.modified || 0) >= (a.modified || 0) ? b : a;
}

export interface EligibilityContext {
    channel: Channel;
    now: number;
    /** the org's erasure tombstones (SubjectHash__c, lower case) */
    erased: ReadonlySet<string>;
    consentOf(individualId: string): Consent | undefined;
    /** push: the active portal user of a Contact */
    userOf(contactId: string): string | undefined;
}

/** Why `member` must not receive the campaign on this channel now, or null. */
export function skipReason(member: Member, ctx: EligibilityContext): SkipReason | null {
    if (
        member.shouldForget ||
        (member.subjectKey && ctx.erased.has(member.subjectKey.toLowerCase()))
    )
        return 'Erased';
    if (member.registryStatus === 'Ceased') return 'Ceased';
    if (!member.individualId) return 'NoIndividual';
    if (member.optedOutSolicit) return 'OptedOutSolicit';
    if (ctx.channel === 'email' && member.emailOptOut) return 'EmailOptOut';
    const consent = ctx.consentOf(member.individualId);
    if (!consent) return 'NoConsent';
    if (consent.status !== 'OptIn') return 'NotOptIn';
    if (
        (Number.isFinite(consent.effectiveFrom) && consent.effectiveFrom > ctx.now) ||
        (Number.isFinite(consent.effectiveTo) && consent.effectiveTo < ctx.now)
    )
        return 'NotInForce';
    if (ctx.channel === 'email' && !member.email) return 'NoContactPoint';
    if (ctx.channel === 'sms' && !member.mobile) return 'NoContactPoint';
    if (ctx.channel === 'push' && !ctx.userOf(member.contactId)) return 'NoUser';
    return null;
}
