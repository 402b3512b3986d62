import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

let ticksPerSecond: number | undefined;

/**
 * CPU seconds (user + system) used by process `pid` and all its descendants, live or ended
 * (the kernel adds a waited-for child's time to its parent's): a Node process with its threads,
 * a CLI with the server it runs, PostgreSQL's postmaster with its backends. 0 once it has ended.
 */
export function treeCpuSeconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, …, utime (14), stime, cutime, cstime (17).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
      stats.set(Number(entry), { ppid: fields[1]!, ticks: fields[11]! + fields[12]! + fields[13]! + fields[14]! });
    } catch {
      // ended while we looked
    }
  }
  let ticks = 0;
  const pending = [pid];
  for (let guard = 0; pending.length > 0 && guard < 100_000; guard++) {
    const next = pending.pop()!;
    ticks += stats.get(next)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === next) pending.push(child);
  }
  return ticks / ticksPerSecond;
}

/** The postmaster's pid of the PostgreSQL whose data folder is `dataDir` (first line of postmaster.pid). */
export function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** CPU seconds the whole machine has used, every process's (from /proc/stat: all but idle and I/O wait). */
export function machineCpuSeconds(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / ticksPerSecond;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * CPU seconds by part between two readings, as cores kept busy on average over `ms` of wall
 * time, with their `total`; the `machine` reading (machineCpuSeconds) is not a part: it gives
 * `others`, what the rest of the machine used meanwhile (another run beside this one skews it all).
 */
export function coresBusy(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>, ms: number): Record<string, number> {
  const busy: Record<string, number> = {};
  for (const [part, seconds] of Object.entries(after)) busy[part] = (seconds - (before[part] ?? 0)) / (ms / 1000);
  const { machine, ...parts } = busy;
  const total = Object.values(parts).reduce((s, v) => s + v, 0);
  const result: Record<string, number> = Object.fromEntries(Object.entries(parts).map(([part, c]) => [part, round(c)]));
  result.total = round(total);
  if (machine !== undefined) result.others = round(Math.max(0, machine - total));
  return result;
}

/** CPU milliseconds per unit by part (parts that spent nothing left out), then the total: "temporal 9.1, …, total 30.2". */
export function cpuMsPer(seconds: Readonly<Record<string, number>>, units: number): string {
  const parts = Object.entries(seconds).filter(([, s]) => s > 0.0005 * units);
  const total = parts.reduce((sum, [, s]) => sum + s, 0);
  return [...parts, ['total', total] as const].map(([part, s]) => `${part} ${((s * 1000) / units).toFixed(1)}`).join(', ');
}

/** CPU seconds by part spent between two readings (`stack.cpu()`). */
export function cpuSpent(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([part, seconds]) => [part, seconds - (before[part] ?? 0)]));
}
