// The org's schema: built-in standard objects (the fields we use, with their real API names,
// types, lengths and key prefixes from the Salesforce Object Reference) plus the custom objects
// and fields declared in force-app/main/default/objects.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { metadataObjects } from './metadata.ts';

export type FieldType =
    | 'id'
    | 'string'
    | 'textarea'
    | 'email'
    | 'phone'
    | 'url'
    | 'picklist'
    | 'multipicklist'
    | 'boolean'
    | 'int'
    | 'double'
    | 'currency'
    | 'percent'
    | 'date'
    | 'datetime'
    | 'reference'
    | 'encryptedstring';

export interface FieldDef {
    name: string;
    label: string;
    type: FieldType;
    length: number;
    precision: number;
    scale: number;
    nillable: boolean;
    createable: boolean;
    updateable: boolean;
    defaultedOnCreate: boolean;
    /** Required on insert (not nillable, createable and without a default). */
    required: boolean;
    unique: boolean;
    caseSensitive: boolean;
    externalId: boolean;
    idLookup: boolean;
    autoNumber: boolean;
    calculated: boolean;
    custom: boolean;
    defaultValue: unknown;
    picklistValues: { value: string; label: string; active: boolean; defaultValue: boolean }[];
    restrictedPicklist: boolean;
    referenceTo: string[];
    relationshipName: string | null;
    /** master-detail: deleting the parent deletes the child; children lock the parent. */
    cascadeDelete: boolean;
    /** the parent's name for the children through this lookup (custom fields) */
    childRelationshipName?: string;
    /** a Rich Text Area (`Html`): describe says htmlFormatted, the org sanitises what it stores */
    htmlFormatted: boolean;
    /** master-detail: read access to the master is enough to create or edit the detail
     *  (CustomField `writeRequiresMasterRead`); otherwise edit access is needed */
    writeRequiresMasterRead?: boolean;
}

export interface ObjectDef {
    name: string;
    label: string;
    labelPlural: string;
    keyPrefix: string;
    custom: boolean;
    createable: boolean;
    updateable: boolean;
    deletable: boolean;
    fields: FieldDef[];
    /** lower-case field name -> field */
    byName: Map<string, FieldDef>;
    /** lower-case relationship name -> reference field */
    byRelationship: Map<string, FieldDef>;
    /** child relationships, filled once every object is known */
    childRelationships: {
        childSObject: string;
        field: string;
        relationshipName: string | null;
        cascadeDelete: boolean;
    }[];
    /** auto-number display format, e.g. "{00000000}" for CaseNumber */
    autoNumberFormat?: string;
    /** EntityDefinition / FieldDefinition: read-only rows describing the schema (metadata.ts) */
    metadata?: boolean;
    /** the field whose value names a row in its `attributes.url` instead of the Id */
    urlField?: string;
    /** custom objects: the organization-wide default of force-app's `<sharingModel>`
     *  (standard objects take theirs from permissions.ts) */
    sharingModel?: string;
}

export interface Schema {
    objects: Map<string, ObjectDef>; // lower-case name -> object
    byPrefix: Map<string, ObjectDef>;
    get(name: string): ObjectDef | undefined;
}

type FieldOpts = Partial<Omit<FieldDef, 'picklistValues'>> & {
    values?: string[];
    /** picklist labels by value (force-app's `<label>`); a value without one is its own label */
    valueLabels?: Record<string, string>;
    defaultPick?: string;
};

function labelOf(name: string): string {
    return name
        .replace(/__c$/, '')
        .replace(/Id$/, ' ID')
        .replace(/_/g, ' ')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .trim();
}

