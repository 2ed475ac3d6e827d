// The state one campaign send carries from reading the org to writing its results: what was
// read, the counts, the files of members decided and members to send, and the member statuses
// to write back (only those that change).
import type { CampaignsConfig, SyncConfig } from '../config/schema.ts';
import type { Progress } from '../pipeline/context.ts';
import type { SfClient } from '../salesforce/http.ts';
import type { SfRecord } from '../salesforce/record.ts';
import type { Logger } from '../util/log.ts';
import { NdjsonWriter } from '../util/ndjson-file.ts';
import type { StagedMembers } from './audience.ts';
import type { CampaignRecord } from './campaign-record.ts';
import type { ChannelSender, Outgoing } from './channels/types.ts';
import type { Journal } from './journal.ts';
import type { PreparedCampaign } from './prepare.ts';
import type { CampaignReportBuilder } from './report.ts';
import type { Deferral, Throttle } from './throttle.ts';
import type { Channel, Consent, LogRecord, Member, MemberStatus } from './types.ts';

export interface SendOptions {
    client: SfClient;
    config: SyncConfig;
    prepared: PreparedCampaign;
    runId: string;
    dryRun: boolean;
    logger: Logger;
    env: NodeJS.ProcessEnv;
    /** aborted on SIGTERM or when the lease is lost: the run stops between messages */
    signal?: AbortSignal;
    progress?: Progress;
    now?: () => Date;
    /** send again the members whose outcome is unknown (an admin's decision) */
    resendUnknown?: boolean;
    /** send again the members a permanent failure left out (an admin's decision) */
    retryFailed?: boolean;
    tmpDir?: string;
}

/** A member to send to on this run: its attempt and the message decided for it. */
export interface Queued {
    member: Member;
    attempt: number;
    /** the previous attempt's log record, marked Superseded once this one is claimed */
    previousId?: string;
    message: Omit<Outgoing, 'key'>;
}

export interface SendRun {
    o: SendOptions;
    campaign: CampaignRecord;
    channel: Channel;
    settings: CampaignsConfig;
    builder: CampaignReportBuilder;
    dir: string;
    members?: StagedMembers;
    consents: Map<string, Consent>;
    erased: Set<string>;
    users: Map<string, string>;
    log: Map<string, LogRecord>;
    usedToday: number;
    throttle?: Throttle;
    sender?: ChannelSender;
    journal?: Journal;
    /** dead runs' journals that were fully resolved: removed at the end */
    resolvedJournals: string[];
    queue?: NdjsonWriter<Queued>;
    queued: number;
    changes?: NdjsonWriter<SfRecord>;
    changed: number;
    /** log updates that did not reach the org: the journal is kept for the next run */
    unconfirmed: number;
    /** why members are no longer claimed on this run (cap, quiet hours, a stop) */
    deferral?: Deferral;
    stopped: boolean;
    done: number;
    /** sends of this run that failed or ended unknown (the breaker) */
    sendFailures: number;
    sendStartedAt?: number;
    lastProgressWrite: number;
}

export const nowOf = (run: SendRun) => (run.o.now ?? (() => new Date()))();

/** Records the member's status on this run; written back only when it differs from the org's. */
export async function setStatus(
    run: SendRun,
    member: Member,
    status: MemberStatus,
    reason = ''
): Promise<void> {
    const text = reason.slice(0, 255);
    if (member.status === status && member.reason === text && member.channel === run.channel)
        return;
    run.changed++;
    await run.changes!.write({
        Id: member.id,
        SendStatus__c: status,
        SendReason__c: text || null,
        SendChannel__c: run.channel,
        LastSendAt__c: nowOf(run).toISOString()
    });
}

/** The configured limits of the run's channel. */
export function channelLimits(run: SendRun): {
    ratePerMinute: number;
    dailyCap: number;
    concurrency: number;
    quietHours: { start: string; end: string } | null;
} {
    const s = run.settings;
    const c = run.channel === 'email' ? s.email : run.channel === 'sms' ? s.sms : s.push;
    if (!c) throw new Error(`campaigns.${run.channel} is not configured`);
    return c;
}
