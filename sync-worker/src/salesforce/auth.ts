// Authentication through @salesforce/core: sf CLI stored auth (--target-org), a raw access
// token (--instance-url + --access-token or SF_INSTANCE_URL / SF_ACCESS_TOKEN), or the JWT
// bearer flow for unattended runs (SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE, SF_LOGIN_URL).
// Tokens are never logged.
import { ConfigError } from '../config/errors.ts';

export interface AuthFlags {
    targetOrg?: string;
    instanceUrl?: string;
    accessToken?: string;
}

export interface ResolvedAuth {
    method: 'target-org' | 'access-token' | 'jwt';
    instanceUrl: string;
    accessToken: string;
    refresh?: () => Promise<string>;
}

export function chooseAuth(
    flags: AuthFlags,
    env: NodeJS.ProcessEnv
): 'target-org' | 'access-token' | 'jwt' {
    const instanceUrl = flags.instanceUrl ?? env.SF_INSTANCE_URL;
    const accessToken = flags.accessToken ?? env.SF_ACCESS_TOKEN;
    if (flags.targetOrg && (flags.instanceUrl || flags.accessToken)) {
        throw new ConfigError(
            'Use either --target-org or --instance-url with --access-token, not both'
        );
    }
    if (flags.targetOrg) return 'target-org';
    if (instanceUrl && accessToken) return 'access-token';
    if (flags.instanceUrl || flags.accessToken) {
        throw new ConfigError(
            '--instance-url and --access-token go together (or set SF_INSTANCE_URL and SF_ACCESS_TOKEN)'
        );
    }
    if (env.SF_CLIENT_ID && env.SF_USERNAME && env.SF_JWT_KEY_FILE) return 'jwt';
    throw new ConfigError(
        'No org to sync: pass --target-org <alias|username>, or --instance-url and --access-token, or set SF_CLIENT_ID, SF_USERNAME and SF_JWT_KEY_FILE for the JWT bearer flow'
    );
}

export async function resolveAuth(
    flags: AuthFlags,
    env: NodeJS.ProcessEnv = process.env
): Promise<ResolvedAuth> {
    const method = chooseAuth(flags, env);
    if (method === 'access-token') {
        const instanceUrl = (flags.instanceUrl ?? env.SF_INSTANCE_URL)!;
        try {
            new URL(instanceUrl);
        } catch {
            throw new ConfigError(`--instance-url is not a URL`);
        }
        return { method, instanceUrl, accessToken: (flags.accessToken ?? env.SF_ACCESS_TOKEN)! };
    }
    const core = await import('@salesforce/core');
    if (method === 'target-org') {
        let org;
        try {
            org = await core.Org.create({ aliasOrUsername: flags.targetOrg });
        } catch (e) {
            throw new ConfigError(
                `Cannot use --target-org ${flags.targetOrg}: ${(e as Error).message}. Log in with "sf org login web" first.`
            );
        }
        const conn = org.getConnection();
        return {
            method,
            instanceUrl: conn.instanceUrl,
            accessToken: conn.accessToken ?? '',
            refresh: async () => {
                await org.refreshAuth();
                return org.getConnection().accessToken ?? '';
            }
        };
    }
    const jwt = async () => {
        const authInfo = await core.AuthInfo.create({
            username: env.SF_USERNAME,
            oauth2Options: {
                clientId: env.SF_CLIENT_ID,
                privateKeyFile: env.SF_JWT_KEY_FILE,
                loginUrl: env.SF_LOGIN_URL ?? 'https://login.salesforce.com'
            }
        });
        const fields = authInfo.getFields(true);
        return { instanceUrl: fields.instanceUrl ?? '', accessToken: fields.accessToken ?? '' };
    };
    const first = await jwt();
    return { method, ...first, refresh: async () => (await jwt()).accessToken };
}
