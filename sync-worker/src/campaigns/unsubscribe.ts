// The unsubscribe link (docs/campaigns.md, "Unsubscribe: the token"): 32 random bytes per message
// (base64url, 43 characters) travel in the link; the send log keeps only their SHA-256
// (TokenHash__c) and an expiry. The portal's guest page and the one-click endpoint hash the token
// they receive and look the send up by that hash: the org can check a link without any key of
// the worker's, and a copy of the org (or of its backups) holds nothing that makes a link.
import { createHash, randomBytes } from 'node:crypto';

export interface UnsubscribeToken {
    /** goes in the link only */
    token: string;
    /** lowercase hex SHA-256 of the token's UTF-8 text: what the org stores */
    hash: string;
}

export function tokenHash(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): UnsubscribeToken {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: tokenHash(token) };
}

/** `base?t=token` (the base may already carry a query). */
export function withToken(base: string, token: string): string {
    return `${base}${base.includes('?') ? '&' : '?'}t=${encodeURIComponent(token)}`;
}

export interface UnsubscribeLinks {
    /** the guest page the e-mail's footer links to */
    page: string;
    /** RFC 2369 List-Unsubscribe and, with a one-click URL, RFC 8058 List-Unsubscribe-Post */
    headers: Record<string, string>;
}

/** The links and headers of one message. */
export function unsubscribeLinks(
    token: string,
    o: { pageUrl: string; oneClickUrl?: string; mailto?: string; key: string }
): UnsubscribeLinks {
    const page = withToken(o.pageUrl, token);
    const targets: string[] = [];
    if (o.oneClickUrl) targets.push(`<${withToken(o.oneClickUrl, token)}>`);
    if (o.mailto)
        targets.push(
            `<mailto:${o.mailto}?subject=${encodeURIComponent(`disiscrizione ${o.key}`)}>`
        );
    if (!targets.length) targets.push(`<${page}>`);
    const headers: Record<string, string> = { 'List-Unsubscribe': targets.join(', ') };
    // RFC 8058: one-click only with an https URI that takes the POST itself
    if (o.oneClickUrl) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    return { page, headers };
}
