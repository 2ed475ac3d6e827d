// node sync-worker/src/generator/cli.ts --count 100000 --out DIR --seed 1 [--no-consents]
import { parseArgs } from 'node:util';
import { generateRegistry } from './generator.ts';

const { values } = parseArgs({
    options: {
        count: { type: 'string', default: '5000' },
        out: { type: 'string', default: '.demo/registry' },
        seed: { type: 'string', default: '1' },
        'invalid-share': { type: 'string' },
        'no-consents': { type: 'boolean', default: false }
    }
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    process.stderr.write(
        'usage: generator --count N --out DIR [--seed S] [--invalid-share 0.005] [--no-consents]\n'
    );
    process.exit(2);
}
const t0 = Date.now();
const summary = await generateRegistry({
    count,
    out: values.out!,
    seed,
    invalidShare: values['invalid-share'] ? Number(values['invalid-share']) : undefined,
    consents: !values['no-consents']
});
process.stdout.write(
    JSON.stringify({ out: values.out, ms: Date.now() - t0, ...summary }, null, 2) + '\n'
);
