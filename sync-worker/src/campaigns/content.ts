// A member's message, decided before the send is claimed: the merge values (never a fiscal code:
// the worker does not even read it), the number and text for SMS (refused when longer than
// maxSegments), the user for push. A content problem fails the member without claiming anything.
import { bundledCatalog } from '../entities/vocabularies/catalog.ts';
import { smsLength } from '../domain/sms-segments.ts';
import type { CampaignRecord } from './campaign-record.ts';
import type { Outgoing } from './channels/types.ts';
import { toE164 } from './phone.ts';
import { mergeText, type MergeValues } from './templates.ts';
import type { Channel, Member } from './types.ts';

let roleLabels: Map<string, string> | undefined;

/** The role as a professional reads it ("Farmacista"), from the picklist's Italian label. */
export function roleLabel(code: string): string {
    roleLabels ??= new Map(
        (bundledCatalog().values('Contact.FseRole__c') ?? []).map((v) => [
            v.value,
            v.label.replace(/^[A-Z]{3}\s+-\s+/, '')
        ])
    );
    return roleLabels.get(code) ?? code;
}

/** The portal page of the campaign's course, or the portal's home. */
export function courseLink(portalUrl: string, courseId: string): string {
    const base = portalUrl.replace(/\/+$/, '');
    return courseId ? `${base}/contenuto?c__contentId=${encodeURIComponent(courseId)}` : base;
}

export function mergeValues(
    member: Member,
    campaign: CampaignRecord,
    portalUrl: string
): MergeValues {
    return {
        name: [member.firstName, member.lastName].filter(Boolean).join(' '),
        role: roleLabel(member.role),
        course: campaign.courseName,
        link: courseLink(portalUrl, campaign.courseId)
    };
}

export type Prepared = { message: Omit<Outgoing, 'key'> } | { code: string; reason: string };

export function prepareMessage(
    member: Member,
    o: {
        channel: Channel;
        campaign: CampaignRecord;
        portalUrl: string;
        maxSegments: number;
        userId?: string;
    }
): Prepared {
    const values = mergeValues(member, o.campaign, o.portalUrl);
    if (o.channel === 'sms') {
        const to = toE164(member.mobile);
        if (!to)
            return {
                code: 'INVALID_NUMBER',
                reason: 'the mobile number is not a number an SMS can go to (E.164)'
            };
        const text = mergeText(o.campaign.smsBody, values);
        const length = smsLength(text);
        if (length.segments > o.maxSegments)
            return {
                code: 'SMS_TOO_LONG',
                reason: `${length.segments} parts (${length.encoding}, ${length.units} units) is above maxSegments ${o.maxSegments}: shorten the campaign's SMS text`
            };
        return { message: { member, values, to, text, segments: length.segments } };
    }
    if (o.channel === 'push') return { message: { member, values, userId: o.userId } };
    return { message: { member, values } };
}
