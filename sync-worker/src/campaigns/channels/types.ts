// One channel as the send loop sees it: a batch of prepared messages in, one outcome each out.
import type { MergeValues } from '../templates.ts';
import type { UnsubscribeLinks } from '../unsubscribe.ts';
import type { Member, SendOutcome } from '../types.ts';

/** A message ready to go: content decided before the send is claimed. */
export interface Outgoing {
    /** SendLog__c.Key__c: also the SMTP envelope id (DSNs name it) and the SMS reference */
    key: string;
    member: Member;
    values: MergeValues;
    /** e-mail: the footer link and the List-Unsubscribe headers */
    unsubscribe?: UnsubscribeLinks;
    /** sms: the number (E.164) and the text */
    to?: string;
    text?: string;
    segments?: number;
    /** push: the recipient portal user */
    userId?: string;
}

export interface ChannelSender {
    /** messages per call to the channel (push: several inputs per request; e-mail, SMS: one) */
    readonly batchSize: number;
    /** checks the channel answers before anything is claimed (throws: nothing is sent) */
    verify(): Promise<void>;
    send(batch: readonly Outgoing[]): Promise<SendOutcome[]>;
    close(): Promise<void>;
}

/** A failure worth another try within the run, with backoff (the message was not accepted). */
export const retryable = (o: SendOutcome) => o.kind === 'failed' && o.retryable;
