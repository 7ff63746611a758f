// CPU time from /proc, for benchmarks that must say where two shared cores went: the whole machine's busy time
// and chosen processes' own (user + system), over the same interval.
import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100;

/** Busy and total jiffies of all cores, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** A process's user + system jiffies (0 once it has gone). */
function processTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export interface CpuUsage {
  /** Cores kept busy on average by everything on the machine. */
  machineCores: number;
  /** Cores used on average by each group of processes. */
  groups: Record<string, number>;
  cores: number;
}

/** Runs `work` and says how many cores the machine and each group of `pids` used meanwhile. */
export async function measureCpu<T>(groups: Record<string, readonly number[]>, work: () => Promise<T>): Promise<{ result: T; usage: CpuUsage }> {
  const sum = (pids: readonly number[]): number => pids.reduce((n, pid) => n + processTicks(pid), 0);
  const m0 = machineTicks();
  const g0 = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids)]));
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  const m1 = machineTicks();
  const cores = os.cpus().length;
  const usage: CpuUsage = {
    machineCores: ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * cores,
    groups: Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, (sum(pids) - g0[k]!) / TICKS_PER_SECOND / seconds])),
    cores,
  };
  return { result, usage };
}

/** "CPU: 1.97 of 2 cores busy: instances 0.98, the rest (wrk, nginx) 0.99". */
export function fmtCpu(u: CpuUsage, rest: string): string {
  const named = Object.values(u.groups).reduce((a, b) => a + b, 0);
  const parts = Object.entries(u.groups).map(([k, v]) => `${k} ${v.toFixed(2)}`);
  return `CPU: ${u.machineCores.toFixed(2)} of ${u.cores} cores busy: ${parts.join(', ')}, the rest (${rest}) ${Math.max(0, u.machineCores - named).toFixed(2)}`;
}
