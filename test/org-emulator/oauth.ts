// OAuth 2.0 endpoints of a Salesforce org: token (client_credentials, password, refresh_token,
// JWT bearer) and userinfo. Any client id is accepted; tokens are random and kept in memory.
import type { IncomingHttpHeaders } from 'node:http';
import { API_VERSIONS, type Org, type Response } from './server.ts';
import { normaliseId } from './ids.ts';

function oauthError(status: number, error: string, description: string): Response {
    return { status, body: { error, error_description: description } };
}

function tokenResponse(org: Org, withRefresh: boolean, userId = org.defaultUserId): Response {
    const token = org.issueToken(userId);
    const body: Record<string, unknown> = {
        access_token: token,
        instance_url: org.instanceUrl,
        id: `${org.instanceUrl}/id/${org.store.orgId}/${userId}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: Buffer.from(token.slice(-16)).toString('base64'),
        scope: 'api refresh_token'
    };
    if (withRefresh) body.refresh_token = org.issueRefreshToken(userId);
    return { status: 200, body };
}

/** The claims of a JWT bearer assertion that the token endpoint looks at. */
interface JwtClaims {
    sub?: unknown;
    iss?: unknown;
    exp?: unknown;
}

function decodeJwtPart(part: string): JwtClaims | null {
    try {
        const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
        // a payload that is not an object has no claims (and so is refused, as before)
        return typeof claims === 'object' && claims !== null ? claims : null;
    } catch {
        return null;
    }
}

export function oauth(
    org: Org,
    method: string,
    path: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer
): Response {
    if (path === '/services/oauth2/token' && method === 'POST') {
        const form = new URLSearchParams(body.toString('utf8'));
        for (const [k, v] of query) if (!form.has(k)) form.set(k, v);
        const grant = form.get('grant_type');
        switch (grant) {
            case 'client_credentials':
                if (!form.get('client_id') && !headers.authorization)
                    return oauthError(400, 'invalid_client', 'invalid client credentials');
                return tokenResponse(org, false);
            case 'password': {
                // any user of the org; a password set in the options must match
                const password = form.get('password') ?? '';
                let userId: string;
                try {
                    userId = org.userIdOf(form.get('username') ?? '');
                } catch {
                    return oauthError(400, 'invalid_grant', 'authentication failure');
                }
                if (
                    !password ||
                    (org.options.password !== undefined && password !== org.options.password)
                )
                    return oauthError(400, 'invalid_grant', 'authentication failure');
                return tokenResponse(org, false, userId);
            }
            case 'refresh_token': {
                const rt = form.get('refresh_token') ?? '';
                const userId = org.refreshTokens.get(rt);
                if (!userId)
                    return oauthError(400, 'invalid_grant', 'expired access/refresh token');
                return tokenResponse(org, false, userId);
            }
            case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
                const parts = (form.get('assertion') ?? '').split('.');
                const claims = parts.length === 3 ? decodeJwtPart(parts[1]) : null;
                if (!claims || !claims.sub || !claims.iss)
                    return oauthError(400, 'invalid_grant', 'invalid assertion');
                if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
                    return oauthError(400, 'invalid_grant', 'expired authorization code');
                // the subject is the username; one the org does not know logs in as the
                // default user (the emulator checks no signature)
                let userId = org.defaultUserId;
                try {
                    userId = org.userIdOf(String(claims.sub));
                } catch {
                    /* the default user */
                }
                return tokenResponse(org, false, userId);
            }
            case 'authorization_code':
                return tokenResponse(org, true);
            default:
                return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
        }
    }
    if (path === '/services/oauth2/userinfo') {
        const token = (headers.authorization ?? '').replace(/^(Bearer|OAuth)\s+/i, '').trim();
        if (!org.tokens.has(token))
            return {
                status: 403,
                raw: 'Bad_OAuth_Token',
                headers: { 'Content-Type': 'text/plain' }
            };
        const userId = org.userOfToken(token);
        const users = org.store.table('User');
        const by = users.obj.byName;
        const row = users.rowOf(userId);
        const get = (name: string) => users.get(row, by.get(name.toLowerCase())!);
        return {
            status: 200,
            body: {
                sub: `${org.instanceUrl}/id/${org.store.orgId}/${userId}`,
                user_id: userId,
                organization_id: org.store.orgId,
                preferred_username: get('Username'),
                nickname: get('Alias'),
                name: [get('FirstName'), get('LastName')].filter(Boolean).join(' '),
                email: get('Email'),
                email_verified: true,
                given_name: get('FirstName'),
                family_name: get('LastName'),
                zoneinfo: 'Europe/Rome',
                locale: 'it_IT',
                language: 'it',
                user_type: 'STANDARD',
                active: true,
                is_app_installed: true,
                urls: {
                    rest: `${org.instanceUrl}/services/data/v{version}/`,
                    sobjects: `${org.instanceUrl}/services/data/v{version}/sobjects/`,
                    query: `${org.instanceUrl}/services/data/v{version}/query/`
                },
                updated_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z')
            }
        };
    }
    if (path === '/services/oauth2/revoke') {
        const form = new URLSearchParams(body.toString('utf8'));
        const t = form.get('token') ?? query.get('token') ?? '';
        org.tokens.delete(t);
        org.refreshTokens.delete(t);
        return { status: 200 };
    }
    return {
        status: 404,
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]
    };
}

/**
 * GET /id/{orgId}/{userId}: the identity URL the token response's `id` and the Resources by
 * Version list point at. Salesforce: "Identity URLs" (Salesforce Help, and the Mobile SDK guide
 * "Using Identity URLs"): a RESTful resource answering the user and org (user_id,
 * organization_id, username, display_name, email, urls of the APIs, active, user_type,
 * language, locale, utcOffset, last_modified_date, …), given the access token in an
 * Authorization header or the `oauth_token` parameter; the API URLs carry the literal
 * `{version}` unless `version` (a number or `latest`) is given. JSON only here (`format=xml` is
 * not emulated). A bad token answers 403 Bad_OAuth_Token as userinfo does; an id URL of
 * another org or user answers 404 (not checked against an org).
 *   https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm&type=5
 *   https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-using-identity-urls.html
 */
export function identity(
    org: Org,
    path: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders
): Response {
    const token = (headers.authorization ?? query.get('oauth_token') ?? '')
        .replace(/^(Bearer|OAuth)\s+/i, '')
        .trim();
    if (!org.tokens.has(token))
        return { status: 403, raw: 'Bad_OAuth_Token', headers: { 'Content-Type': 'text/plain' } };
    const [, , orgPart, userPart, extra] = path.split('/');
    const userId = org.userOfToken(token);
    if (
        extra !== undefined ||
        normaliseId(orgPart ?? '') !== org.store.orgId ||
        normaliseId(userPart ?? '') !== userId
    )
        return {
            status: 404,
            body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]
        };
    const users = org.store.table('User');
    const by = users.obj.byName;
    const row = users.rowOf(userId);
    const get = (name: string) => users.get(row, by.get(name.toLowerCase())!);
    const requested = query.get('version');
    const version =
        requested === 'latest'
            ? API_VERSIONS[API_VERSIONS.length - 1]
            : requested && /^\d+\.\d$/.test(requested)
              ? requested
              : '{version}';
    const i = org.instanceUrl;
    const org15 = org.store.orgId.slice(0, 15);
    const lastModified = get('LastModifiedDate') as number;
    return {
        status: 200,
        body: {
            id: `${i}/id/${org.store.orgId}/${userId}`,
            asserted_user: true,
            user_id: userId,
            organization_id: org.store.orgId,
            username: get('Username'),
            nick_name: get('Alias'),
            display_name: [get('FirstName'), get('LastName')].filter(Boolean).join(' '),
            email: get('Email'),
            email_verified: true,
            first_name: get('FirstName'),
            last_name: get('LastName'),
            timezone: get('TimeZoneSidKey'),
            photos: {
                picture: `${i}/profilephoto/005/F`,
                thumbnail: `${i}/profilephoto/005/T`
            },
            addr_street: null,
            addr_city: null,
            addr_state: null,
            addr_country: 'IT',
            addr_zip: null,
            mobile_phone: null,
            mobile_phone_verified: false,
            is_lightning_login_user: false,
            status: { created_date: null, body: null },
            urls: {
                enterprise: `${i}/services/Soap/c/${version}/${org15}`,
                metadata: `${i}/services/Soap/m/${version}/${org15}`,
                partner: `${i}/services/Soap/u/${version}/${org15}`,
                rest: `${i}/services/data/v${version}/`,
                sobjects: `${i}/services/data/v${version}/sobjects/`,
                search: `${i}/services/data/v${version}/search/`,
                query: `${i}/services/data/v${version}/query/`,
                recent: `${i}/services/data/v${version}/recent/`,
                tooling_soap: `${i}/services/Soap/T/${version}/${org15}`,
                tooling_rest: `${i}/services/data/v${version}/tooling/`,
                profile: `${i}/${userId}`,
                feeds: `${i}/services/data/v${version}/chatter/feeds`,
                groups: `${i}/services/data/v${version}/chatter/groups`,
                users: `${i}/services/data/v${version}/chatter/users`,
                feed_items: `${i}/services/data/v${version}/chatter/feed-items`,
                feed_elements: `${i}/services/data/v${version}/chatter/feed-elements`,
                custom_domain: i
            },
            active: get('IsActive'),
            user_type: 'STANDARD',
            language: get('LanguageLocaleKey'),
            locale: get('LocaleSidKey'),
            // Europe/Rome outside daylight saving time, in milliseconds
            utcOffset: 3600000,
            last_modified_date: new Date(lastModified)
                .toISOString()
                .replace(/\.\d+Z$/, '.000+0000'),
            is_app_installed: true
        }
    };
}