export function field(name: string, type: FieldType, opts: FieldOpts = {}): FieldDef {
    const textual = [
        'string',
        'textarea',
        'email',
        'phone',
        'url',
        'picklist',
        'multipicklist',
        'encryptedstring'
    ];
    const length =
        opts.length ??
        (type === 'id' || type === 'reference'
            ? 18
            : type === 'email' || type === 'url' || type === 'picklist' || type === 'multipicklist'
              ? type === 'multipicklist'
                  ? 4099
                  : 255
              : type === 'phone'
                ? 40
                : type === 'textarea'
                  ? 32000
                  : textual.includes(type)
                    ? 255
                    : 0);
    const nillable = opts.nillable ?? (type !== 'boolean' && type !== 'id');
    const createable = opts.createable ?? true;
    const defaultedOnCreate =
        opts.defaultedOnCreate ?? (type === 'boolean' || opts.defaultPick !== undefined);
    const values = opts.values ?? [];
    const f: FieldDef = {
        name,
        label: opts.label ?? labelOf(name),
        type,
        length,
        precision: opts.precision ?? 0,
        scale: opts.scale ?? 0,
        nillable,
        createable,
        updateable: opts.updateable ?? createable,
        defaultedOnCreate,
        required: false,
        unique: opts.unique ?? false,
        caseSensitive: opts.caseSensitive ?? false,
        externalId: opts.externalId ?? false,
        idLookup: opts.idLookup ?? (type === 'id' || opts.externalId === true),
        autoNumber: opts.autoNumber ?? false,
        calculated: opts.calculated ?? false,
        custom: opts.custom ?? name.endsWith('__c'),
        defaultValue:
            opts.defaultValue ?? (type === 'boolean' ? false : (opts.defaultPick ?? null)),
        picklistValues: values.map((v) => ({
            value: v,
            label: opts.valueLabels?.[v] ?? v,
            active: true,
            defaultValue: v === opts.defaultPick
        })),
        restrictedPicklist: opts.restrictedPicklist ?? false,
        referenceTo: opts.referenceTo ?? [],
        relationshipName:
            opts.relationshipName ??
            (type === 'reference' && name.endsWith('Id') ? name.slice(0, -2) : null),
        cascadeDelete: opts.cascadeDelete ?? false,
        htmlFormatted: opts.htmlFormatted ?? false
    };
    f.required = f.createable && !f.nillable && !f.defaultedOnCreate && type !== 'boolean';
    return f;
}

const ro = { createable: false, updateable: false };
const ref = (name: string, to: string | string[], opts: FieldOpts = {}) =>
    field(name, 'reference', { referenceTo: Array.isArray(to) ? to : [to], ...opts });

function systemFields(owned: boolean): FieldDef[] {
    const fields = [
        field('Id', 'id', { ...ro, nillable: false, label: 'Record ID' }),
        field('IsDeleted', 'boolean', { ...ro, label: 'Deleted' }),
        field('CreatedDate', 'datetime', { ...ro, nillable: false, defaultedOnCreate: true }),
        ref('CreatedById', 'User', {
            ...ro,
            nillable: false,
            defaultedOnCreate: true,
            relationshipName: 'CreatedBy'
        }),
        field('LastModifiedDate', 'datetime', { ...ro, nillable: false, defaultedOnCreate: true }),
        ref('LastModifiedById', 'User', {
            ...ro,
            nillable: false,
            defaultedOnCreate: true,
            relationshipName: 'LastModifiedBy'
        }),
        field('SystemModstamp', 'datetime', { ...ro, nillable: false, defaultedOnCreate: true })
    ];
    if (owned)
        fields.push(
            ref('OwnerId', ['User'], {
                nillable: false,
                defaultedOnCreate: true,
                relationshipName: 'Owner'
            })
        );
    return fields;
}

const address = (prefix: string): FieldDef[] => [
    field(`${prefix}Street`, 'textarea', { length: 255 }),
    field(`${prefix}City`, 'string', { length: 40 }),
    field(`${prefix}State`, 'string', { length: 80 }),
    field(`${prefix}PostalCode`, 'string', { length: 20 }),
    field(`${prefix}Country`, 'string', { length: 80 })
];

const CONTACT_POINT_TYPES = ['Email', 'MailingAddress', 'Phone', 'Social', 'Web'];

interface StdObject {
    name: string;
    keyPrefix: string;
    label: string;
    plural: string;
    owned: boolean;
    fields: FieldDef[];
    createable?: boolean;
    autoNumberFormat?: string;
}

/** Standard objects. Key prefixes: 001 Account, 003 Contact, 500 Case, 005 User, 00D Organization,
 * 701 Campaign, 00v CampaignMember, 00T Task, 0PK Individual, 0ZY ContactPointTypeConsent,
 * 0ZW DataUsePurpose, 0eB EngagementChannelType (see docs/org-emulator.md). */
