// The coded elements the worker maps (docs/anagrafe-contract.md, "Vocabularies"): for each, the
// Salesforce picklist whose values (API names and labels) it matches, the registry's coding
// system, and the built-in defaults that config/sync.config.json `vocabularies` extends.

export const VOCABULARY_NAMES = [
    'fseRole',
    'targetCategory',
    'orgType',
    'consentPurpose',
    'channel',
    'consentStatus'
] as const;

export type VocabularyName = (typeof VOCABULARY_NAMES)[number];

export interface VocabularyDefinition {
    name: VocabularyName;
    /** what reports call it: "unknown target category 'X'" */
    label: string;
    /** `Object.Field`: the picklist whose values the codes map to */
    field: string;
    /** the coding system (or extension URL) the code is read from; undefined: see the mapper */
    system?: string;
    /** registry code -> Salesforce value, before the configuration's own entries */
    map?: Readonly<Record<string, string>>;
    /** the value of codes nothing matches (instead of a reject), unless the config says null */
    fallback?: string;
}

export const VOCABULARIES: Readonly<Record<VocabularyName, VocabularyDefinition>> = {
    fseRole: {
        name: 'fseRole',
        label: 'FSE role',
        field: 'Contact.FseRole__c',
        system: 'urn:fse2:ruolo'
    },
    targetCategory: {
        name: 'targetCategory',
        label: 'target category',
        field: 'Contact.TargetCategory__c',
        system: 'urn:fse2:categoria-target'
    },
    orgType: {
        name: 'orgType',
        label: 'organisation type',
        field: 'Account.OrgType__c',
        // no system by default: the first coding of Organization.type (contract)
        system: undefined,
        // the contract: ATS, ASST, IRCCS, AREU; anything else is ALTRO
        fallback: 'ALTRO'
    },
    consentPurpose: {
        name: 'consentPurpose',
        label: 'consent purpose',
        // DataUsePurpose.PurposeCode__c holds these codes (= Campaign.Purpose__c values)
        field: 'Campaign.Purpose__c',
        system: 'urn:fse2:finalita'
    },
    channel: {
        name: 'channel',
        label: 'channel',
        // EngagementChannelType.ChannelCode__c holds these codes (= Campaign.Channel__c values)
        field: 'Campaign.Channel__c',
        // FHIR R4 Consent has no channel element: an extension carries it (docs/domain.md)
        system: 'urn:fse2:canale'
    },
    consentStatus: {
        name: 'consentStatus',
        label: 'consent status',
        field: 'ContactPointTypeConsent.PrivacyConsentStatus',
        // Consent.status (FHIR R4 consent-state-codes); provision.type deny always gives OptOut
        map: { active: 'OptIn', inactive: 'OptOut' }
    }
};

/** `Contact.FseRole__c` -> ['Contact', 'FseRole__c'] */
export function splitField(field: string): [string, string] {
    const dot = field.indexOf('.');
    return [field.slice(0, dot), field.slice(dot + 1)];
}
