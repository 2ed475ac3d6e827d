// EntityDefinition and FieldDefinition: row-based access to the org's metadata about its
// objects and fields, queryable with SOQL through /query (and /tooling/query). They are built
// from the emulator's schema (standard objects and force-app) and are read-only.
//
// Salesforce: Tooling API Developer Guide and Object Reference, "EntityDefinition" (API 32.0+,
// "Provides row-based access to metadata about standard and custom objects"; supported REST
// method: query) and "FieldDefinition" ("Represents a standard or custom field, providing
// row-based access to field metadata"; the EntityDefinition relationship can be used in queries,
// e.g. `WHERE EntityDefinition.QualifiedApiName = 'Account'`). Field lists: Salesforce Field
// Reference, EntityDefinition and FieldDefinition.
//   https://developer.salesforce.com/docs/platform/api-tooling/references/tooling-objects/tooling-entitydefinition.html
//   https://developer.salesforce.com/docs/atlas.en-us.228.0.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_EntityDefinition.htm
//   https://developer.salesforce.com/docs/atlas.en-us.228.0.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_FieldDefinition.htm
//
// What the clients we know read: SFDMU 3.7 `SELECT QualifiedApiName, Label FROM EntityDefinition
// WHERE IsDeprecatedAndHidden = false ORDER BY QualifiedApiName` (its list of the org's objects);
// SFDMU 5 `SELECT QualifiedApiName FROM FieldDefinition WHERE EntityDefinitionId = '<object>' AND
// IsPolymorphicForeignKey = true`.
//
// Approximations (not checked against a real org): DurableId of a custom object is an 01I id and
// of a custom field `<01I id>.<00N id>` (standard ones use the API names, as in an org);
// DataType texts follow the Setup labels ("Text(80)", "Lookup(Account)", "Date/Time"); the Id of
// every row is an emulator id (an org answers 000000000000000AAA); ReferenceTo (a complex value)
// and the other relationship fields are not emulated.
import { makeId } from './ids.ts';
import { field, type FieldDef, type ObjectDef } from './schema.ts';
import type { Store, Value } from './store.ts';

export const ENTITY_DEFINITION = 'EntityDefinition';
export const FIELD_DEFINITION = 'FieldDefinition';

const ro = { createable: false, updateable: false } as const;
const text = (name: string, length = 255) => field(name, 'string', { ...ro, length });
const flag = (name: string) => field(name, 'boolean', { ...ro, nillable: false });
const num = (name: string) => field(name, 'int', { ...ro, precision: 9 });

function readOnlyObject(name: string, keyPrefix: string, fields: FieldDef[]): ObjectDef {
    const obj: ObjectDef = {
        name,
        label: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
        labelPlural: name.replace(/([a-z])([A-Z])/g, '$1 $2') + 's',
        keyPrefix,
        custom: false,
        createable: false,
        updateable: false,
        deletable: false,
        fields: [],
        byName: new Map(),
        byRelationship: new Map(),
        childRelationships: [],
        metadata: true,
        urlField: 'DurableId'
    };
    for (const f of [field('Id', 'id', { ...ro, nillable: false }), ...fields]) {
        obj.fields.push(f);
        obj.byName.set(f.name.toLowerCase(), f);
    }
    return obj;
}