function standardObjects(): StdObject[] {
    return [
        {
            name: 'Account',
            keyPrefix: '001',
            label: 'Account',
            plural: 'Accounts',
            owned: true,
            fields: [
                field('Name', 'string', { nillable: false, label: 'Account Name', length: 255 }),
                ref('ParentId', 'Account', { label: 'Parent Account ID' }),
                field('Type', 'picklist', {
                    label: 'Account Type',
                    values: [
                        'Prospect',
                        'Customer - Direct',
                        'Customer - Channel',
                        'Channel Partner / Reseller',
                        'Installation Partner',
                        'Technology Partner',
                        'Other'
                    ]
                }),
                field('AccountNumber', 'string', { length: 40 }),
                field('Site', 'string', { length: 80, label: 'Account Site' }),
                field('Industry', 'picklist', {
                    values: ['Healthcare', 'Government', 'Education', 'Other']
                }),
                field('Phone', 'phone', { label: 'Account Phone' }),
                field('Website', 'url'),
                field('Description', 'textarea', { label: 'Account Description' }),
                ...address('Billing'),
                ...address('Shipping')
            ]
        },
        {
            name: 'Contact',
            keyPrefix: '003',
            label: 'Contact',
            plural: 'Contacts',
            owned: true,
            fields: [
                ref('AccountId', 'Account', { label: 'Account ID' }),
                field('LastName', 'string', { nillable: false, length: 80, label: 'Last Name' }),
                field('FirstName', 'string', { length: 40, label: 'First Name' }),
                field('Salutation', 'picklist', { values: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] }),
                field('Name', 'string', {
                    ...ro,
                    nillable: false,
                    length: 121,
                    label: 'Full Name'
                }),
                field('Email', 'email'),
                field('Phone', 'phone', { label: 'Business Phone' }),
                field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
                field('Title', 'string', { length: 128 }),
                field('Department', 'string', { length: 80 }),
                field('Birthdate', 'date'),
                field('LeadSource', 'picklist', {
                    values: ['Web', 'Phone Inquiry', 'Partner Referral', 'Other']
                }),
                ref('ReportsToId', 'Contact', { label: 'Reports To ID' }),
                ref('IndividualId', 'Individual', { label: 'Individual ID' }),
                field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
                field('DoNotCall', 'boolean', { label: 'Do Not Call' }),
                field('Description', 'textarea', { label: 'Contact Description' }),
                ...address('Mailing')
            ]
        },
        {
            name: 'Case',
            keyPrefix: '500',
            label: 'Case',
            plural: 'Cases',
            owned: true,
            autoNumberFormat: '{00000000}',
            fields: [
                field('CaseNumber', 'string', {
                    ...ro,
                    nillable: false,
                    autoNumber: true,
                    length: 30,
                    label: 'Case Number',
                    defaultedOnCreate: true
                }),
                ref('ContactId', 'Contact', { label: 'Contact ID' }),
                ref('AccountId', 'Account', { label: 'Account ID' }),
                ref('ParentId', 'Case', { label: 'Parent Case ID' }),
                field('SuppliedName', 'string', { length: 80, label: 'Web Name' }),
                field('SuppliedEmail', 'email', { label: 'Web Email' }),
                field('SuppliedPhone', 'string', { length: 40, label: 'Web Phone' }),
                field('Type', 'picklist', {
                    label: 'Case Type',
                    values: ['Question', 'Problem', 'Feature Request']
                }),
                field('Status', 'picklist', {
                    values: ['New', 'Working', 'Escalated', 'Closed'],
                    defaultPick: 'New'
                }),
                field('Reason', 'picklist', {
                    label: 'Case Reason',
                    values: [
                        "User didn't attend training",
                        'Complex functionality',
                        'Existing problem',
                        'Instructions not clear',
                        'New problem',
                        'Other'
                    ]
                }),
                field('Origin', 'picklist', {
                    label: 'Case Origin',
                    values: ['Phone', 'Email', 'Web', 'Chat']
                }),
                field('Subject', 'string', { length: 255 }),
                field('Priority', 'picklist', {
                    values: ['High', 'Medium', 'Low'],
                    defaultPick: 'Medium'
                }),
                field('Description', 'textarea'),
                field('IsClosed', 'boolean', { ...ro, label: 'Closed' }),
                field('ClosedDate', 'datetime', { ...ro, label: 'Closed Date' }),
                field('IsEscalated', 'boolean', { label: 'Escalated' })
            ]
        },
        {
            name: 'User',
            keyPrefix: '005',
            label: 'User',
            plural: 'Users',
            owned: false,
            fields: [
                field('Username', 'string', {
                    nillable: false,
                    length: 80,
                    unique: true,
                    idLookup: true
                }),
                field('LastName', 'string', { nillable: false, length: 80, label: 'Last Name' }),
                field('FirstName', 'string', { length: 40, label: 'First Name' }),
                field('Name', 'string', {
                    ...ro,
                    nillable: false,
                    length: 121,
                    label: 'Full Name'
                }),
                field('Alias', 'string', { nillable: false, length: 8 }),
                field('Email', 'email', { nillable: false }),
                field('CommunityNickname', 'string', { length: 40, label: 'Nickname' }),
                field('IsActive', 'boolean', { label: 'Active' }),
                field('UserType', 'picklist', {
                    ...ro,
                    values: ['Standard', 'PowerCustomerSuccess', 'CspLitePortal']
                }),
                ref('ProfileId', 'Profile', { nillable: false, label: 'Profile ID' }),
                ref('ContactId', 'Contact', { label: 'Contact ID' }),
                field('TimeZoneSidKey', 'picklist', {
                    nillable: false,
                    label: 'Time Zone',
                    values: ['Europe/Rome', 'GMT']
                }),
                field('LocaleSidKey', 'picklist', {
                    nillable: false,
                    label: 'Locale',
                    values: ['it_IT', 'en_US']
                }),
                field('LanguageLocaleKey', 'picklist', {
                    nillable: false,
                    label: 'Language',
                    values: ['it', 'en_US']
                }),
                field('EmailEncodingKey', 'picklist', {
                    nillable: false,
                    label: 'Email Encoding',
                    values: ['UTF-8', 'ISO-8859-1']
                })
            ]
        },
        {
            name: 'Organization',
            keyPrefix: '00D',
            label: 'Organization',
            plural: 'Organizations',
            owned: false,
            createable: false,
            fields: [
                field('Name', 'string', { ...ro, nillable: false, length: 80 }),
                field('OrganizationType', 'picklist', {
                    ...ro,
                    label: 'Edition',
                    values: ['Enterprise Edition', 'Developer Edition', 'Unlimited Edition']
                }),
                field('IsSandbox', 'boolean', ro),
                field('InstanceName', 'string', { ...ro, length: 5 }),
                field('NamespacePrefix', 'string', { ...ro, length: 15 }),
                field('TrialExpirationDate', 'datetime', ro),
                field('LanguageLocaleKey', 'picklist', { ...ro, values: ['it', 'en_US'] }),
                field('TimeZoneSidKey', 'picklist', { ...ro, values: ['Europe/Rome', 'GMT'] }),
                field('DefaultLocaleSidKey', 'picklist', { ...ro, values: ['it_IT', 'en_US'] })
            ]
        },
        {
            name: 'Individual',
            keyPrefix: '0PK',
            label: 'Individual',
            plural: 'Individuals',
            owned: true,
            fields: [
                field('LastName', 'string', { nillable: false, length: 80, label: 'Last Name' }),
                field('FirstName', 'string', { length: 40, label: 'First Name' }),
                field('Salutation', 'picklist', { values: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] }),
                field('Name', 'string', {
                    ...ro,
                    nillable: false,
                    length: 121,
                    label: 'Full Name'
                }),
                field('BirthDate', 'date'),
                field('HasOptedOutTracking', 'boolean', { label: "Don't Track" }),
                field('HasOptedOutProfiling', 'boolean', { label: "Don't Profile" }),
                field('HasOptedOutProcessing', 'boolean', { label: "Don't Process" }),
                field('HasOptedOutSolicit', 'boolean', { label: "Don't Market" }),
                field('ShouldForget', 'boolean', { label: 'Forget this Individual' }),
                field('SendIndividualData', 'boolean', { label: "Export Individual's Data" }),
                field('CanStorePiiElsewhere', 'boolean', {
                    label: 'OK to Store PII Data Elsewhere'
                }),
                field('HasOptedOutGeoTracking', 'boolean', { label: "Don't Track Location" })
            ]
        },
        {
            // owned: the Object Reference lists OwnerId (Group, User) and a
            // DataUsePurposeOwnerSharingRule object, so records have an owner and sharing
            name: 'DataUsePurpose',
            keyPrefix: '0ZW',
            label: 'Data Use Purpose',
            plural: 'Data Use Purposes',
            owned: true,
            fields: [
                field('Name', 'string', { nillable: false, length: 255 }),
                field('Description', 'textarea', { length: 1000 }),
                field('CanDataSubjectOptOut', 'boolean', { label: 'Can Data Subject Opt Out' }),
                ref('LegalBasisId', 'DataUseLegalBasis', { label: 'Legal Basis ID' }),
                ref('PurposeId', 'DataUsePurpose', { label: 'Purpose ID' })
            ]
        },
        {
            name: 'EngagementChannelType',
            keyPrefix: '0eB',
            label: 'Engagement Channel Type',
            plural: 'Engagement Channel Types',
            owned: true,
            fields: [
                field('Name', 'string', { nillable: false, length: 255 }),
                field('ContactPointType', 'picklist', {
                    values: CONTACT_POINT_TYPES,
                    restrictedPicklist: true
                }),
                field('IsActive', 'boolean', { label: 'Active' }),
                field('Description', 'textarea', { length: 1000 })
            ]
        },
        {
            name: 'ContactPointTypeConsent',
            keyPrefix: '0ZY',
            label: 'Contact Point Type Consent',
            plural: 'Contact Point Type Consents',
            owned: true,
            fields: [
                field('Name', 'string', { nillable: false, length: 255 }),
                ref('PartyId', 'Individual', { nillable: false, label: 'Party ID' }),
                field('ContactPointType', 'picklist', {
                    values: CONTACT_POINT_TYPES,
                    restrictedPicklist: true,
                    label: 'Contact Point Type'
                }),
                ref('DataUsePurposeId', 'DataUsePurpose', { label: 'Data Use Purpose ID' }),
                ref('EngagementChannelTypeId', 'EngagementChannelType', {
                    label: 'Engagement Channel Type ID'
                }),
                field('PrivacyConsentStatus', 'picklist', {
                    values: ['NotSeen', 'Seen', 'OptIn', 'OptOut'],
                    restrictedPicklist: true,
                    label: 'Privacy Consent Status'
                }),
                field('EffectiveFrom', 'datetime'),
                field('EffectiveTo', 'datetime'),
                field('CaptureDate', 'datetime'),
                field('CaptureSource', 'string', { length: 255 }),
                field('CaptureContactPointType', 'picklist', {
                    values: CONTACT_POINT_TYPES,
                    restrictedPicklist: true
                }),
                field('DoubleConsentCaptureDate', 'datetime')
            ]
        },
        {
            name: 'Campaign',
            keyPrefix: '701',
            label: 'Campaign',
            plural: 'Campaigns',
            owned: true,
            fields: [
                field('Name', 'string', { nillable: false, length: 80, label: 'Campaign Name' }),
                ref('ParentId', 'Campaign', { label: 'Parent Campaign ID' }),
                field('Type', 'picklist', {
                    values: [
                        'Email',
                        'Webinar',
                        'Conference',
                        'Advertisement',
                        'Direct Mail',
                        'Other'
                    ]
                }),
                field('Status', 'picklist', {
                    values: ['Planned', 'In Progress', 'Completed', 'Aborted']
                }),
                field('StartDate', 'date'),
                field('EndDate', 'date'),
                field('IsActive', 'boolean', { label: 'Active' }),
                field('Description', 'textarea')
            ]
        },
        {
            name: 'CampaignMember',
            keyPrefix: '00v',
            label: 'Campaign Member',
            plural: 'Campaign Members',
            owned: false,
            fields: [
                ref('CampaignId', 'Campaign', {
                    nillable: false,
                    updateable: false,
                    label: 'Campaign ID'
                }),
                ref('ContactId', 'Contact', { updateable: false, label: 'Contact ID' }),
                ref('LeadId', 'Lead', { updateable: false, label: 'Lead ID' }),
                field('Status', 'picklist', {
                    values: ['Planned', 'Received', 'Responded', 'Sent']
                }),
                field('HasResponded', 'boolean', { ...ro, label: 'Responded' }),
                field('FirstRespondedDate', 'date', ro)
            ]
        },
        {
            name: 'Task',
            keyPrefix: '00T',
            label: 'Task',
            plural: 'Tasks',
            owned: true,
            fields: [
                ref('WhoId', ['Contact', 'Lead'], { label: 'Name ID', relationshipName: 'Who' }),
                ref('WhatId', ['Account', 'Case', 'Campaign'], {
                    label: 'Related To ID',
                    relationshipName: 'What'
                }),
                field('Subject', 'string', { length: 255 }),
                field('ActivityDate', 'date', { label: 'Due Date Only' }),
                field('Status', 'picklist', {
                    nillable: false,
                    values: [
                        'Not Started',
                        'In Progress',
                        'Completed',
                        'Waiting on someone else',
                        'Deferred'
                    ],
                    defaultPick: 'Not Started'
                }),
                field('Priority', 'picklist', {
                    nillable: false,
                    values: ['High', 'Normal', 'Low'],
                    defaultPick: 'Normal'
                }),
                field('Type', 'picklist', { values: ['Call', 'Email', 'Meeting', 'Other'] }),
                field('TaskSubtype', 'picklist', {
                    values: ['Task', 'Email', 'Call'],
                    updateable: false
                }),
                field('Description', 'textarea', { label: 'Comments' }),
                field('IsClosed', 'boolean', { ...ro, label: 'Closed' }),
                field('CallDurationInSeconds', 'int', { precision: 9, label: 'Call Duration' })
            ]
        }
    ];
}

