// One raw content item (catalog line, FAQ, pill) -> a LearningContent__c record or a reject
// (docs/anagrafe-contract.md, "Training content"). Pure: no I/O.
import { z } from 'zod';
import { isoInstant } from '../../util/instant.ts';
import { parseWith } from '../../util/validation.ts';
import type { SfRecord } from '../../salesforce/record.ts';
import type { RawContent } from '../../sources/content-dir.ts';
import { field, FieldSet } from '../fields.ts';
import type { MapResult, RejectInfo } from '../types.ts';
import type { Vocabulary } from '../vocabularies/vocabulary.ts';
import { markdownToHtml } from './sanitize.ts';

/** Values of the global value set FseMacroCategory (the 9 training macro-categories). */
export const MACRO_CATEGORIES = [
    'Fondamenti',
    'GestioneDati',
    'Privacy',
    'Alimentazione',
    'Consultazione',
    'Sicurezza',
    'DossierFarmaceutico',
    'Telemedicina',
    'Comunicazione'
];

const CATALOG_TYPES: Record<string, string> = {
    course: 'Course',
    module: 'Module',
    'live-session': 'LiveSession'
};
const STATUSES: Record<string, string> = {
    draft: 'Draft',
    published: 'Published',
    retired: 'Retired'
};
const BODY_MAX = 131072; // Body__c is Html(131072)

const Common = {
    key: z
        .string()
        .trim()
        .regex(
            /^[A-Za-z0-9][A-Za-z0-9._-]{1,79}$/,
            'must be 2-80 letters, digits, ".", "_" or "-"'
        ),
    title: z.string().trim().min(1).max(80, 'longer than 80 characters'),
    macroCategory: z.enum(MACRO_CATEGORIES as [string, ...string[]], 'unknown macro-category'),
    /** values of FseTargetCategory (vocabulary targetCategory: API names or labels) */
    targetCategories: z.array(z.string()).optional(),
    language: z.enum(['it', 'en'], 'must be it or en').default('it'),
    status: z
        .enum(['draft', 'published', 'retired'], 'must be draft, published or retired')
        .default('published'),
    updatedAt: z.iso.datetime({ offset: true }).optional()
};

