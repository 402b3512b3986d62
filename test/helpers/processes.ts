import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** Direct children of a process, from /proc (Linux). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent pid; the command name (field 2) may contain spaces, so split after it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** A started process with its output collected. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts a command in its own process group, as a terminal would, so a "Ctrl-C" can reach the whole group. */
export function startProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Started {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `fn` until it returns a value or the time is up. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What a server prints when a port it was given is taken. */
const PORT_TAKEN = /address already in use|is already in use/;

/**
 * Waits until `ready` says a started server is up. 'port taken' when it did not come up because a
 * port it was given was taken meanwhile (free ports come from a range other processes' connections
 * also draw from: the caller picks new ones); any other end, or the time running out, throws with
 * the process's output. A process that exits fails at once, not at the timeout; one whose port was
 * taken has ended when this returns.
 */
export async function whenStarted(app: Started, what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<'started' | 'port taken'> {
  const outcome = await waitFor(
    what,
    async () => {
      if (await ready().catch(() => false)) return 'started';
      return app.child.exitCode === null ? undefined : 'exited';
    },
    timeoutMs,
  ).catch((err: Error) => err.message);
  if (outcome === 'started') return outcome;
  if (PORT_TAKEN.test(app.output())) {
    if (app.child.exitCode === null) process.kill(-app.child.pid!, 'SIGKILL');
    await app.exited;
    return 'port taken';
  }
  throw new Error(`${outcome}\n--- output ---\n${app.output()}`);
}
