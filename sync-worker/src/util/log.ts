// Structured logging with pino: JSON lines when not on a TTY. Callers log counts and
// masked keys only; `redact` is a second line of defence for PII-named fields.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

export function createLogger(
    opts: { level?: string; destination?: NodeJS.WritableStream } = {}
): Logger {
    return pino(
        {
            level: opts.level ?? process.env.FSE_SYNC_LOG_LEVEL ?? 'info',
            base: { app: 'fse-sync' },
            redact: {
                paths: [
                    'accessToken',
                    'token',
                    '*.accessToken',
                    'FiscalCode__c',
                    '*.FiscalCode__c',
                    'Email',
                    '*.Email',
                    'LastName',
                    '*.LastName',
                    'FirstName',
                    '*.FirstName',
                    // the subject key's secret and the keyed hashes it makes (docs/privacy.md)
                    'subjectHashKey',
                    '*.subjectHashKey',
                    'SubjectKey__c',
                    '*.SubjectKey__c',
                    'SubjectHash__c',
                    '*.SubjectHash__c'
                ],
                censor: '[redacted]'
            }
        },
        (opts.destination ?? process.stderr) as DestinationStream
    );
}

export const silentLogger: Logger = pino({ level: 'silent' });
