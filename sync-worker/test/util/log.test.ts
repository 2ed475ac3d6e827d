import { Writable } from 'node:stream';
import { createLogger } from '../../src/util/log.ts';

describe('log redaction (second line of defence: callers log counts and masked keys only)', () => {
    it('never writes the subject key, keyed hashes, fiscal codes or names, even when handed them', async () => {
        let out = '';
        const destination = new Writable({
            write(chunk, _e, cb) {
                out += chunk.toString();
                cb();
            }
        });
        const log = createLogger({ level: 'info', destination });
        log.info(
            {
                subjectHashKey: 'fse-privacy-test-vector-key',
                record: {
                    FiscalCode__c: 'TSTFSE80A01F205G',
                    SubjectKey__c:
                        'b491276c43e18d6aad4e37efbc918edeb080f5304341ca3b93c1c5da1fb1b5b8',
                    LastName: 'Sintetico'
                },
                SubjectHash__c: 'b491276c43e18d6aad4e37efbc918edeb080f5304341ca3b93c1c5da1fb1b5b8',
                fingerprint: 'a405e2da1c44d0d1'
            },
            'something'
        );
        log.flush();
        await new Promise((r) => setImmediate(r));
        expect(out).toContain('something');
        expect(out).not.toContain('fse-privacy-test-vector-key');
        expect(out).not.toContain('TSTFSE80A01F205G');
        expect(out).not.toContain('b491276c43e1');
        expect(out).not.toContain('Sintetico');
        // the key's fingerprint is not secret (docs/privacy.md) and stays readable
        expect(out).toContain('a405e2da1c44d0d1');
    });
});
