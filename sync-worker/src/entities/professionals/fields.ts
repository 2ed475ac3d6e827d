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
    ORGANIZATION
]);
