// Campaign templates (docs/campaigns.md, "Templates"): Italian texts written on the Campaign
// record, with merge fields limited to what a professional expects to see about themselves —
// {{name}}, {{role}}, {{course}}, {{link}}. Any other field (a fiscal code above all) is refused
// when the template is checked, before anything is sent, with the template field and line. The
// e-mail body is Markdown: marked renders it, sanitize-html keeps the same allow-list as the
// training content (no script, no event handler, no javascript: link), and the text part is that
// sanitised HTML as plain text (html-to-text: links as "text [url]", lists, headings), so what the
// sanitiser removed is in neither part. Values are escaped for HTML after sanitising, so a name can
// never add markup.
import { convert } from 'html-to-text';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SANITIZE } from '../entities/content/sanitize.ts';
import { ConfigError } from '../config/errors.ts';

export const MERGE_FIELDS = ['name', 'role', 'course', 'link'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeValues = Record<MergeField, string>;

/** Every `{{ … }}` of a template; `{{` without a closing `}}` is caught as well. */
const MERGE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Anything that looks like a fiscal code (16 characters, omocodia digits included). */
const FISCAL_CODE =
    /\b[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]\b/;

/** One template text, where it comes from (`Campaign.EmailBody__c`) and its text. */
export interface TemplateText {
    field: string;
    text: string;
    /** longest text allowed (the channel's limit), checked after merging */
    maxLength?: number;
}

/** The problems of one template text, each saying where and what (empty: fine). */
export function templateProblems(t: TemplateText): string[] {
    const problems: string[] = [];
    const lines = t.text.split('\n');
    lines.forEach((line, i) => {
        const where = `${t.field} line ${i + 1}`;
        for (const m of line.matchAll(MERGE)) {
            const name = m[1];
            if (!(MERGE_FIELDS as readonly string[]).includes(name))
                problems.push(
                    `${where}: merge field {{${name.slice(0, 40)}}} is not allowed; a template may use only ${MERGE_FIELDS.map((f) => `{{${f}}}`).join(', ')} (never a fiscal code)`
                );
        }
        const rest = line.replace(MERGE, '');
        if (rest.includes('{{') || rest.includes('}}'))
            problems.push(`${where}: unbalanced braces: merge fields are written {{name}}`);
        if (FISCAL_CODE.test(line))
            problems.push(
                `${where}: the text contains something that looks like a fiscal code: remove it (personal data never goes in a template)`
            );
    });
    return problems;
}

/** The merge fields a text uses. */
export function fieldsUsed(text: string): Set<MergeField> {
    const used = new Set<MergeField>();
    for (const m of text.matchAll(MERGE)) used.add(m[1] as MergeField);
    return used;
}

/** Throws a ConfigError listing every problem of the texts (exit 2, nothing sent). */
export function checkTemplates(texts: readonly TemplateText[], campaign: string): void {
    const problems = texts.flatMap(templateProblems);
    if (problems.length)
        throw new ConfigError(
            `campaign ${campaign}: the template cannot be used:\n  - ${problems.join('\n  - ')}`
        );
}

/** Plain text with the merge values put in (SMS, push, subject, the text part). */
export function mergeText(text: string, values: MergeValues): string {
    return text.replace(MERGE, (_m, name: string) => values[name as MergeField] ?? '');
}

const ESCAPES: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;'
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** A marker marked and sanitize-html leave alone (letters only), one per merge field. */
const marker = (f: MergeField) => `FSEMERGE${f.toUpperCase()}X`;
const MARKERS = new RegExp(`FSEMERGE(${MERGE_FIELDS.map((f) => f.toUpperCase()).join('|')})X`, 'g');

/**
 * The e-mail body rendered once per campaign: Markdown to sanitised HTML with a marker where each
 * merge field goes. `html(values)` puts the escaped values in; a link value must be https.
 */
export class EmailBody {
    private readonly rendered: string;
    /** the text part with the markers, converted once (html-to-text costs ~0.7 ms a message) */
    private readonly textWithMarkers: string;
    readonly markdown: string;

    constructor(markdown: string) {
        this.markdown = markdown;
        const withMarkers = markdown.replace(MERGE, (_m, name: string) =>
            marker(name as MergeField)
        );
        const raw = (marked.parse(withMarkers, { async: false, gfm: true }) as string).replace(
            /<(\/?)h1>/g,
            '<$1h2>'
        );
        // a {{link}} inside an href is a relative URL to sanitize-html: kept, then replaced below
        this.rendered = sanitizeHtml(raw, {
            ...SANITIZE,
            allowedSchemesAppliedToAttributes: ['src']
        }).trim();
        const unsafeHref = /href="(?!https:\/\/|mailto:|tel:|FSEMERGELINKX)[^"]*"/i.exec(
            this.rendered
        );
        if (unsafeHref)
            throw new ConfigError(
                `the e-mail body links to ${unsafeHref[0].slice(6, 60)}: only https, mailto and tel links (or {{link}}) are allowed`
            );
        // the markers are letters only and nothing is upper-cased or wrapped: they survive as is
        // (only a plain-text table's column widths follow the markers' length, not the values')
        this.textWithMarkers = htmlToText(this.rendered);
    }

    /** The sanitised HTML body with `values` escaped in. */
    html(values: MergeValues): string {
        return this.rendered.replace(MARKERS, (_m, upper: string) =>
            escapeHtml(values[upper.toLowerCase() as MergeField] ?? '')
        );
    }

    /** The text part: the sanitised HTML with the values in, as plain text. */
    text(values: MergeValues): string {
        return this.textWithMarkers.replace(
            MARKERS,
            (_m, upper: string) => values[upper.toLowerCase() as MergeField] ?? ''
        );
    }
}

/** Plain text of sanitised HTML: headings and paragraphs as lines, links as "text [url]". */
export function htmlToText(html: string): string {
    return convert(html, {
        wordwrap: false,
        selectors: [
            ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
                selector,
                options: { uppercase: false }
            })),
            { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
            { selector: 'a', options: { hideLinkHrefIfSameAsText: true } }
        ]
    }).trim();
}
