// Markdown content to safe HTML: marked renders, sanitize-html keeps an allow-list (no script,
// no event handlers, no javascript: links); headings start at h2 (the page has its own h1).
import type * as markedType from 'marked';
import type sanitizeHtml from 'sanitize-html';
import { lazy } from '../../util/lazy.ts';

const sanitizer = lazy<typeof sanitizeHtml>('sanitize-html');
const markdown = lazy<typeof markedType>('marked'); // ES only: require(esm), Node 22.12+

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
    const raw = (markdown().marked.parse(md, { async: false, gfm: true }) as string)
        .replace(/<(\/?)h1>/g, '<$1h2>')
        .trim();
    const html = sanitizer()(raw, SANITIZE).trim();
    return { html, cleaned: html !== raw };
}
