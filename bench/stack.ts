import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { projectRoot } from '../src/config/paths';
import { workerProcessEnv } from '../src/config/worker-process';
import { ensureNamespace } from '../src/temporal/namespace';
import { freePort } from '../src/net/ports';
import type { Started } from '../test/helpers/processes';
import { startTwilioStandIn, type TwilioStandIn } from '../test/helpers/twilio-stand-in';
import { treeCpuSeconds } from './cpu';
import { appEnv, residentMiB, startReady, stopProcess } from './processes';
import { startTemporal, type BenchTemporal } from './temporal';

/**
 * What the bench runs against, all on loopback and all its own: Temporal (the dev server, in
 * memory or on a SQLite file as `npm start` runs it; or the cluster's, see ./temporal.ts), a
 * stand-in for Twilio's API, the app as processes (`main.js api` and `main.js worker`, so each
 * one's memory can be read), and the baseline's bare worker, a process too.
 */
export interface BenchStack {
  readonly account: { readonly accountSid: string; readonly authToken: string };
  /** An API process's base URL; with several API processes each read gives the next (round robin). */
  readonly apiUrl: string;
  readonly client: Client;
  readonly standIn: TwilioStandIn;
  readonly engineTaskQueue: string;
  readonly bareTaskQueue: string;
  /** What runs Temporal: the CLI's version (dev server), or the server's and PostgreSQL (cluster). */
  readonly temporalCli: string;
  readonly temporal: BenchTemporal;
  /** Resident memory of the (first) API, the (first) engine worker and the (first) bare worker, in MiB. */
  memory(): { api: number; worker: number; bareWorker: number };
  /** CPU seconds used so far by part: Temporal (and PostgreSQL), the APIs, the engine workers, the bare workers, this process. */
  cpu(): Record<string, number>;
  /** Resolves when the stand-in accepts a message to `to`; call it before causing the send. */
  arrival(to: string): Promise<void>;
  /** The inbound webhook URL of a flow (on the next API process, as `apiUrl`). */
  webhook(flowSid: string): string;
  /** Engine workers and bare workers running now (as many of each). */
  workers(): number;
  /** Starts or stops engine workers and bare workers until `n` of each run. */
  scale(n: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Keep the dev server's data in a SQLite file, as `npm start` does; in memory (the dev server's own default) otherwise. */
  readonly temporalDbFile: boolean;
  /** The dev server (the default) or the cluster's Temporal server on PostgreSQL, the store on it too. */
  readonly temporal?: BenchTemporal;
  /** API processes (1 by default). */
  readonly apis?: number;
}