function buildObject(
    name: string,
    keyPrefix: string,
    label: string,
    plural: string,
    custom: boolean,
    fields: FieldDef[],
    createable = true,
    autoNumberFormat?: string
): ObjectDef {
    const obj: ObjectDef = {
        name,
        label,
        labelPlural: plural,
        keyPrefix,
        custom,
        createable,
        updateable: createable,
        deletable: createable,
        fields: [],
        byName: new Map(),
        byRelationship: new Map(),
        childRelationships: [],
        autoNumberFormat
    };
    for (const f of fields) addField(obj, f);
    return obj;
}

function addField(obj: ObjectDef, f: FieldDef): void {
    const existing = obj.byName.get(f.name.toLowerCase());
    if (existing) obj.fields[obj.fields.indexOf(existing)] = f;
    else obj.fields.push(f);
    obj.byName.set(f.name.toLowerCase(), f);
    if (f.type === 'reference' && f.relationshipName)
        obj.byRelationship.set(f.relationshipName.toLowerCase(), f);
}

// ---- force-app metadata ----------------------------------------------------------------

const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (tagName) => ['value', 'fields', 'referenceTo', 'customValue'].includes(tagName)
});

const asBool = (v: unknown) => String(v).trim() === 'true';
const asNum = (v: unknown, d: number) => (v === undefined || v === '' ? d : Number(v));

