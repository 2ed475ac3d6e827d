// The flags that say which org to talk to, the same on every command.
import type { Command } from 'commander';

export interface AuthFlags {
    targetOrg?: string;
    instanceUrl?: string;
    accessToken?: string;
}

export function authOptions(command: Command): Command {
    return command
        .option('--target-org <alias|username>', 'org authorised with the sf CLI')
        .option('--instance-url <url>', 'org instance URL (or SF_INSTANCE_URL)')
        .option('--access-token <token>', 'access token (or SF_ACCESS_TOKEN)');
}
