// What the org keeps of the HTML written to a Rich Text Area field: the tags and attributes it
// supports; unsupported tags are dropped and their text kept, unsupported attributes dropped.
//
// Salesforce Help, "Rich Text Editor" (platform.fields_using_html_editor): "unsupported tags
// are removed. Text that was enclosed in unsupported tags is preserved as plain text"; the
// supported tags and attributes are those listed for lightning-formatted-rich-text (Component
// Reference, "Formatted Rich Text", Supported HTML Tags and Attributes). Not checked against an
// org: the exact serialisation (quotes, entities, void tags) of a real org's sanitiser; the
// emulator re-serialises with sanitize-html, so `<pre>` (not in the list) is dropped and its
// text kept, and `<br/>` comes back as `<br />`.
import sanitizeHtml from 'sanitize-html';

const TAGS = [
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

const ATTRIBUTES = [
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

/** The HTML a Rich Text Area stores for `html`. */
export function orgRichText(html: string): string {
    return sanitizeHtml(html, {
        allowedTags: TAGS,
        allowedAttributes: { '*': ATTRIBUTES },
        allowedSchemes: ['http', 'https', 'mailto', 'tel'],
        disallowedTagsMode: 'discard'
    });
}
