// fse-sync command line (commander): run, schedule, status, validate, campaign send|bounces. Exit codes: 0 every valid
// record is in the org; 3 the run finished but some valid records failed to load (or the API
// budget or SIGTERM stopped it); 5 the share of rejected records or parts is above a health
// threshold (pipeline/run-health.ts); 2 usage or configuration error (nothing written); 4
// another run holds the lease (nothing written); 1 fatal.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.ts';
import { scrubText } from '../domain/mask.ts';
import { LeaseConflictError } from '../ops/lease.ts';
import { describeError } from '../util/http-error.ts';
import { fatalCause } from '../salesforce/failure-causes.ts';
import { campaignCommand } from './commands/campaign.ts';
import { runCommand } from './commands/run.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { statusCommand } from './commands/status.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT, type CliIo } from './options.ts';

export function buildProgram(io: CliIo, done: (code: number) => void): Command {
    const program = new Command('fse-sync')
        .description('Keep the Salesforce org in step with the regional registry (FHIR R4)')
        .exitOverride()
        .configureOutput({
            writeOut: (s) => io.stdout.write(s),
            writeErr: (s) => io.stderr.write(s)
        });
    runCommand(program, io, done);
    scheduleCommand(program, io, done);
    statusCommand(program, io, done);
    validateCommand(program, io, done);
    campaignCommand(program, io, done);
    return program;
}

export async function main(
    argv: string[],
    io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }
): Promise<number> {
    let code: number = EXIT.OK;
    const program = buildProgram(io, (c) => (code = c));
    try {
        await program.parseAsync(argv, { from: 'user' });
        return code;
    } catch (err) {
        if (err instanceof CommanderError) {
            return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
        }
        if (err instanceof ConfigError) {
            io.stderr.write(`fse-sync: ${err.message}\n`);
            return EXIT.USAGE;
        }
        if (err instanceof LeaseConflictError) {
            io.stderr.write(`fse-sync: ${err.message}\n`);
            return EXIT.LOCKED;
        }
        const cause = fatalCause(err);
        io.stderr.write(
            `fse-sync: fatal: ${scrubText(describeError(err) + ' ' + ((err as Error)?.message ?? ''))}\n` +
                (cause ? `fse-sync: ${scrubText(cause)}\n` : '')
        );
        return EXIT.FATAL;
    }
}
