import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProject } from './build';
import { freePorts } from './ports';
import { startProcess, waitFor, type Started } from './processes';
import { localTwilioClient } from './twilio-client';
import { temporalAddress } from './temporal';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in';

const root = path.resolve(__dirname, '../..');

/**
 * The real processes, as `npm run api` and `npm run worker` start them, against the test run's
 * Temporal server: the built entry point, a DATA_DIR of their own, a known account and — for
 * the Twilio channel — a stand-in for Twilio's API. The worker can be stopped, killed and
 * started again.
 */
export interface Studio {
  readonly account: { readonly accountSid: string; readonly authToken: string };
  readonly url: string;
  /** The worker's own `/metrics` (METRICS_PORT), as Prometheus would scrape it. */
  readonly workerMetricsUrl: string;
  /** Present with the Twilio channel. */
  readonly standIn?: TwilioStandIn;
  readonly worker: Started | undefined;
  readonly client: ReturnType<typeof localTwilioClient>;
  webhook(flowSid: string): string;
  startWorker(): Promise<Started>;
  /** SIGTERM (drain) or SIGKILL (crash) the worker. */
  stopWorker(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  readonly api: Started;
  /** SIGTERM or SIGKILL the API process (unless it is gone) and start it again on the same port and data, with `env` added. */
  restartApi(signal: 'SIGTERM' | 'SIGKILL', env?: NodeJS.ProcessEnv): Promise<void>;
  close(): Promise<void>;
}

export interface StudioOptions {
  /** Another Temporal server than the test run's (fault tests restart their own). */
  readonly temporalAddress?: string;
  /** More environment for both processes (limits, HTTP_BLOCK_PRIVATE, …). */
  readonly env?: NodeJS.ProcessEnv;
}

export async function startStudio(channel: 'twilio' | 'local', options: StudioOptions = {}): Promise<Studio> {
  buildProject();
  const account = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  const standIn = channel === 'twilio' ? await startTwilioStandIn(account.accountSid, account.authToken) : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `studio-${channel}-`));
  const [port, metricsPort] = (await freePorts(2)) as [number, number];
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: url,
    TEMPORAL_ADDRESS: options.temporalAddress ?? temporalAddress(),
    TEMPORAL_TASK_QUEUE: `e2e-${channel}-${randomBytes(4).toString('hex')}`,
    TWILIO_ACCOUNT_SID: account.accountSid,
    TWILIO_AUTH_TOKEN: account.authToken,
    CHANNEL_PROVIDER: channel,
    LOG_LEVEL: 'warn',
    METRICS_PORT: String(metricsPort),
    ...(standIn ? { TWILIO_API_BASE_URL: standIn.url } : {}),
    ...options.env,
  };
  const startApi = async (extra: NodeJS.ProcessEnv = {}) => {
    const started = startProcess(process.execPath, ['dist/src/main.js', 'api'], { cwd: root, env: { ...env, ...extra } });
    await waitFor('the API', async () => ((await fetch(`${url}/health`)).status === 200 ? true : undefined), 60_000);
    return started;
  };
  let api = await startApi();
  let worker: Started | undefined;
  const studio: Studio = {
    account,
    url,
    workerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    ...(standIn ? { standIn } : {}),
    get worker() {
      return worker;
    },
    get api() {
      return api;
    },
    restartApi: async (signal, extra) => {
      if (api.child.exitCode === null && api.child.signalCode === null) {
        process.kill(-api.child.pid!, signal);
        await api.exited;
      }
      api = await startApi(extra);
    },
    client: localTwilioClient(url, account.accountSid, account.authToken),
    webhook: (flowSid) => `${url}/v1/Accounts/${account.accountSid}/Flows/${flowSid}`,
    startWorker: async () => {
      const started = startProcess(process.execPath, ['dist/src/main.js', 'worker'], { cwd: root, env });
      // Generous: on two busy cores (other suites run beside this one) a worker start can take a while.
      await waitFor('the worker to start', () => Promise.resolve(started.output().includes('Ctrl-C stops it') ? true : undefined), 90_000);
      worker = started;
      return started;
    },
    stopWorker: async (signal) => {
      const current = worker;
      worker = undefined;
      if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
      process.kill(-current.child.pid!, signal);
      await current.exited;
    },
    close: async () => {
      await studio.stopWorker('SIGTERM');
      if (api.child.exitCode === null) process.kill(-api.child.pid!, 'SIGTERM');
      await api.exited;
      await standIn?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await studio.startWorker();
  return studio;
}

/** Starts the processes once for the enclosing `describe` and stops them after it. */
export function useStudio(channel: 'twilio' | 'local', options: StudioOptions | (() => StudioOptions) = {}): () => Studio {
  let studio: Studio | undefined;
  beforeAll(async () => {
    studio = await startStudio(channel, typeof options === 'function' ? options() : options);
  }, 180_000);
  afterAll(async () => {
    await studio?.close();
  });
  return () => {
    if (!studio) throw new Error('the processes did not start (see beforeAll)');
    return studio;
  };
}