/** A picklist value in a field's valueSetDefinition or a global value set. */
interface PicklistValueXml {
    fullName?: string;
    default?: string;
    label?: string;
}

/** A CustomField document (fast-xml-parser output: every leaf is a string). */
export interface CustomFieldXml {
    fullName?: string;
    type?: string;
    label?: string;
    required?: string;
    unique?: string;
    caseSensitive?: string;
    externalId?: string;
    formula?: string;
    precision?: string;
    scale?: string;
    length?: string;
    defaultValue?: string;
    valueSet?: {
        valueSetName?: string;
        restricted?: string;
        valueSetDefinition?: { value?: PicklistValueXml[] };
    };
    referenceTo?: string[];
    deleteConstraint?: string;
    reparentableMasterDetail?: string;
    relationshipName?: string;
    writeRequiresMasterRead?: string;
}

/** The parts of a CustomObject document that the emulator reads. */
interface CustomObjectXml {
    label?: string;
    pluralLabel?: string;
    sharingModel?: string;
    nameField?: { type?: string; label?: string; displayFormat?: string };
}

/** A metadata file: one root element. */
interface MetadataXml {
    CustomField?: CustomFieldXml;
    CustomObject?: CustomObjectXml;
    GlobalValueSet?: { customValue?: PicklistValueXml[] };
}

