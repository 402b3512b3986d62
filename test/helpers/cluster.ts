import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { createDatabase, startLocalPostgres, type LocalPostgres } from '../../src/cluster/postgres';
import { startTemporalServer, untilServing, type RunningTemporalServer } from '../../src/cluster/temporal-server';
import { toolsDir } from '../../src/config/paths';
import { ensureNamespace } from '../../src/temporal/namespace';
import { provisionTemporalServer } from '../../src/temporal/server-binary';
import { buildProject } from './build';
import { freePort, freePorts } from './ports';
import { startProcess, waitFor, type Started } from './processes';
import { localTwilioClient } from './twilio-client';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in';

const root = path.resolve(__dirname, '../..');

/**
 * The production shape, part by part, for tests that break it: PostgreSQL (the store and
 * Temporal's persistence and visibility), Temporal's own server on it, API processes and workers
 * as `npm run api` / `npm run worker` start them, and a stand-in for Twilio's API. Unlike `npm run
 * cluster` (one parent for all), every part can be killed, restarted or replaced on its own.
 */
export interface ClusterUnderTest {
  readonly account: { readonly accountSid: string; readonly authToken: string };
  readonly standIn: TwilioStandIn;
  /** A Temporal client on the cluster's server (reconnects across a restart of it). */
  readonly temporal: Client;
  readonly temporalAddress: string;
  /** The store's database (PostgreSQL), as the processes reach it. */
  readonly storeUrl: string;
  readonly taskQueue: string;
  /** The API processes' base URLs, by index (fixed across restarts). */
  readonly apiUrls: readonly string[];
  api(i: number): Started | undefined;
  client(i: number): ReturnType<typeof localTwilioClient>;
  /** The inbound webhook URL of a flow on API process `i`. */
  webhook(flowSid: string, i?: number): string;
  /** Starts API process `i` (again) and waits until it is healthy; `env` adds to its environment (a failpoint, …). */
  startApi(i: number, options?: { readonly env?: NodeJS.ProcessEnv }): Promise<void>;
  stopApi(i: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts a worker; `entry` another build's `dist/src/main.js` (a rolling upgrade). */
  startWorker(options?: { readonly entry?: string; readonly env?: NodeJS.ProcessEnv }): Promise<Started>;
  stopWorker(worker: Started, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  readonly workers: readonly Started[];
  /** Stops Temporal's server (SIGTERM, or SIGKILL) and starts it again on the same data and ports. */
  restartTemporal(signal?: 'SIGTERM' | 'SIGKILL', downMs?: number): Promise<void>;
  /** Stops PostgreSQL (immediate: as a crash would) and starts it again after `downMs`. */
  restartPostgres(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  readonly apis?: number;
  readonly workers?: number;
  /** More environment for every API process and worker (limits, …). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Commits wait for their WAL flush, as on a production server: the test server runs with
   * `synchronous_commit=off`, so a crash (`restartPostgres`) could lose commits it acknowledged.
   */
  readonly synchronousCommit?: boolean;
}

export async function startClusterUnderTest(options: ClusterOptions = {}): Promise<ClusterUnderTest> {
  buildProject();
  const binaries = await provisionTemporalServer({ toolsDir: toolsDir(), log: () => undefined });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-cluster-test-'));
  const postgresPort = await freePort();
  const startPostgres = () => startLocalPostgres({ dir: path.join(dir, 'postgres'), port: postgresPort, durable: false });
  let postgres: LocalPostgres = startPostgres();
  await createDatabase(postgres.url, 'studio');
  if (options.synchronousCommit) {
    // A role's setting outranks the server's command line: every session of the store and of Temporal commits synchronously.
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('ALTER ROLE studio SET synchronous_commit = on').finally(() => admin.end());
  }
  const storeUrl = `postgres://studio@127.0.0.1:${postgresPort}/studio`;

  // Temporal's services take the frontend's port and a few above it (+1..+3, +10, +100..+103):
  // a block of its own below the ephemeral range that other processes draw from.
  const temporalPort = 20_000 + Math.floor(Math.random() * 60) * 200;
  const serverSettings = { dir: path.join(dir, 'temporal-server'), postgres: { host: '127.0.0.1', port: postgresPort, user: 'studio' }, port: temporalPort };
  let server: RunningTemporalServer = await startTemporalServer(binaries, serverSettings);
  await untilServing(server);
  const connection = await Connection.connect({ address: server.address });
  await ensureNamespace(connection, { namespace: 'default', retentionDays: 1 });
  const temporal = new Client({ connection });

  const account = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  const standIn = await startTwilioStandIn(account.accountSid, account.authToken);
  const taskQueue = `cluster-${randomBytes(4).toString('hex')}`;
  const apiPorts = await freePorts(options.apis ?? 2);
  const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: path.join(dir, 'data'),
    DATABASE_URL: storeUrl,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TWILIO_ACCOUNT_SID: account.accountSid,
    TWILIO_AUTH_TOKEN: account.authToken,
    TWILIO_API_BASE_URL: standIn.url,
    CHANNEL_PROVIDER: 'twilio',
    LOG_LEVEL: 'warn',
    ...options.env,
    ...extra,
  });

  const apis: (Started | undefined)[] = [];
  const workers: Started[] = [];
  const kill = async (started: Started, signal: 'SIGTERM' | 'SIGKILL') => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) return;
    process.kill(-started.child.pid!, signal);
    await started.exited;
  };
  const cluster: ClusterUnderTest = {
    account,
    standIn,
    temporal,
    temporalAddress: server.address,
    storeUrl,
    taskQueue,
    apiUrls,
    api: (i) => apis[i],
    client: (i) => localTwilioClient(apiUrls[i]!, account.accountSid, account.authToken),
    webhook: (flowSid, i = 0) => `${apiUrls[i]}/v1/Accounts/${account.accountSid}/Flows/${flowSid}`,
    startApi: async (i, api = {}) => {
      const started = startProcess(process.execPath, ['dist/src/main.js', 'api'], { cwd: root, env: env({ ...api.env, PORT: String(apiPorts[i]), PUBLIC_URL: apiUrls[i] }) });
      apis[i] = started;
      await waitFor(`API ${i + 1}`, async () => ((await fetch(`${apiUrls[i]}/health`)).status === 200 ? true : undefined), 90_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${started.output()}`);
      });
    },
    stopApi: async (i, signal) => {
      const started = apis[i];
      if (started) await kill(started, signal);
    },
    startWorker: async (worker = {}) => {
      const entry = worker.entry ?? path.join(root, 'dist', 'src', 'main.js');
      const started = startProcess(process.execPath, [entry, 'worker'], { cwd: root, env: env(worker.env) });
      // Generous: on two busy cores (other suites run beside this one) a worker start can take a while.
      await waitFor('a worker to start', () => Promise.resolve(started.output().includes('Ctrl-C stops it') ? true : undefined), 90_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${started.output()}`);
      });
      workers.push(started);
      return started;
    },
    stopWorker: async (worker, signal) => {
      await kill(worker, signal);
      workers.splice(workers.indexOf(worker), 1);
    },
    workers,
    restartTemporal: async (signal = 'SIGTERM', downMs = 0) => {
      if (signal === 'SIGKILL') server.child.kill('SIGKILL');
      await server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startTemporalServer(binaries, serverSettings);
      await untilServing(server);
    },
    restartPostgres: async (downMs = 0) => {
      postgres.stop();
      await new Promise((r) => setTimeout(r, downMs));
      postgres = startPostgres();
    },
    close: async () => {
      for (const worker of [...workers]) await cluster.stopWorker(worker, 'SIGTERM');
      for (const started of apis) if (started) await kill(started, 'SIGTERM');
      await connection.close();
      await server.stop();
      await standIn.close();
      postgres.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < apiUrls.length; i++) await cluster.startApi(i);
  for (let i = 0; i < (options.workers ?? 2); i++) await cluster.startWorker();
  return cluster;
}

/** Starts the cluster once for the enclosing `describe` and stops it after. */
export function useCluster(options: ClusterOptions = {}): () => ClusterUnderTest {
  let cluster: ClusterUnderTest | undefined;
  beforeAll(async () => {
    cluster = await startClusterUnderTest(options);
  }, 600_000);
  afterAll(async () => {
    await cluster?.close();
  }, 120_000);
  return () => {
    if (!cluster) throw new Error('the cluster did not start (see beforeAll)');
    return cluster;
  };
}
