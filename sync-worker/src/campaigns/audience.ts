// What a send reads from the org before deciding anything: the campaign's members (staged to a
// local file, so 95,000 members never sit in memory as objects), the newest consent of each
// Individual for the campaign's purpose on the channel, the erasure tombstones, and for push the
// active portal user of each Contact. Each read is one REST call when it fits a page, one Bulk
// API 2.0 query job otherwise (salesforce/query.ts, queryRows). No fiscal code is read.
import { join } from 'node:path';
import type { SfClient } from '../salesforce/http.ts';
import { parseSalesforceDateTime } from '../salesforce/datetime.ts';
import { queryRows, soqlString, type BulkQueryOptions } from '../salesforce/query.ts';
import { NdjsonWriter } from '../util/ndjson-file.ts';
import { newer } from './eligibility.ts';
import type { Channel, Consent, Member } from './types.ts';

const MEMBER_FIELDS = [
    'Id',
    'ContactId',
    'SendStatus__c',
    'SendReason__c',
    'SendChannel__c',
    'Contact.FirstName',
    'Contact.LastName',
    'Contact.Email',
    'Contact.MobilePhone',
    'Contact.FseRole__c',
    'Contact.RegistryStatus__c',
    'Contact.SubjectKey__c',
    'Contact.HasOptedOutOfEmail',
    'Contact.IndividualId',
    'Contact.Individual.HasOptedOutSolicit',
    'Contact.Individual.ShouldForget'
];

const time = (v: string | undefined) => (v ? parseSalesforceDateTime(v) : NaN);
const yes = (v: string | undefined) => v === 'true';

function memberOf(row: Record<string, string>): Member {
    return {
        id: row.Id,
        contactId: row.ContactId ?? '',
        firstName: row['Contact.FirstName'] ?? '',
        lastName: row['Contact.LastName'] ?? '',
        email: row['Contact.Email'] ?? '',
        mobile: row['Contact.MobilePhone'] ?? '',
        role: row['Contact.FseRole__c'] ?? '',
        registryStatus: row['Contact.RegistryStatus__c'] ?? '',
        subjectKey: row['Contact.SubjectKey__c'] ?? '',
        individualId: row['Contact.IndividualId'] ?? '',
        optedOutSolicit: yes(row['Contact.Individual.HasOptedOutSolicit']),
        shouldForget: yes(row['Contact.Individual.ShouldForget']),
        emailOptOut: yes(row['Contact.HasOptedOutOfEmail']),
        status: row.SendStatus__c ?? '',
        reason: row.SendReason__c ?? '',
        channel: row.SendChannel__c ?? ''
    };
}

export interface StagedMembers {
    file: string;
    count: number;
    individuals: Set<string>;
    contacts: Set<string>;
}

/** The campaign's Contact members to `dir/members.ndjson`. */
export async function stageMembers(
    client: SfClient,
    campaignId: string,
    dir: string,
    bulk: BulkQueryOptions
): Promise<StagedMembers> {
    const file = join(dir, 'members.ndjson');
    const out = new NdjsonWriter<Member>(file);
    const staged: StagedMembers = { file, count: 0, individuals: new Set(), contacts: new Set() };
    // one write at a time (a result page is parsed faster than the disk takes it)
    let writing = Promise.resolve();
    await queryRows(
        client,
        `SELECT ${MEMBER_FIELDS.join(', ')} FROM CampaignMember WHERE CampaignId = ${soqlString(campaignId)} AND ContactId != null ORDER BY Id`,
        (row) => {
            const member = memberOf(row);
            staged.count++;
            if (member.individualId) staged.individuals.add(member.individualId);
            if (member.contactId) staged.contacts.add(member.contactId);
            writing = writing.then(() => out.write(member));
        },
        bulk
    );
    await writing;
    await out.close();
    return staged;
}

/**
 * The newest consent of each Individual for `purpose` on `channel` (the channel's
 * EngagementChannelType.ChannelCode__c, the purpose's DataUsePurpose.PurposeCode__c). Only the
 * members' Individuals are kept.
 */
export async function readConsents(
    client: SfClient,
    purpose: string,
    channel: Channel,
    individuals: ReadonlySet<string>,
    bulk: BulkQueryOptions
): Promise<Map<string, Consent>> {
    const consents = new Map<string, Consent>();
    await queryRows(
        client,
        `SELECT PartyId, PrivacyConsentStatus, CaptureDate, EffectiveFrom, EffectiveTo, LastModifiedDate FROM ContactPointTypeConsent WHERE DataUsePurpose.PurposeCode__c = ${soqlString(purpose)} AND EngagementChannelType.ChannelCode__c = ${soqlString(channel)}`,
        (row) => {
            const party = row.PartyId;
            if (!party || !individuals.has(party)) return;
            consents.set(
                party,
                newer(consents.get(party), {
                    status: row.PrivacyConsentStatus ?? '',
                    captureDate: time(row.CaptureDate),
                    modified: time(row.LastModifiedDate),
                    effectiveFrom: time(row.EffectiveFrom),
                    effectiveTo: time(row.EffectiveTo)
                })
            );
        },
        bulk
    );
    return consents;
}

/** Every erasure tombstone's subject hash, lower case. */
export async function readTombstones(
    client: SfClient,
    bulk: BulkQueryOptions
): Promise<Set<string>> {
    const erased = new Set<string>();
    await queryRows(
        client,
        'SELECT SubjectHash__c FROM ErasureTombstone__c WHERE SubjectHash__c != null',
        (row) => {
            const hash = row.SubjectHash__c?.trim().toLowerCase();
            if (hash) erased.add(hash);
        },
        bulk
    );
    return erased;
}

/** The active portal user of each member Contact (push notifications go to users). */
export async function readPortalUsers(
    client: SfClient,
    contacts: ReadonlySet<string>,
    bulk: BulkQueryOptions
): Promise<Map<string, string>> {
    const users = new Map<string, string>();
    await queryRows(
        client,
        'SELECT Id, ContactId FROM User WHERE IsActive = true AND ContactId != null',
        (row) => {
            if (row.ContactId && contacts.has(row.ContactId)) users.set(row.ContactId, row.Id);
        },
        bulk
    );
    return users;
}