const Https = z
    .string()
    .trim()
    .max(255, 'longer than 255 characters')
    .regex(/^https:\/\/[^\s<>"']+$/, 'must be an https:// URL');

export const CatalogItemSchema = z
    .object({
        ...Common,
        type: z.enum(
            ['course', 'module', 'live-session'],
            'must be course, module or live-session'
        ),
        durationMinutes: z.number().int().min(1).max(99999).optional(),
        ecmCredits: z
            .number()
            .min(0)
            .max(999.9)
            .refine((n) => Math.round(n * 10) === n * 10, 'at most one decimal')
            .optional(),
        url: Https.optional(),
        startsAt: z.iso.datetime({ offset: true }).optional(),
        capacity: z.number().int().min(1).max(999999).optional(),
        parentKey: z.string().trim().optional()
    })
    .superRefine((v, ctx) => {
        if (v.type === 'module' && !v.parentKey)
            ctx.addIssue({ code: 'custom', path: ['parentKey'], message: 'required for a module' });
        if (v.type !== 'module' && v.parentKey)
            ctx.addIssue({
                code: 'custom',
                path: ['parentKey'],
                message: 'only modules have a parent'
            });
        if (v.type === 'live-session' && !v.startsAt)
            ctx.addIssue({
                code: 'custom',
                path: ['startsAt'],
                message: 'required for a live session'
            });
        if (v.type === 'live-session' && !v.capacity)
            ctx.addIssue({
                code: 'custom',
                path: ['capacity'],
                message: 'required for a live session'
            });
    });

export const MarkdownItemSchema = z.object({ ...Common });

export type ContentResult = MapResult & { cleaned?: boolean };

const PARENT = field.reference('Parent__r', 'ContentKey__c');

export const LEARNING_CONTENT_FIELDS = new FieldSet([
    field.text('ContentKey__c'),
    field.text('Name'),
    field.picklist('Type__c'),
    field.picklist('MacroCategory__c'),
    field.multipicklist('TargetCategories__c'),
    field.number('DurationMinutes__c'),
    field.number('EcmCredits__c'),
    field.picklist('Status__c'),
    field.text('Url__c'),
    field.datetime('StartsAt__c'),
    field.number('Capacity__c'),
    PARENT,
    field.picklist('Language__c'),
    field.html('Body__c')
]);

const numberText = (n: number | undefined) => (n === undefined ? null : String(n));

type CommonValues = z.infer<typeof MarkdownItemSchema>;

/** The record of an item: the common values, the type's own ones (all others null). */
function contentRecord(
    values: CommonValues,
    type: string,
    own: Partial<Record<string, string | null>>
): SfRecord {
    return {
        ContentKey__c: values.key,
        Name: values.title,
        Type__c: type,
        MacroCategory__c: values.macroCategory,
        TargetCategories__c: own.TargetCategories__c ?? null,
        DurationMinutes__c: own.DurationMinutes__c ?? null,
        EcmCredits__c: own.EcmCredits__c ?? null,
        Status__c: STATUSES[values.status],
        Url__c: own.Url__c ?? null,
        StartsAt__c: own.StartsAt__c ?? null,
        Capacity__c: own.Capacity__c ?? null,
        [PARENT.name]: own[PARENT.name] ?? null,
        Language__c: values.language,
        Body__c: own.Body__c ?? null
    };
}

type Reject = (reason: string, info?: RejectInfo) => ContentResult;

/** The target categories as picklist values (`;`-joined), or the reject of the first unknown. */
function targetCategories(
    values: CommonValues,
    categories: Vocabulary,
    reject: Reject
): string | null | ContentResult {
    const mapped: string[] = [];
    for (const [i, code] of (values.targetCategories ?? []).entries()) {
        const resolved = categories.resolve(code);
        if (!resolved.ok) {
            const { reason, hint } = resolved;
            return reject(`targetCategories[${i}]: ${reason}`, { group: reason, hint });
        }
        if (!mapped.includes(resolved.value)) mapped.push(resolved.value);
    }
    return mapped.length ? mapped.join(';') : null;
}

function mapCatalogItem(
    item: RawContent,
    courseKeys: ReadonlySet<string>,
    categories: Vocabulary,
    reject: Reject
): ContentResult {
    const parsed = parseWith(CatalogItemSchema, item.data);
    if (!parsed.ok) return reject(parsed.reason);
    const values = parsed.value;
    const targets = targetCategories(values, categories, reject);
    if (targets !== null && typeof targets !== 'string') return targets;
    if (values.parentKey && !courseKeys.has(values.parentKey)) {
        return reject(
            `parentKey: unknown course ${values.parentKey} (not a course of the catalog)`
        );
    }
    const record = contentRecord(values, CATALOG_TYPES[values.type], {
        DurationMinutes__c: numberText(values.durationMinutes),
        EcmCredits__c: numberText(values.ecmCredits),
        Url__c: values.url ?? null,
        StartsAt__c: isoInstant(values.startsAt),
        Capacity__c: numberText(values.capacity),
        [PARENT.name]: values.parentKey ?? null,
        TargetCategories__c: targets
    });
    const updatedAt = isoInstant(values.updatedAt) ?? '';
    return { ok: true, key: values.key, updatedAt, record, sourceId: item.position };
}

function mapMarkdownItem(item: RawContent, categories: Vocabulary, reject: Reject): ContentResult {
    const parsed = parseWith(MarkdownItemSchema, item.data);
    if (!parsed.ok) return reject(parsed.reason);
    const values = parsed.value;
    const targets = targetCategories(values, categories, reject);
    if (targets !== null && typeof targets !== 'string') return targets;
    const body = (item.body ?? '').trim();
    if (!body) return reject('body: required (the Markdown text after the front matter)');
    const { html, cleaned } = markdownToHtml(body);
    if (!html) return reject('body: nothing left after sanitisation');
    if (html.length > BODY_MAX)
        return reject(`body: longer than ${BODY_MAX} characters as HTML (got ${html.length})`);
    if (/<img(?![^>]*\balt="[^"]+")[^>]*>/.test(html)) {
        return reject('body: every image needs an alternative text (WCAG 2.1 1.1.1)');
    }
    const type = item.origin === 'faq' ? 'FAQ' : 'Pill';
    const record = contentRecord(values, type, { Body__c: html, TargetCategories__c: targets });
    const updatedAt = isoInstant(values.updatedAt) ?? '';
    return { ok: true, key: values.key, updatedAt, record, sourceId: item.position, cleaned };
}

/**
 * One raw content item -> a LearningContent__c record (or a reject). `categories`: the target
 * category vocabulary (FseTargetCategory, the same as the professionals'). Pure.
 */
export function mapContent(
    item: RawContent,
    courseKeys: ReadonlySet<string>,
    categories: Vocabulary
): ContentResult {
    const rawKey = typeof item.data.key === 'string' ? item.data.key.trim() : '';
    const reject: Reject = (reason, info = {}) => ({
        ok: false,
        key: rawKey || item.position,
        reason: `${item.position}: ${reason}`,
        sourceId: item.position,
        matchKey: rawKey || undefined,
        // grouped by cause, not by file position
        group: reason,
        ...info
    });
    return item.origin === 'catalog'
        ? mapCatalogItem(item, courseKeys, categories, reject)
        : mapMarkdownItem(item, categories, reject);
}
