// Rich text as a Rich Text Area stores it, so `--reconcile` compares what the org can hold:
// Salesforce Help, "Rich Text Editor": unsupported tags are removed and their text kept; the
// supported tags and attributes are those listed for lightning-formatted-rich-text (Component
// Reference, "Formatted Rich Text"). Applied to both sides of a comparison (the registry's HTML
// and the org's), through sanitize-html, so a body the org re-sanitised (a <pre> dropped, a
// void tag re-serialised) is not rewritten forever.
import type sanitizeHtml from 'sanitize-html';
import { lazy } from '../util/lazy.ts';

const sanitizer = lazy<typeof sanitizeHtml>('sanitize-html');

/** The tags a Rich Text Area keeps. */
export const RICH_TEXT_TAGS = [
    'a',
    'abbr',
    'acronym',
    'address',
    'b',
    'br',
    'big',
    'blockquote',
    'caption',
    'cite',
    'code',
    'col',
    'colgroup',
    'del',
    'div',
    'dl',
    'dd',
    'dt',
    'em',
    'font',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'img',
    'ins',
    'kbd',
    'li',
    'ol',
    'p',
    'q',
    's',
    'samp',
    'small',
    'span',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'tt',
    'u',
    'ul',
    'var',
    'strike'
];

/** The attributes it keeps (of those the worker could write). */
export const RICH_TEXT_ATTRIBUTES = [
    'align',
    'alt',
    'border',
    'cellpadding',
    'cellspacing',
    'class',
    'colspan',
    'dir',
    'height',
    'href',
    'lang',
    'rel',
    'reversed',
    'rowspan',
    'scope',
    'src',
    'start',
    'style',
    'target',
    'title',
    'type',
    'width'
];

/** The HTML as the org keeps it. */
export function storedRichText(html: string): string {
    return sanitizer()(html, {
        allowedTags: RICH_TEXT_TAGS,
        allowedAttributes: { '*': RICH_TEXT_ATTRIBUTES },
        allowedSchemes: ['http', 'https', 'mailto', 'tel'],
        disallowedTagsMode: 'discard'
    }).trim();
}
