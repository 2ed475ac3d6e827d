// CPU time (user + system) of the worker's process, for the per-stage figures of the run's log
// (`cpuMs` of the start, entity-done and finish events): where a run spends its CPU.

/** CPU time used by this process so far, in ms. */
export function cpuMs(): number {
    const used = process.cpuUsage();
    return Math.round((used.user + used.system) / 1000);
}

/** CPU time between successive laps, in ms. */
export class CpuLaps {
    private last = cpuMs();

    lap(): number {
        const now = cpuMs();
        const spent = now - this.last;
        this.last = now;
        return spent;
    }
}