/** The two objects; key prefixes are the emulator's own (they never appear in real data). */
export function metadataObjects(): ObjectDef[] {
    const entity = readOnlyObject(ENTITY_DEFINITION, '4ie', [
        text('DurableId'),
        text('QualifiedApiName', 250),
        text('DeveloperName', 40),
        text('MasterLabel', 255),
        text('Label', 255),
        text('PluralLabel', 255),
        text('KeyPrefix', 3),
        text('NamespacePrefix', 15),
        flag('IsCustomizable'),
        flag('IsCustomSetting'),
        flag('IsDeprecatedAndHidden'),
        flag('IsQueryable'),
        flag('IsTriggerable'),
        flag('IsApexTriggerable'),
        flag('IsLayoutable'),
        flag('IsSearchable'),
        flag('IsEverCreatable'),
        flag('IsEverUpdatable'),
        flag('IsEverDeletable')
    ]);
    const fieldDef = readOnlyObject(FIELD_DEFINITION, '4if', [
        text('DurableId'),
        text('QualifiedApiName', 250),
        text('DeveloperName', 40),
        text('MasterLabel', 255),
        text('Label', 255),
        text('DataType', 40),
        text('ValueTypeId', 70),
        text('EntityDefinitionId', 70),
        text('NamespacePrefix', 15),
        text('RelationshipName', 80),
        text('ExtraTypeInfo', 150),
        num('Length'),
        num('Precision'),
        num('Scale'),
        num('Digits'),
        flag('IsNillable'),
        flag('IsCalculated'),
        flag('IsIndexed'),
        flag('IsNameField'),
        flag('IsPolymorphicForeignKey'),
        flag('IsApiFilterable'),
        flag('IsApiSortable'),
        flag('IsApiGroupable'),
        flag('IsCompound'),
        flag('IsFieldHistoryTracked'),
        flag('IsHighScaleNumber')
    ]);
    // the EntityDefinition relationship (FieldDefinition.EntityDefinition.QualifiedApiName):
    // usable in SELECT and WHERE; its column holds the parent row's emulator id and is not a
    // field of its own (EntityDefinitionId is the DurableId text, as in an org)
    const rel = field('EntityDefinition', 'reference', {
        ...ro,
        referenceTo: [ENTITY_DEFINITION],
        relationshipName: 'EntityDefinition'
    });
    fieldDef.byRelationship.set('entitydefinition', rel);
    return [entity, fieldDef];
}

/** Setup's type label of a field ("Text(80)", "Lookup(Account)", "Date/Time", …). */
export function dataTypeLabel(f: FieldDef): string {
    if (f.autoNumber) return 'Auto Number';
    if (f.calculated) return `Formula (${valueType(f)})`;
    switch (f.type) {
        case 'id':
            return 'Lookup()';
        case 'reference':
            return `${f.cascadeDelete ? 'Master-Detail' : 'Lookup'}(${f.referenceTo.join(',')})`;
        case 'string':
            return `Text(${f.length})`;
        case 'encryptedstring':
            return `Text (Encrypted)(${f.length})`;
        case 'textarea':
            return f.length > 255 ? `Long Text Area(${f.length})` : `Text Area(${f.length})`;
        case 'email':
            return 'Email';
        case 'phone':
            return 'Phone';
        case 'url':
            return `URL(${f.length})`;
        case 'picklist':
            return 'Picklist';
        case 'multipicklist':
            return 'Picklist (Multi-Select)';
        case 'boolean':
            return 'Checkbox';
        case 'int':
            return `Number(${f.precision || 9}, 0)`;
        case 'double':
            return `Number(${f.precision}, ${f.scale})`;
        case 'currency':
            return `Currency(${f.precision}, ${f.scale})`;
        case 'percent':
            return `Percent(${f.precision}, ${f.scale})`;
        case 'date':
            return 'Date';
        case 'datetime':
            return 'Date/Time';
    }
}

/** FieldDefinition.ValueTypeId: the field's value type (string, id, boolean, …). */
function valueType(f: FieldDef): string {
    switch (f.type) {
        case 'id':
        case 'reference':
            return 'id';
        case 'boolean':
            return 'boolean';
        case 'int':
            return 'int';
        case 'double':
        case 'currency':
        case 'percent':
            return 'double';
        case 'date':
            return 'date';
        case 'datetime':
            return 'datetime';
        default:
            return 'string';
    }
}

