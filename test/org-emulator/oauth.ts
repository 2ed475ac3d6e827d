// OAuth 2.0 endpoints of a Salesforce org: token (client_credentials, password, refresh_token,
// JWT bearer) and userinfo. Any client id is accepted; tokens are random and kept in memory.
import type { IncomingHttpHeaders } from 'node:http';
import type { Org, Response } from './server.ts';

function oauthError(status: number, error: string, description: string): Response {
    return { status, body: { error, error_description: description } };
}

function tokenResponse(org: Org, withRefresh: boolean): Response {
    const token = org.issueToken();
    const body: Record<string, unknown> = {
        access_token: token,
        instance_url: org.instanceUrl,
        id: `${org.instanceUrl}/id/${org.store.orgId}/${org.store.userId}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: Buffer.from(token.slice(-16)).toString('base64'),
        scope: 'api refresh_token'
    };
    if (withRefresh) body.refresh_token = org.issueRefreshToken();
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
                // only the integration user exists; a password set in the options must match
                const users = org.store.table('User');
                const username = users.get(0, users.obj.byName.get('username')!) as string;
                const password = form.get('password') ?? '';
                if (
                    (form.get('username') ?? '').toLowerCase() !== username.toLowerCase() ||
                    !password ||
                    (org.options.password !== undefined && password !== org.options.password)
                )
                    return oauthError(400, 'invalid_grant', 'authentication failure');
                return tokenResponse(org, false);
            }
            case 'refresh_token': {
                const rt = form.get('refresh_token') ?? '';
                if (!org.refreshTokens.has(rt))
                    return oauthError(400, 'invalid_grant', 'expired access/refresh token');
                return tokenResponse(org, false);
            }
            case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
                const parts = (form.get('assertion') ?? '').split('.');
                const claims = parts.length === 3 ? decodeJwtPart(parts[1]) : null;
                if (!claims || !claims.sub || !claims.iss)
                    return oauthError(400, 'invalid_grant', 'invalid assertion');
                if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now())
                    return oauthError(400, 'invalid_grant', 'expired authorization code');
                return tokenResponse(org, false);
            }
            case 'authorization_code':
                return tokenResponse(org, true);
            default:
                return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
        }
    }
    if (path === '/services/oauth2/userinfo' || path.startsWith('/id/')) {
        const token = (headers.authorization ?? '').replace(/^(Bearer|OAuth)\s+/i, '').trim();
        if (!org.tokens.has(token))
            return {
                status: 403,
                raw: 'Bad_OAuth_Token',
                headers: { 'Content-Type': 'text/plain' }
            };
        const users = org.store.table('User');
        const by = users.obj.byName;
        const username = users.get(0, by.get('username')!) as string;
        return {
            status: 200,
            body: {
                sub: `${org.instanceUrl}/id/${org.store.orgId}/${org.store.userId}`,
                user_id: org.store.userId,
                organization_id: org.store.orgId,
                preferred_username: username,
                nickname: 'sync',
                name: 'Sync Integration',
                email: users.get(0, by.get('email')!),
                email_verified: true,
                given_name: 'Sync',
                family_name: 'Integration',
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
