// Runs one child process under /usr/bin/time (GNU time) and returns its wall time, CPU time
// (user + sys) and peak RSS, with stdout kept in memory and stderr appended to a log file.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

export interface Measured {
    code: number;
    wallMs: number;
    cpuMs: number;
    peakRssMb: number;
    stdout: string;
}

export const GNU_TIME = '/usr/bin/time';

export function hasGnuTime(): boolean {
    return existsSync(GNU_TIME);
}

export async function measure(
    cmd: string,
    args: string[],
    o: { env?: NodeJS.ProcessEnv; cwd?: string; stderrLog: string; timeFile: string }
): Promise<Measured> {
    const errFd = openSync(o.stderrLog, 'a');
    rmSync(o.timeFile, { force: true });
    const t0 = process.hrtime.bigint();
    // %e wall s, %U user s, %S sys s, %M max RSS KiB (of the process, or its largest child)
    const child = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', o.timeFile, cmd, ...args], {
        cwd: o.cwd,
        env: o.env ?? process.env,
        stdio: ['ignore', 'pipe', errFd]
    });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    const code: number = await new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c) => resolve(c ?? 1));
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    closeSync(errFd);
    const line = readFileSync(o.timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const m = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(line);
    if (!m) throw new Error(`could not read ${GNU_TIME} output: ${line}`);
    return {
        code,
        wallMs,
        cpuMs: (Number(m[2]) + Number(m[3])) * 1000,
        peakRssMb: Number(m[4]) / 1024,
        stdout: Buffer.concat(chunks).toString('utf8')
    };
}

export function median(xs: number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
