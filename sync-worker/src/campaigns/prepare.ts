// Before anything is read or written: the campaign, the channel it goes out on, its templates
// checked (merge fields, no fiscal code, lengths), the channel configured. Every problem here is
// a ConfigError: exit 2, nothing claimed or sent.
import { ConfigError } from '../config/errors.ts';
import type { CampaignsConfig, SyncConfig } from '../config/schema.ts';
import type { SfClient } from '../salesforce/http.ts';
import { findCampaign, type CampaignRecord } from './campaign-record.ts';
import { checkTemplates, EmailBody, fieldsUsed, type TemplateText } from './templates.ts';
import { CHANNELS, type Channel } from './types.ts';

export interface PreparedCampaign {
    campaign: CampaignRecord;
    channel: Channel;
    settings: CampaignsConfig;
    /** e-mail only: the body rendered once */
    emailBody?: EmailBody;
}

function channelOf(campaign: CampaignRecord, flag: string | undefined): Channel {
    const chosen = flag ?? campaign.channel;
    if (!chosen)
        throw new ConfigError(
            `campaign ${campaign.name} has no channel (Canale): pass --channel email|sms|push`
        );
    if (chosen === 'phone')
        throw new ConfigError(
            `campaign ${campaign.name} is a phone campaign: calls stay with the agents (the call list on the campaign page, consoleCampaignCallList); --channel email|sms|push sends on another channel`
        );
    if (!(CHANNELS as readonly string[]).includes(chosen))
        throw new ConfigError(`unknown channel "${chosen}": use email, sms or push`);
    return chosen as Channel;
}

function templatesOf(c: CampaignRecord, channel: Channel): TemplateText[] {
    const need = (field: string, text: string) => {
        if (!text.trim())
            throw new ConfigError(
                `campaign ${c.name}: ${field} is empty: write the ${channel} text on the campaign before sending`
            );
    };
    if (channel === 'email') {
        need('Campaign.EmailSubject__c', c.emailSubject);
        need('Campaign.EmailBody__c', c.emailBody);
        return [
            { field: 'Campaign.EmailSubject__c', text: c.emailSubject },
            { field: 'Campaign.EmailBody__c', text: c.emailBody }
        ];
    }
    if (channel === 'sms') {
        need('Campaign.SmsBody__c', c.smsBody);
        return [{ field: 'Campaign.SmsBody__c', text: c.smsBody }];
    }
    need('Campaign.PushTitle__c', c.pushTitle);
    need('Campaign.PushBody__c', c.pushBody);
    return [
        { field: 'Campaign.PushTitle__c', text: c.pushTitle },
        { field: 'Campaign.PushBody__c', text: c.pushBody }
    ];
}

/** The campaign, its channel and checked templates; ConfigError (exit 2) on any problem. */
export async function prepareCampaign(
    client: SfClient,
    config: SyncConfig,
    ref: string,
    flagChannel?: string
): Promise<PreparedCampaign> {
    const settings = config.campaigns;
    if (!settings)
        throw new ConfigError('no "campaigns" section in the configuration: see docs/campaigns.md');
    const campaign = await findCampaign(client, ref);
    const channel = channelOf(campaign, flagChannel);
    if (!campaign.purpose)
        throw new ConfigError(
            `campaign ${campaign.name} has no purpose (Finalità): consent cannot be checked`
        );
    if (channel === 'email' && !settings.email)
        throw new ConfigError('campaigns.email is not configured (the SMTP relay)');
    if (channel === 'sms' && !settings.sms)
        throw new ConfigError('campaigns.sms is not configured (the SMS gateway)');
    const texts = templatesOf(campaign, channel);
    checkTemplates(texts, campaign.name);
    if (texts.some((t) => fieldsUsed(t.text).has('course')) && !campaign.courseName)
        throw new ConfigError(
            `campaign ${campaign.name}: the template uses {{course}} but the campaign has no course (Corso)`
        );
    return {
        campaign,
        channel,
        settings,
        emailBody: channel === 'email' ? new EmailBody(campaign.emailBody) : undefined
    };
}