/** Fills EntityDefinition and FieldDefinition from the schema (at start and after a reset). */
export function seedMetadata(store: Store, now: number): void {
    const entities = store.table(ENTITY_DEFINITION);
    const fields = store.table(FIELD_DEFINITION);
    const ed = entities.obj.byName;
    const fd = fields.obj.byName;
    const rel = fields.obj.byRelationship.get('entitydefinition')!;
    const objects = [...store.schema.objects.values()]
        .filter((o) => !o.metadata)
        .sort((a, b) => a.name.localeCompare(b.name));
    let customObjects = 0;
    let customFields = 0;
    for (const o of objects) {
        const durable = o.custom ? makeId('01I', ++customObjects).slice(0, 15) : o.name;
        const values = new Map<FieldDef, Value>([
            [ed.get('durableid')!, durable],
            [ed.get('qualifiedapiname')!, o.name],
            [ed.get('developername')!, o.name.replace(/__c$/, '')],
            [ed.get('masterlabel')!, o.label],
            [ed.get('label')!, o.label],
            [ed.get('plurallabel')!, o.labelPlural],
            [ed.get('keyprefix')!, o.keyPrefix],
            [ed.get('namespaceprefix')!, null],
            [ed.get('iscustomizable')!, true],
            [ed.get('iscustomsetting')!, false],
            [ed.get('isdeprecatedandhidden')!, false],
            [ed.get('isqueryable')!, true],
            [ed.get('istriggerable')!, o.createable],
            [ed.get('isapextriggerable')!, o.createable],
            [ed.get('islayoutable')!, true],
            [ed.get('issearchable')!, true],
            [ed.get('isevercreatable')!, o.createable],
            [ed.get('iseverupdatable')!, o.updateable],
            [ed.get('iseverdeletable')!, o.deletable]
        ]);
        const entityRow = entities.insert(values, now, store.userId);
        const entityId = entities.idOf(entityRow);
        for (const f of o.fields) {
            const fieldDurable = f.custom
                ? `${durable}.${makeId('00N', ++customFields).slice(0, 15)}`
                : `${o.name}.${f.name}`;
            const numeric = ['int', 'double', 'currency', 'percent'].includes(f.type);
            fields.insert(
                new Map<FieldDef, Value>([
                    [fd.get('durableid')!, fieldDurable],
                    [fd.get('qualifiedapiname')!, f.name],
                    [fd.get('developername')!, f.name.replace(/__c$/, '')],
                    [fd.get('masterlabel')!, f.label],
                    [fd.get('label')!, f.label],
                    [fd.get('datatype')!, dataTypeLabel(f)],
                    [fd.get('valuetypeid')!, valueType(f)],
                    [fd.get('entitydefinitionid')!, durable],
                    [fd.get('namespaceprefix')!, null],
                    [fd.get('relationshipname')!, f.relationshipName],
                    [fd.get('extratypeinfo')!, null],
                    [fd.get('length')!, numeric || f.type === 'boolean' ? 0 : f.length],
                    [fd.get('precision')!, numeric && f.type !== 'int' ? f.precision : 0],
                    [fd.get('scale')!, numeric ? f.scale : 0],
                    [fd.get('digits')!, f.type === 'int' ? f.precision || 9 : 0],
                    [fd.get('isnillable')!, f.nillable],
                    [fd.get('iscalculated')!, f.calculated],
                    [fd.get('isindexed')!, f.type === 'id' || f.type === 'reference' || f.idLookup],
                    [fd.get('isnamefield')!, f.name === 'Name'],
                    [fd.get('ispolymorphicforeignkey')!, f.referenceTo.length > 1],
                    [fd.get('isapifilterable')!, f.type !== 'textarea' || f.length <= 255],
                    [fd.get('isapisortable')!, f.type !== 'textarea' && f.type !== 'multipicklist'],
                    [
                        fd.get('isapigroupable')!,
                        ![
                            'textarea',
                            'double',
                            'currency',
                            'percent',
                            'datetime',
                            'multipicklist'
                        ].includes(f.type)
                    ],
                    [fd.get('iscompound')!, false],
                    [fd.get('isfieldhistorytracked')!, false],
                    [fd.get('ishighscalenumber')!, false],
                    [rel, entityId]
                ]),
                now,
                store.userId
            );
        }
    }
}
