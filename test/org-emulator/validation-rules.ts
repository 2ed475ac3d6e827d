// The validation rules of force-app the emulator enforces. Not a formula engine: each rule is
// written here by hand from its XML, and the emulator refuses to start when the XML's formula no
// longer is the one written here (so a changed rule is never emulated wrongly in silence).
//
// Contact.SubjectKeySetBySyncOnly
// (force-app/main/default/objects/Contact/validationRules/SubjectKeySetBySyncOnly.validationRule-meta.xml):
//     AND(
//         NOT($Permission.FSE_Stamp_Subject_Key),
//         OR(
//             AND(NOT(ISBLANK(SubjectKey__c)), OR(ISNEW(), ISCHANGED(SubjectKey__c))),
//             AND(NOT(ISBLANK(SubjectKeyFingerprint__c)), OR(ISNEW(), ISCHANGED(SubjectKeyFingerprint__c)))
//         )
//     )
// A user without the custom permission FSE_Stamp_Subject_Key may clear the subject key and its
// fingerprint, never set them (docs/privacy.md, "Subject key: worker side"). A failing rule
// answers FIELD_CUSTOM_VALIDATION_EXCEPTION with the rule's errorMessage on its
// errorDisplayField (REST API Developer Guide, "Status Codes and Error Responses"; Salesforce
// Help, "Validation Rules": rules apply to every path, the API included, and custom permissions
// are checked with $Permission).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FieldDef, ObjectDef } from './schema.ts';
import type { Table, Value } from './store.ts';

export interface RuleError {
    statusCode: string;
    message: string;
    fields: string[];
}

/** What a rule sees of one record being written. */
export interface RuleInput {
    obj: ObjectDef;
    table: Table;
    /** -1 for an insert */
    row: number;
    values: ReadonlyMap<FieldDef, Value>;
    /** $Permission.<name> of the user whose write it is */
    hasCustomPermission(name: string): boolean;
}

interface Rule {
    object: string;
    check(input: RuleInput): boolean;
    error: RuleError;
}

const SUBJECT_KEY_FORMULA = `AND(
    NOT($Permission.FSE_Stamp_Subject_Key),
    OR(
        AND(NOT(ISBLANK(SubjectKey__c)), OR(ISNEW(), ISCHANGED(SubjectKey__c))),
        AND(NOT(ISBLANK(SubjectKeyFingerprint__c)), OR(ISNEW(), ISCHANGED(SubjectKeyFingerprint__c)))
    )
)`;

const squash = (s: string) => s.replace(/\s+/g, '');

/** NOT(ISBLANK(field)) AND (ISNEW() OR ISCHANGED(field)), over the values being written. */
function setsNonBlank(input: RuleInput, name: string): boolean {
    const f = input.obj.byName.get(name.toLowerCase());
    if (!f) return false;
    const isNew = input.row < 0;
    const old = isNew ? null : input.table.get(input.row, f);
    const now = input.values.has(f) ? input.values.get(f)! : old;
    if (now === null || now === '') return false;
    return isNew || now !== old;
}

interface RuleXml {
    ValidationRule?: {
        active?: string;
        errorConditionFormula?: string;
        errorDisplayField?: string;
        errorMessage?: string;
    };
}

export class ValidationRules {
    private readonly rules: Rule[] = [];

    constructor(metadataDir: string | undefined) {
        const root = metadataDir
            ? [join(metadataDir, 'main', 'default'), metadataDir].find((d) =>
                  existsSync(join(d, 'objects'))
              )
            : undefined;
        if (!root) return;
        const file = join(
            root,
            'objects',
            'Contact',
            'validationRules',
            'SubjectKeySetBySyncOnly.validationRule-meta.xml'
        );
        if (!existsSync(file)) return;
        const doc = (
            new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(
                readFileSync(file, 'utf8')
            ) as RuleXml
        ).ValidationRule;
        if (!doc || String(doc.active).trim() !== 'true') return;
        if (squash(String(doc.errorConditionFormula ?? '')) !== squash(SUBJECT_KEY_FORMULA))
            throw new Error(
                `${file}: the formula is not the one test/org-emulator/validation-rules.ts emulates; update the emulation with the rule`
            );
        this.rules.push({
            object: 'Contact',
            check: (input) =>
                !input.hasCustomPermission('FSE_Stamp_Subject_Key') &&
                (setsNonBlank(input, 'SubjectKey__c') ||
                    setsNonBlank(input, 'SubjectKeyFingerprint__c')),
            error: {
                statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                message: String(doc.errorMessage ?? ''),
                fields: [String(doc.errorDisplayField ?? 'SubjectKey__c')]
            }
        });
    }

    /** The first rule the record breaks, or null. */
    check(input: RuleInput): RuleError | null {
        for (const rule of this.rules)
            if (rule.object === input.obj.name && rule.check(input)) return { ...rule.error };
        return null;
    }
}
