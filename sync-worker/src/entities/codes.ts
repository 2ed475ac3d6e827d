// The registry's code systems and the value sets they map to (docs/anagrafe-contract.md).

export const SYSTEM_ORG_CODE = 'urn:fse2:codice-ente';
export const SYSTEM_FLS = 'http://hl7.it/sid/fls';
export const SYSTEM_FISCAL_CODE = 'http://hl7.it/sid/codiceFiscale';
export const SYSTEM_ROLE = 'urn:fse2:ruolo';
export const SYSTEM_TARGET_CATEGORY = 'urn:fse2:categoria-target';
export const ORG_TYPES = ['ATS', 'ASST', 'IRCCS', 'AREU'] as const;
/** FSE 2.0 gateway role codes for professionals (docs/domain.md). */
export const FSE_ROLES = [
    'APR',
    'AAS',
    'DRS',
    'INF',
    'FAR',
    'PSS',
    'DSA',
    'DAM',
    'OAM',
    'RSA',
    'MRP'
];

/** Values of the restricted picklist Contact.TargetCategory__c (global value set FseTargetCategory). */
export const TARGET_CATEGORIES = [
    'MMG',
    'PLS',
    'MedicoOspedaliero',
    'SpecialistaAmbulatoriale',
    'Infermiere',
    'Ostetrica',
    'TecnicoSanitario',
    'Farmacista',
    'OperatoreAccoglienza',
    'Amministrativo',
    'Dirigente',
    'Formatore'
];
