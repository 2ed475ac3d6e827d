// node sync-worker/src/generator/cli.ts --count 100000 --out DIR --seed 1 [--no-consents]
//   [--spelling labels] [--unknown-category CODE:SHARE] [--no-consent-meta]
import { parseArgs } from 'node:util';
import { generateRegistry } from './generator.ts';

const { values } = parseArgs({
    options: {
        count: { type: 'string', default: '5000' },
        out: { type: 'string', default: '.demo/registry' },
        seed: { type: 'string', default: '1' },
        'invalid-share': { type: 'string' },
        'no-consents': { type: 'boolean', default: false },
        spelling: { type: 'string' },
        'unknown-category': { type: 'string' },
        'no-consent-meta': { type: 'boolean', default: false }
    }
});
const unknown = values['unknown-category']?.match(/^(.+):(0(?:\.\d+)?|1)$/);
const count = Number(values.count);
const seed = Number(values.seed);
if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(seed) ||
    (values.spelling !== undefined && !['contract', 'labels'].includes(values.spelling)) ||
    (values['unknown-category'] !== undefined && !unknown)
) {
    process.stderr.write(
        'usage: generator --count N --out DIR [--seed S] [--invalid-share 0.005] [--no-consents] [--spelling contract|labels] [--unknown-category CODE:SHARE] [--no-consent-meta]\n'
    );
    process.exit(2);
}
const t0 = Date.now();
const summary = await generateRegistry({
    count,
    out: values.out!,
    seed,
    invalidShare: values['invalid-share'] ? Number(values['invalid-share']) : undefined,
    consents: !values['no-consents'],
    spelling: values.spelling as 'contract' | 'labels' | undefined,
    unknownCategory: unknown ? { code: unknown[1], share: Number(unknown[2]) } : undefined,
    consentMeta: !values['no-consent-meta']
});
process.stdout.write(
    JSON.stringify({ out: values.out, ms: Date.now() - t0, ...summary }, null, 2) + '\n'
);
