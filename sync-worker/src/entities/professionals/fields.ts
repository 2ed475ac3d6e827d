// The Contact fields a professional's record writes, with their types and lengths.
import { field, FieldSet } from '../fields.ts';

/** The professional's organisation, set through the Account's external id. */
const ORGANIZATION = field.reference('Account', 'OrgCode__c');

/** The relationship column of the professional's organisation (`Account.OrgCode__c`). */
export const ORGANIZATION_COLUMN = ORGANIZATION.name;

export const CONTACT_FIELDS = new FieldSet([
    field.text('FiscalCode__c'),
    field.text('LastName', 80),
    field.text('FirstName', 40),
    field.text('Email', 80),
    field.text('MobilePhone', 40),
    field.date('Birthdate'),
    field.picklist('RegistryStatus__c'),
    field.datetime('RegistryLastUpdated__c'),
    field.picklist('FseRole__c'),
    field.picklist('TargetCategory__c'),
    ORGANIZATION,
    // the subject key and the fingerprint of the key that made it, on every Contact the sync
    // writes when it has the key (docs/privacy.md, "Subject key: worker side"); hashed with the
    // rest, so a Contact stamped with another key is written again
    field.text('SubjectKey__c', 64),
    field.text('SubjectKeyFingerprint__c', 16)
]);
