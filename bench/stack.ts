import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { projectRoot, toolsDir } from '../src/config/paths';
import { provisionTemporalCli } from '../src/temporal/cli';
import { startDevServer, type DevServer } from '../src/temporal/dev-server';
import { ensureNamespace } from '../src/temporal/namespace';
import { freePort } from '../src/net/ports';
import { startProcess, waitFor, type Started } from '../test/helpers/processes';
import { startTwilioStandIn, type TwilioStandIn } from '../test/helpers/twilio-stand-in';

/**
 * What the bench runs against, all on loopback and all its own: a Temporal dev server (in
 * memory, or on a SQLite file as `npm start` runs it), a stand-in for Twilio's API, the app as two processes
 * (`main.js api` and `main.js worker`, so each one's memory can be read), and the baseline's
 * bare worker, a process too.
 */
export interface BenchStack {
  readonly account: { readonly accountSid: string; readonly authToken: string };
  readonly apiUrl: string;
  readonly client: Client;
  readonly standIn: TwilioStandIn;
  readonly engineTaskQueue: string;
  readonly bareTaskQueue: string;
  readonly temporalCli: string;
  /** Resident memory of the API, the engine worker and the bare worker, in MiB. */
  memory(): { api: number; worker: number; bareWorker: number };
  /** Resolves when the stand-in accepts a message to `to`; call it before causing the send. */
  arrival(to: string): Promise<void>;
  webhook(flowSid: string): string;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Keep Temporal's data in a SQLite file, as `npm start` does; in memory (the dev server's own default) otherwise. */
  readonly temporalDbFile: boolean;
}

export async function startBenchStack(options: BenchStackOptions, log: (line: string) => void): Promise<BenchStack> {
  const root = projectRoot();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
  const cli = await provisionTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH || undefined, toolsDir: toolsDir(), log });
  const server: DevServer = await startDevServer({
    cliPath: cli.path,
    ip: '127.0.0.1',
    port: await freePort(),
    ...(options.temporalDbFile ? { dbFile: path.join(dataDir, 'temporal.db') } : {}),
    namespace: 'default',
  });
  const connection = await Connection.connect({ address: server.address });
  await ensureNamespace(connection, { namespace: 'default', retentionDays: 1 });
  const client = new Client({ connection, namespace: 'default' });
  const account = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  const standIn = await startTwilioStandIn(account.accountSid, account.authToken);
  const arrivals = new Map<string, () => void>();
  standIn.onAccept = (message) => {
    arrivals.get(message.to)?.();
    arrivals.delete(message.to);
  };
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const engineTaskQueue = `bench-engine-${randomBytes(4).toString('hex')}`;
  const bareTaskQueue = `bench-bare-${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: apiUrl,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: engineTaskQueue,
    TWILIO_ACCOUNT_SID: account.accountSid,
    TWILIO_AUTH_TOKEN: account.authToken,
    CHANNEL_PROVIDER: 'twilio',
    TWILIO_API_BASE_URL: standIn.url,
    LOG_LEVEL: 'warn',
    // Studio's per-account start quotas (20 REST, 100 inbound a second) would cap what is measured:
    // the bench measures the engine, so they are lifted (a BENCH_APP_ value still wins).
    LIMIT_MAX_NEW_REST_EXECUTIONS_PER_SECOND: '1000000',
    LIMIT_MAX_NEW_INBOUND_EXECUTIONS_PER_SECOND: '1000000',
    // BENCH_APP_X=… sets the app's X (e.g. BENCH_APP_WORKER_MAX_CACHED_WORKFLOWS=250), to try settings.
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_APP_')).map(([k, v]) => [k.slice('BENCH_APP_'.length), v])),
  };
  const processes: Started[] = [];
  const started = async (what: string, args: string[], extraEnv: NodeJS.ProcessEnv, ready: (output: string) => boolean) => {
    const child = startProcess(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv } });
    processes.push(child);
    try {
      await waitFor(what, () => Promise.resolve(ready(child.output()) || child.child.exitCode !== null ? true : undefined), 60_000);
      if (child.child.exitCode !== null) throw new Error(`${what} exited with ${child.child.exitCode}`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- its output ---\n${child.output()}`);
    }
    return child;
  };
  // BENCH_WORKER_NODE_ARGS / BENCH_API_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profile a process.
  const nodeArgs = (name: string) => process.env[name]?.split(' ').filter(Boolean) ?? [];
  const worker = await started('the engine worker', [...nodeArgs('BENCH_WORKER_NODE_ARGS'), 'dist/src/main.js', 'worker'], {}, (o) => o.includes('Ctrl-C stops it'));
  const api = await started('the API', [...nodeArgs('BENCH_API_NODE_ARGS'), 'dist/src/main.js', 'api'], {}, (o) => o.includes('Ctrl-C stops it'));
  const bareWorker = await started('the bare worker', ['dist/bench/baseline/worker.js'], {
    BARE_TEMPORAL_ADDRESS: server.address,
    BARE_TASK_QUEUE: bareTaskQueue,
    BARE_API_BASE_URL: standIn.url,
    BARE_ACCOUNT_SID: account.accountSid,
    BARE_AUTH_TOKEN: account.authToken,
  }, (o) => o.includes('ready'));

  return {
    account,
    apiUrl,
    client,
    standIn,
    engineTaskQueue,
    bareTaskQueue,
    temporalCli: cli.description,
    memory: () => ({ api: residentMiB(api.child.pid!), worker: residentMiB(worker.child.pid!), bareWorker: residentMiB(bareWorker.child.pid!) }),
    arrival: (to) => new Promise<void>((resolve) => arrivals.set(to, resolve)),
    webhook: (flowSid) => `${apiUrl}/v1/Accounts/${account.accountSid}/Flows/${flowSid}`,
    stop: async () => {
      for (const p of processes.reverse()) {
        if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-p.child.pid!, 'SIGTERM');
        await p.exited;
      }
      await connection.close();
      await standIn.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** VmRSS of a process (Linux), in MiB. */
function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}