export async function startBenchStack(options: BenchStackOptions, log: (line: string) => void): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
  // What stop() undoes, in reverse; a start that fails undoes what it had started too.
  const undo: (() => Promise<void> | void)[] = [() => fs.rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    return await startParts(options, dataDir, undo, stop, log);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startParts(options: BenchStackOptions, dataDir: string, undo: (() => Promise<void> | void)[], stop: () => Promise<void>, log: (line: string) => void): Promise<BenchStack> {
  const kind = options.temporal ?? 'dev';
  const temporal = await startTemporal({ temporal: kind, temporalDbFile: options.temporalDbFile }, dataDir, log);
  undo.push(() => temporal.stop());
  const connection = await Connection.connect({ address: temporal.address });
  undo.push(() => connection.close());
  await ensureNamespace(connection, { namespace: 'default', retentionDays: 1 });
  const client = new Client({ connection, namespace: 'default' });
  const account = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  const standIn = await startTwilioStandIn(account.accountSid, account.authToken);
  undo.push(() => standIn.close());
  const arrivals = new Map<string, () => void>();
  standIn.onAccept = (message) => {
    arrivals.get(message.to)?.();
    arrivals.delete(message.to);
  };
  const engineTaskQueue = `bench-engine-${randomBytes(4).toString('hex')}`;
  const bareTaskQueue = `bench-bare-${randomBytes(4).toString('hex')}`;
  const env = appEnv({ DATA_DIR: dataDir, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: engineTaskQueue, TWILIO_ACCOUNT_SID: account.accountSid, TWILIO_AUTH_TOKEN: account.authToken, TWILIO_API_BASE_URL: standIn.url, ...temporal.appEnv });
  const processes: Started[] = [];
  undo.push(async () => {
    for (const p of processes.reverse()) await stopProcess(p);
  });
  const started = (what: string, args: string[], extraEnv: NodeJS.ProcessEnv, ready: (output: string) => boolean) =>
    startReady(what, args, { cwd: projectRoot(), env: { ...env, ...extraEnv } }, ready, processes);
  // BENCH_WORKER_NODE_ARGS / BENCH_API_NODE_ARGS / BENCH_BARE_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profile a process.
  const nodeArgs = (name: string) => process.env[name]?.split(' ').filter(Boolean) ?? [];
  // As `npm run worker` starts it: with the worker process's environment (BENCH_APP_ values win).
  const startWorker = () => started('an engine worker', [...nodeArgs('BENCH_WORKER_NODE_ARGS'), 'dist/src/main.js', 'worker'], workerProcessEnv(env), (o) => o.includes('Ctrl-C stops it'));
  const startBareWorker = () => started('a bare worker', [...nodeArgs('BENCH_BARE_NODE_ARGS'), 'dist/bench/baseline/worker.js'], {
    BARE_TEMPORAL_ADDRESS: temporal.address,
    BARE_TASK_QUEUE: bareTaskQueue,
    BARE_API_BASE_URL: standIn.url,
    BARE_ACCOUNT_SID: account.accountSid,
    BARE_AUTH_TOKEN: account.authToken,
  }, (o) => o.includes('ready'));
  const workers = [await startWorker()];
  const apiUrls: string[] = [];
  const apis: Started[] = [];
  for (let i = 0; i < (options.apis ?? 1); i++) {
    const port = await freePort();
    apiUrls.push(`http://127.0.0.1:${port}`);
    apis.push(await started(`API ${i + 1}`, [...nodeArgs('BENCH_API_NODE_ARGS'), 'dist/src/main.js', 'api'], { PORT: String(port), PUBLIC_URL: apiUrls[i] }, (o) => o.includes('Ctrl-C stops it')));
  }
  const bareWorkers = [await startBareWorker()];
  let next = 0;
  const nextApiUrl = () => apiUrls[next++ % apiUrls.length]!;

  return {
    account,
    get apiUrl() {
      return nextApiUrl();
    },
    client,
    standIn,
    engineTaskQueue,
    bareTaskQueue,
    temporalCli: temporal.description,
    temporal: kind,
    memory: () => ({ api: residentMiB(apis[0]!.child.pid!), worker: residentMiB(workers[0]!.child.pid!), bareWorker: residentMiB(bareWorkers[0]!.child.pid!) }),
    cpu: () => {
      const sum = (list: Started[]) => list.reduce((s, p) => s + treeCpuSeconds(p.child.pid!), 0);
      const own = process.cpuUsage();
      return { ...temporal.cpu(), api: sum(apis), worker: sum(workers), bareWorker: sum(bareWorkers), bench: (own.user + own.system) / 1e6 };
    },
    arrival: (to) => new Promise<void>((resolve) => arrivals.set(to, resolve)),
    webhook: (flowSid) => `${nextApiUrl()}/v1/Accounts/${account.accountSid}/Flows/${flowSid}`,
    workers: () => workers.length,
    scale: async (n) => {
      if (!Number.isInteger(n) || n < 1) throw new Error(`scale to ${n} workers?`);
      while (workers.length < n) {
        const [worker, bareWorker] = await Promise.all([startWorker(), startBareWorker()]);
        workers.push(worker);
        bareWorkers.push(bareWorker);
      }
      while (workers.length > n) await Promise.all([stopProcess(workers.pop()!), stopProcess(bareWorkers.pop()!)]);
    },
    stop,
  };
}