function readXml(path: string): MetadataXml | null {
    try {
        return xml.parse(readFileSync(path, 'utf8')) as MetadataXml;
    } catch {
        return null;
    }
}

function globalValues(root: string, setName: string): PicklistValueXml[] {
    const path = join(root, 'globalValueSets', `${setName}.globalValueSet-meta.xml`);
    const doc = readXml(path)?.GlobalValueSet;
    return doc?.customValue ?? [];
}

/** Converts a CustomField document into a FieldDef; null for what the emulator cannot store. */
export function customField(doc: CustomFieldXml, root: string): FieldDef | null {
    const name = String(doc.fullName ?? '').trim();
    if (!name) return null;
    const type = String(doc.type ?? '');
    const label = doc.label ? String(doc.label) : labelOf(name);
    const required = asBool(doc.required);
    const base: FieldOpts = {
        label,
        custom: true,
        nillable: !required,
        unique: asBool(doc.unique),
        caseSensitive: asBool(doc.caseSensitive),
        externalId: asBool(doc.externalId)
    };
    if (doc.formula !== undefined)
        return field(name, mapType(type), {
            ...base,
            ...ro,
            nillable: true,
            calculated: true,
            precision: asNum(doc.precision, 18),
            scale: asNum(doc.scale, 0),
            length: asNum(doc.length, 1300)
        });
    switch (type) {
        case 'Text':
            return field(name, 'string', { ...base, length: asNum(doc.length, 255) });
        case 'EncryptedText':
            return field(name, 'encryptedstring', { ...base, length: asNum(doc.length, 175) });
        case 'TextArea':
            return field(name, 'textarea', { ...base, length: 255 });
        case 'LongTextArea':
            return field(name, 'textarea', { ...base, length: asNum(doc.length, 32768) });
        case 'Html':
            return field(name, 'textarea', {
                ...base,
                length: asNum(doc.length, 32768),
                htmlFormatted: true
            });
        case 'Email':
            return field(name, 'email', { ...base, length: 80 });
        case 'Phone':
            return field(name, 'phone', { ...base, length: 40 });
        case 'Url':
            return field(name, 'url', { ...base, length: 255 });
        case 'Checkbox':
            return field(name, 'boolean', {
                ...base,
                nillable: false,
                defaultValue: asBool(doc.defaultValue)
            });
        case 'Number':
        case 'Currency':
        case 'Percent':
            return field(name, type === 'Number' ? 'double' : (type.toLowerCase() as FieldType), {
                ...base,
                precision: asNum(doc.precision, 18),
                scale: asNum(doc.scale, 0)
            });
        case 'Date':
            return field(name, 'date', base);
        case 'DateTime':
            return field(name, 'datetime', base);
        case 'AutoNumber':
            return field(name, 'string', {
                ...base,
                ...ro,
                nillable: false,
                autoNumber: true,
                defaultedOnCreate: true,
                length: 30
            });
        case 'Picklist':
        case 'MultiselectPicklist': {
            const vs = doc.valueSet ?? {};
            const values: string[] = [];
            let defaultPick: string | undefined;
            // describe's picklistValues carry each value's label (REST API, "sObject Describe":
            // picklistValues[].label and .value), as force-app declares them
            const valueLabels: Record<string, string> = {};
            const declared = vs.valueSetName
                ? globalValues(root, String(vs.valueSetName))
                : (vs.valueSetDefinition?.value ?? []);
            for (const v of declared) {
                values.push(String(v.fullName));
                if (v.label !== undefined) valueLabels[String(v.fullName)] = String(v.label);
                if (!vs.valueSetName && asBool(v.default)) defaultPick = String(v.fullName);
            }
            return field(name, type === 'Picklist' ? 'picklist' : 'multipicklist', {
                ...base,
                values,
                valueLabels,
                defaultPick,
                // global value sets are always restricted
                restrictedPicklist: asBool(vs.restricted) || Boolean(vs.valueSetName)
            });
        }
        case 'Lookup':
        case 'MasterDetail': {
            const to = ([] as string[]).concat(doc.referenceTo ?? []).map(String);
            const md = type === 'MasterDetail';
            const f = ref(name, to, {
                ...base,
                nillable: md ? false : !required,
                relationshipName: name.replace(/__c$/, '__r'),
                cascadeDelete: md || doc.deleteConstraint === 'Cascade',
                updateable: md ? asBool(doc.reparentableMasterDetail) : true
            });
            if (doc.relationshipName)
                f.childRelationshipName = `${String(doc.relationshipName)}__r`;
            if (md) f.writeRequiresMasterRead = asBool(doc.writeRequiresMasterRead);
            return f;
        }
        default:
            return null;
    }
}

