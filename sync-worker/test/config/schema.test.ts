import { parseConfig } from '../../src/config/schema.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { chooseAuth } from '../../src/salesforce/auth.ts';

describe('config and auth choice', () => {
    it('fills defaults and rejects bad values with the path', () => {
        expect(parseConfig({}).bulkThreshold).toBe(2000);
        expect(() => parseConfig({ apiBudgetShare: 2 })).toThrow(ConfigError);
        expect(() => parseConfig({ bulkTreshold: 5 })).toThrow(/Unrecognized key/);
        expect(() => parseConfig({ entities: ['patients'] })).toThrow(/entities\[0\]/);
    });
    it('chooses target-org, access token (flags or env) or JWT, and explains what is missing', () => {
        expect(chooseAuth({ targetOrg: 'prod' }, {})).toBe('target-org');
        expect(chooseAuth({}, { SF_INSTANCE_URL: 'https://x', SF_ACCESS_TOKEN: 't' })).toBe(
            'access-token'
        );
        expect(
            chooseAuth(
                {},
                { SF_CLIENT_ID: 'c', SF_USERNAME: 'u@example.org', SF_JWT_KEY_FILE: 'k' }
            )
        ).toBe('jwt');
        expect(() => chooseAuth({ instanceUrl: 'https://x' }, {})).toThrow(/go together/);
        expect(() => chooseAuth({}, {})).toThrow(/--target-org/);
    });
});
