// The registry's identifier systems (docs/anagrafe-contract.md). The coded elements the worker
// maps (roles, categories, organisation types, consent purposes, channels, consent statuses)
// are vocabularies: vocabularies/definitions.ts and config `vocabularies`.

export const SYSTEM_ORG_CODE = 'urn:fse2:codice-ente';
export const SYSTEM_FLS = 'http://hl7.it/sid/fls';
export const SYSTEM_FISCAL_CODE = 'http://hl7.it/sid/codiceFiscale';