function mapType(type: string): FieldType {
    const map: Record<string, FieldType> = {
        Text: 'string',
        Number: 'double',
        Currency: 'currency',
        Percent: 'percent',
        Checkbox: 'boolean',
        Date: 'date',
        DateTime: 'datetime'
    };
    return map[type] ?? 'string';
}

export function loadSchema(metadataDir: string | undefined): Schema {
    const objects = new Map<string, ObjectDef>();
    for (const s of standardObjects()) {
        const fields = [...systemFields(s.owned), ...s.fields];
        objects.set(
            s.name.toLowerCase(),
            buildObject(
                s.name,
                s.keyPrefix,
                s.label,
                s.plural,
                false,
                fields,
                s.createable ?? true,
                s.autoNumberFormat
            )
        );
    }
    const root = metadataDir ? findDefaultDir(metadataDir) : null;
    const objectsDir = root ? join(root, 'objects') : null;
    if (objectsDir && existsSync(objectsDir)) {
        const dirs = readdirSync(objectsDir, { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => d.name)
            .sort();
        let customIndex = 0;
        for (const dir of dirs) {
            // custom settings, metadata types, platform events and big objects are not records here
            if (/__(mdt|e|b|x|kav)$/.test(dir)) continue;
            let obj = objects.get(dir.toLowerCase());
            if (!obj) {
                if (!dir.endsWith('__c')) continue; // a standard object we do not emulate
                const doc =
                    readXml(join(objectsDir, dir, `${dir}.object-meta.xml`))?.CustomObject ?? {};
                const label = doc.label ? String(doc.label) : labelOf(dir);
                const nameField = doc.nameField ?? { type: 'Text', label: 'Name' };
                const auto = String(nameField.type) === 'AutoNumber';
                const nameDef = field('Name', 'string', {
                    label: nameField.label ? String(nameField.label) : `${label} Name`,
                    length: 80,
                    nillable: auto,
                    ...(auto
                        ? { ...ro, autoNumber: true, defaultedOnCreate: true, nillable: false }
                        : {}),
                    custom: false
                });
                const prefix = 'a0' + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[customIndex++ % 36];
                const detail = String(doc.sharingModel ?? '') === 'ControlledByParent';
                obj = buildObject(
                    dir,
                    prefix,
                    label,
                    doc.pluralLabel ? String(doc.pluralLabel) : label,
                    true,
                    [...systemFields(!detail), nameDef],
                    true,
                    auto ? String(nameField.displayFormat ?? '{0}') : undefined
                );
                if (doc.sharingModel) obj.sharingModel = String(doc.sharingModel);
                objects.set(dir.toLowerCase(), obj);
            }
            const fieldsDir = join(objectsDir, dir, 'fields');
            if (!existsSync(fieldsDir)) continue;
            for (const file of readdirSync(fieldsDir).sort()) {
                if (!file.endsWith('.field-meta.xml')) continue;
                const doc = readXml(join(fieldsDir, file))?.CustomField;
                if (!doc) continue;
                if (!doc.fullName) doc.fullName = file.replace(/\.field-meta\.xml$/, '');
                const f = customField(doc, root!);
                if (f) addField(obj, f);
            }
        }
    }
    for (const o of metadataObjects()) objects.set(o.name.toLowerCase(), o);
    const byPrefix = new Map<string, ObjectDef>();
    for (const o of objects.values()) byPrefix.set(o.keyPrefix, o);
    for (const o of objects.values()) {
        for (const f of o.fields) {
            if (f.type !== 'reference' || f.name === 'CreatedById' || f.name === 'LastModifiedById')
                continue;
            for (const to of f.referenceTo) {
                const parent = objects.get(to.toLowerCase());
                if (!parent) continue;
                const relName =
                    f.childRelationshipName ??
                    (f.custom
                        ? `${o.name.replace(/__c$/, '')}s__r`
                        : o.labelPlural.replace(/\s/g, ''));
                parent.childRelationships.push({
                    childSObject: o.name,
                    field: f.name,
                    relationshipName: relName,
                    cascadeDelete: f.cascadeDelete
                });
            }
        }
    }
    return { objects, byPrefix, get: (name: string) => objects.get(name.toLowerCase()) };
}

function findDefaultDir(metadataDir: string): string | null {
    for (const candidate of [join(metadataDir, 'main', 'default'), metadataDir]) {
        if (existsSync(join(candidate, 'objects'))) return candidate;
    }
    return null;
}
