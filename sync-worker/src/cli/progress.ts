// The progress bar on a terminal (cli-progress); none when stderr is not a TTY.
import type cliProgressType from 'cli-progress';
import { lazy } from '../util/lazy.ts';
import type { Progress } from '../pipeline/context.ts';
import type { CliIo } from './options.ts';

const cliProgressLib = lazy<typeof cliProgressType>('cli-progress');

export function ttyProgress(stderr: CliIo['stderr']): Progress | undefined {
    if (!stderr.isTTY) return undefined;
    const cliProgress = cliProgressLib();
    let bar: cliProgressType.SingleBar | undefined;
    return {
        start(label) {
            bar?.stop();
            bar = new cliProgress.SingleBar(
                { format: `${label} {value} records`, stream: stderr as NodeJS.WriteStream },
                cliProgress.Presets.shades_classic
            );
            bar.start(0, 0);
        },
        update(value) {
            bar?.update(value);
        },
        stop() {
            bar?.stop();
            bar = undefined;
        }
    };
}

/** A bar with its total (`campaign send`: messages sent of those queued); none off a TTY. */
export function ttyCountProgress(stderr: CliIo['stderr']): Progress | undefined {
    if (!stderr.isTTY) return undefined;
    const cliProgress = cliProgressLib();
    let bar: cliProgressType.SingleBar | undefined;
    return {
        start(label, total) {
            bar?.stop();
            bar = new cliProgress.SingleBar(
                {
                    format: `${label} {bar} {value}/{total} ({percentage}%, eta {eta_formatted})`,
                    stream: stderr as NodeJS.WriteStream
                },
                cliProgress.Presets.shades_classic
            );
            bar.start(total, 0);
        },
        update(value) {
            bar?.update(value);
        },
        stop() {
            bar?.stop();
            bar = undefined;
        }
    };
}
