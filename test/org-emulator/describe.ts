// describeGlobal / describeSObject bodies built from the schema, as one user sees it: only the
// objects the user can read, only the fields field-level security lets them read, and
// createable/updateable as their permissions allow (permissions.ts).
import { permissionable } from './permissions.ts';
import type { FieldDef, ObjectDef } from './schema.ts';

function objectFlags(o: ObjectDef, version: string) {
    const base = `/services/data/v${version}/sobjects/${o.name}`;
    return {
        activateable: false,
        createable: o.createable,
        custom: o.custom,
        customSetting: false,
        deletable: o.deletable,
        deprecatedAndHidden: false,
        feedEnabled: false,
        keyPrefix: o.keyPrefix,
        label: o.label,
        labelPlural: o.labelPlural,
        layoutable: true,
        mergeable: o.name === 'Account' || o.name === 'Contact',
        name: o.name,
        queryable: true,
        replicateable: true,
        retrieveable: true,
        searchable: true,
        triggerable: true,
        undeletable: o.deletable,
        updateable: o.updateable,
        urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` }
    };
}

export function describeGlobal(objects: readonly ObjectDef[], version: string) {
    return {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [...objects]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((o) => objectFlags(o, version))
    };
}

const SOAP: Record<string, string> = {
    id: 'tns:ID',
    reference: 'tns:ID',
    boolean: 'xsd:boolean',
    int: 'xsd:int',
    double: 'xsd:double',
    currency: 'xsd:double',
    percent: 'xsd:double',
    date: 'xsd:date',
    datetime: 'xsd:dateTime'
};

function describeField(o: ObjectDef, f: FieldDef, editable: boolean) {
    const text = [
        'string',
        'textarea',
        'email',
        'phone',
        'url',
        'picklist',
        'multipicklist',
        'encryptedstring',
        'id',
        'reference'
    ].includes(f.type);
    return {
        autoNumber: f.autoNumber,
        byteLength: text ? f.length * 3 : 0,
        calculated: f.calculated,
        caseSensitive: f.caseSensitive,
        createable: f.createable && editable,
        custom: f.custom,
        defaultValue: f.type === 'boolean' ? Boolean(f.defaultValue) : null,
        defaultedOnCreate: f.defaultedOnCreate,
        digits: f.type === 'int' ? f.precision || 9 : 0,
        externalId: f.externalId,
        extraTypeInfo: f.htmlFormatted ? 'richtextarea' : null,
        filterable: f.type !== 'textarea' || f.length <= 255,
        htmlFormatted: f.htmlFormatted,
        groupable: ![
            'textarea',
            'double',
            'currency',
            'percent',
            'datetime',
            'multipicklist'
        ].includes(f.type),
        idLookup: f.idLookup,
        label: f.label,
        length: text ? f.length : 0,
        name: f.name,
        nameField: f.name === 'Name',
        nillable: f.nillable,
        permissionable: permissionable(o, f),
        picklistValues: f.picklistValues.map((p) => ({
            active: p.active,
            defaultValue: p.defaultValue,
            label: p.label,
            validFor: null,
            value: p.value
        })),
        precision: ['double', 'currency', 'percent'].includes(f.type) ? f.precision : 0,
        referenceTo: f.referenceTo,
        relationshipName: f.relationshipName,
        restrictedPicklist: f.restrictedPicklist,
        scale: f.scale,
        soapType: SOAP[f.type] ?? 'xsd:string',
        sortable: f.type !== 'textarea' && f.type !== 'multipicklist',
        type: f.type,
        unique: f.unique,
        updateable: f.updateable && editable,
        cascadeDelete: f.cascadeDelete
    };
}

export function describeSObject(
    o: ObjectDef,
    version: string,
    editable: (f: FieldDef) => boolean = () => true
) {
    return {
        ...objectFlags(o, version),
        childRelationships: o.childRelationships.map((c) => ({
            cascadeDelete: c.cascadeDelete,
            childSObject: c.childSObject,
            deprecatedAndHidden: false,
            field: c.field,
            relationshipName: c.relationshipName,
            restrictedDelete: false
        })),
        fields: o.fields.map((f) => describeField(o, f, editable(f))),
        recordTypeInfos: [],
        supportedScopes: [{ label: 'All', name: 'everything' }]
    };
}

export function basicInfo(o: ObjectDef, version: string) {
    return { objectDescribe: objectFlags(o, version), recentItems: [] };
}
