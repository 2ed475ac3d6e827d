// The registry's identifier systems (docs/anagrafe-contract.md). The coded elements the worker
// maps (roles, categories, organisation types, consent purposes, channels, consent statuses)
// are vocabularies: vocabularies/definitions.ts and config `vocabularies`.

export const SYSTEM_ORG_CODE = 'urn:fse2:codice-ente';
export const SYSTEM_FLS = 'http://hl7.it/sid/fls';
export const SYSTEM_FISCAL_CODE = 'http://hl7.it/sid/codiceFiscale';

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
