// Training content: `content:<dir>` (catalog.ndjson + faq/*.md + pills/*.md) -> LearningContent__c
// by ContentKey__c (docs/anagrafe-contract.md, "Training content"). Markdown becomes HTML with
// marked and is sanitised with sanitize-html (no script, no event handlers, no javascript: links).
// Modules point to their course through Parent__c (relationship column Parent__r.ContentKey__c)
// and are loaded after the courses. Items missing from a full catalog become Retired, never
// deleted, so enrolments keep their history.
import { z } from 'zod';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { TARGET_CATEGORIES, type MapResult, type SfRecord } from '../professionals/map.ts';
import { parseWith } from '../fhir-schemas.ts';
import { UnparseableResource } from '../../sources/types.ts';
import type { RawContent } from '../../sources/content-dir.ts';
import type { EntitySpec, Produced } from '../registry.ts';

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
    targetCategories: z
        .array(z.enum(TARGET_CATEGORIES as [string, ...string[]], 'unknown target category'))
        .optional(),
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

/** marked -> sanitize-html. Only structural tags; links and images over https (or mailto/tel). */
export const SANITIZE: sanitizeHtml.IOptions = {
    allowedTags: [
        'h2',
        'h3',
        'h4',
        'h5',
        'h6',
        'p',
        'br',
        'hr',
        'ul',
        'ol',
        'li',
        'strong',
        'em',
        'code',
        'pre',
        'blockquote',
        'a',
        'img',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td'
    ],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], ol: ['start'] },
    allowedSchemes: ['https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { h1: 'h2' }
};

export function markdownToHtml(md: string): { html: string; cleaned: boolean } {
    // headings start at h2 (the page has its own h1)
    const raw = (marked.parse(md, { async: false, gfm: true }) as string)
        .replace(/<(\/?)h1>/g, '<$1h2>')
        .trim();
    const html = sanitizeHtml(raw, SANITIZE).trim();
    return { html, cleaned: html !== raw };
}

export type ContentResult = MapResult & { cleaned?: boolean; courseKey?: string };

const num = (n: number | undefined) => (n === undefined ? null : String(n));
const instant = (s: string | undefined) => (s ? new Date(s).toISOString() : null);

/** One raw content item -> a LearningContent__c record (or a reject). Pure. */
export function mapContent(item: RawContent, courseKeys: ReadonlySet<string>): ContentResult {
    const rawKey = typeof item.data.key === 'string' ? item.data.key.trim() : '';
    const key = rawKey || item.position;
    const reject = (reason: string): ContentResult => ({
        ok: false,
        key,
        reason: `${item.position}: ${reason}`,
        sourceId: item.position,
        matchKey: rawKey || undefined
    });
    if (item.origin === 'catalog') {
        const p = parseWith(CatalogItemSchema, item.data);
        if (!p.ok) return reject(p.reason);
        const v = p.value;
        if (v.parentKey && !courseKeys.has(v.parentKey)) {
            return reject(`parentKey: unknown course ${v.parentKey} (not a course of the catalog)`);
        }
        const record: SfRecord = {
            ContentKey__c: v.key,
            Name: v.title,
            Type__c: CATALOG_TYPES[v.type],
            MacroCategory__c: v.macroCategory,
            TargetCategories__c: v.targetCategories?.length ? v.targetCategories.join(';') : null,
            DurationMinutes__c: num(v.durationMinutes),
            EcmCredits__c: num(v.ecmCredits),
            Status__c: STATUSES[v.status],
            Url__c: v.url ?? null,
            StartsAt__c: instant(v.startsAt),
            Capacity__c: num(v.capacity),
            'Parent__r.ContentKey__c': v.parentKey ?? null,
            Language__c: v.language,
            Body__c: null
        };
        return {
            ok: true,
            key: v.key,
            updatedAt: instant(v.updatedAt) ?? '',
            record,
            sourceId: item.position
        };
    }
    const p = parseWith(MarkdownItemSchema, item.data);
    if (!p.ok) return reject(p.reason);
    const v = p.value;
    const body = (item.body ?? '').trim();
    if (!body) return reject('body: required (the Markdown text after the front matter)');
    const { html, cleaned } = markdownToHtml(body);
    if (!html) return reject('body: nothing left after sanitisation');
    if (html.length > BODY_MAX)
        return reject(`body: longer than ${BODY_MAX} characters as HTML (got ${html.length})`);
    if (/<img(?![^>]*\balt="[^"]+")[^>]*>/.test(html)) {
        return reject('body: every image needs an alternative text (WCAG 2.1 1.1.1)');
    }
    const record: SfRecord = {
        ContentKey__c: v.key,
        Name: v.title,
        Type__c: item.origin === 'faq' ? 'FAQ' : 'Pill',
        MacroCategory__c: v.macroCategory,
        TargetCategories__c: v.targetCategories?.length ? v.targetCategories.join(';') : null,
        DurationMinutes__c: null,
        EcmCredits__c: null,
        Status__c: STATUSES[v.status],
        Url__c: null,
        StartsAt__c: null,
        Capacity__c: null,
        'Parent__r.ContentKey__c': null,
        Language__c: v.language,
        Body__c: html
    };
    return {
        ok: true,
        key: v.key,
        updatedAt: instant(v.updatedAt) ?? '',
        record,
        sourceId: item.position,
        cleaned
    };
}

export const CONTENT: EntitySpec = {
    name: 'content',
    object: 'LearningContent__c',
    externalId: 'ContentKey__c',
    fields: [
        'ContentKey__c',
        'Name',
        'Type__c',
        'MacroCategory__c',
        'TargetCategories__c',
        'DurationMinutes__c',
        'EcmCredits__c',
        'Status__c',
        'Url__c',
        'StartsAt__c',
        'Capacity__c',
        'Parent__r.ContentKey__c',
        'Language__c',
        'Body__c'
    ],
    hashField: 'SyncHash__c',
    // a full catalog retires what it no longer lists (Draft or Published); never a deletion
    status: { field: 'Status__c', active: ['Published', 'Draft'], ceased: 'Retired' },
    loadOrder: 40,
    requires: 'LearningContent',
    // content has its own clock: it never moves the registry watermark
    watermark: false,
    maskKey: (k) => k, // content keys are not personal data
    pass: (r) => (r.Type__c === 'Module' ? 1 : 0),
    async *produce(ctx): AsyncIterable<Produced> {
        // content is small (hundreds of items): read once, courses known before their modules
        const items: Array<RawContent | UnparseableResource> = [];
        for await (const raw of ctx.source.read('LearningContent')) items.push(raw as RawContent);
        const courseKeys = new Set<string>();
        for (const it of items) {
            if (it instanceof UnparseableResource) continue;
            if (
                it.origin === 'catalog' &&
                it.data.type === 'course' &&
                typeof it.data.key === 'string'
            )
                courseKeys.add(it.data.key.trim());
        }
        for (const it of items) {
            if (it instanceof UnparseableResource) {
                yield { ok: false, key: it.position, reason: it.reason, sourceId: it.position };
                continue;
            }
            const m = mapContent(it, courseKeys);
            if (m.ok && m.cleaned) ctx.counters.sanitized = (ctx.counters.sanitized ?? 0) + 1;
            const {
                cleaned: _c,
                courseKey: _k,
                ...res
            } = m as ContentResult & { cleaned?: boolean };
            void _c;
            void _k;
            yield res as MapResult;
        }
    }
};
