import fs from 'node:fs';
import { startProcess, waitFor, type Started } from '../test/helpers/processes';

/**
 * Starts `node args…` in `cwd` with `env`, adds it to `list` at once (so a stop reaches it even
 * if it never becomes ready) and resolves when `ready` accepts its output; refuses one that exits.
 */
export async function startReady(what: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, ready: (output: string) => boolean, list: Started[]): Promise<Started> {
  const child = startProcess(process.execPath, args, options);
  list.push(child);
  try {
    await waitFor(what, () => Promise.resolve(ready(child.output()) || child.child.exitCode !== null ? true : undefined), 90_000);
    if (child.child.exitCode !== null) throw new Error(`${what} exited with ${child.child.exitCode}`);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- its output ---\n${child.output()}`);
  }
  return child;
}

/** SIGTERM to the process's group unless it has ended; resolves when it has. */
export async function stopProcess(p: Started): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-p.child.pid!, 'SIGTERM');
  await p.exited;
}

/** VmRSS of a process (Linux), in MiB. */
export function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * The app's environment for the bench: `own` (where Temporal, the store, the account and the
 * stand-in are), the Twilio channel, warnings only, Studio's start quotas lifted, then BENCH_APP_*.
 */
export function appEnv(own: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CHANNEL_PROVIDER: 'twilio',
    LOG_LEVEL: 'warn',
    ...own,
    // Studio's per-account start quotas (20 REST, 100 inbound a second) would cap what is measured:
    // the bench measures the engine, so they are lifted (a BENCH_APP_ value still wins).
    LIMIT_MAX_NEW_REST_EXECUTIONS_PER_SECOND: '1000000',
    LIMIT_MAX_NEW_INBOUND_EXECUTIONS_PER_SECOND: '1000000',
    // BENCH_APP_X=… sets the app's X (e.g. BENCH_APP_WORKER_MAX_CACHED_WORKFLOWS=250), to try settings.
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_APP_')).map(([k, v]) => [k.slice('BENCH_APP_'.length), v])),
  };
}
