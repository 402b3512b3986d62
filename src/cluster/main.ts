import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../config/env';
import { resolveCredentials } from '../config/credentials';
import { projectRoot, toolsDir } from '../config/paths';
import { provisionTemporalServer } from '../temporal/server-binary';
import { ensureNamespace } from '../temporal/namespace';
import { createDatabase, startLocalPostgres, type LocalPostgres } from './postgres';
import { startTemporalServer, untilServing } from './temporal-server';
import { startTemporalUi } from './temporal-ui';
import { provisionTemporalUi } from '../temporal/ui-binary';
import { workerProcessEnv } from '../config/worker-process';

/**
 * `npm run cluster`: the production shape on one machine — PostgreSQL (ours under DATA_DIR, or
 * DATABASE_URL's server), Temporal's own server on it with SQL visibility, two API processes
 * (PORT and PORT+1) and two workers, each the same `dist/src/main.js` role `npm run api` /
 * `npm run worker` start. The same variables as `npm start`; Ctrl-C stops it all, in reverse.
 */
const API_PROCESSES = 2;
const WORKER_PROCESSES = 2;
/** Our own PostgreSQL's port when DATABASE_URL is not set (CLUSTER_POSTGRES_PORT). */
const DEFAULT_POSTGRES_PORT = 5433;
const STORE_DATABASE = 'studio';

interface Stoppable {
  readonly name: string;
  stop(): Promise<void> | void;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const started: Stoppable[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const part of started.reverse()) {
      try {
        await part.stop();
      } catch (err) {
        process.stderr.write(`cluster: stopping ${part.name}: ${(err as Error).message}\n`);
      }
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  try {
    const log = (line: string) => process.stdout.write(`${line}\n`);
    const binaries = await provisionTemporalServer({ toolsDir: toolsDir(), log });
    const database = await postgres(config, started);
    const temporalPort = config.TEMPORAL_PORT;
    const server = await startTemporalServer(binaries, { dir: path.join(config.dataDir, 'temporal-server'), postgres: database.temporal, port: temporalPort, log });
    started.push({ name: 'Temporal server', stop: () => server.stop() });
    await untilServing(server);
    // The namespace and our search attributes once, before four processes would each try.
    const connection = await Connection.connect({ address: server.address });
    await ensureNamespace(connection, { namespace: config.TEMPORAL_NAMESPACE, retentionDays: config.EXECUTION_RETENTION_DAYS }).finally(() => connection.close());
    const ui = await temporalUi(config, server.address, log);
    if (ui.running) started.push({ name: 'Temporal UI', stop: () => ui.running.stop() });
    // One account for every process: generated (or read) here, before they start.
    const account = resolveCredentials(config);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: config.dataDir, DATABASE_URL: database.storeUrl, TEMPORAL_ADDRESS: server.address };
    const workers = Array.from({ length: WORKER_PROCESSES }, (_, i) => role('worker', `worker ${i + 1}`, env, started));
    const apis = Array.from({ length: API_PROCESSES }, (_, i) => role('api', `api ${i + 1}`, { ...env, PORT: String(config.PORT + i), PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${config.PORT + i}` }, started));
    for (const child of [...workers, ...apis]) child.once('exit', (code) => !stopping && void stopAll(code ?? 1));
    await Promise.all(Array.from({ length: API_PROCESSES }, (_, i) => untilHealthy(config.PORT + i)));
    log(
      [
        `Open Studio is running as a cluster (${API_PROCESSES} API processes, ${WORKER_PROCESSES} workers). Ctrl-C stops it.`,
        `  PostgreSQL:   ${database.where}`,
        `  Temporal:     ${server.address} (${binaries.description}; data in PostgreSQL, SQL visibility; log in ${path.join(config.dataDir, 'temporal-server', 'server.log')})`,
        `  Temporal UI:  ${ui.running ? `${ui.running.url}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows` : `not available (${ui.reason})`}`,
        ...Array.from({ length: API_PROCESSES }, (_, i) => `  API ${i + 1}:        http://localhost:${config.PORT + i}/v2/Flows  (editor at /, health at /health)`),
        `  Workers:      ${WORKER_PROCESSES} polling task queue ${config.TEMPORAL_TASK_QUEUE}`,
        `  Account SID:  ${account.accountSid}`,
        `  Auth token:   ${account.authToken}  (${account.source === 'environment' ? 'from TWILIO_AUTH_TOKEN' : `stored in ${path.join(config.dataDir, 'credentials.json')}`})`,
      ].join('\n'),
    );
  } catch (err) {
    process.stderr.write(`cluster: ${(err as Error).message}\n`);
    await stopAll(1);
  }
}

/** Temporal's UI on TEMPORAL_UI_PORT when it can be built or is built; the cluster runs without it otherwise. */
async function temporalUi(config: Config, temporalAddress: string, log: (line: string) => void) {
  try {
    const binary = await provisionTemporalUi({ toolsDir: toolsDir(), log });
    const running = await startTemporalUi(binary.path, { dir: path.join(config.dataDir, 'temporal-ui'), temporalAddress, port: config.TEMPORAL_UI_PORT, namespace: config.TEMPORAL_NAMESPACE });
    return { running };
  } catch (err) {
    return { running: undefined, reason: (err as Error).message.split('\n')[0] };
  }
}

/** The store's and Temporal's PostgreSQL: DATABASE_URL's server, else ours under DATA_DIR. */
async function postgres(config: Config, started: Stoppable[]) {
  let admin: string;
  let where: string;
  if (config.DATABASE_URL) {
    admin = config.DATABASE_URL;
    where = `DATABASE_URL (${new URL(config.DATABASE_URL).host})`;
  } else {
    const port = Number(process.env.CLUSTER_POSTGRES_PORT ?? DEFAULT_POSTGRES_PORT);
    const local: LocalPostgres = startLocalPostgres({ dir: path.join(config.dataDir, 'postgres'), port, durable: true });
    started.push({ name: 'PostgreSQL', stop: () => local.stop() });
    admin = local.url;
    where = `127.0.0.1:${port} (data in ${path.join(config.dataDir, 'postgres')})`;
  }
  const url = new URL(admin);
  const storeUrl = config.DATABASE_URL ?? `${url.protocol}//${url.username}@${url.host}/${STORE_DATABASE}`;
  if (!config.DATABASE_URL) await createDatabase(admin, STORE_DATABASE);
  return {
    where,
    storeUrl,
    temporal: { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), ...(url.password ? { password: decodeURIComponent(url.password) } : {}) },
  };
}

function role(kind: 'api' | 'worker', name: string, env: NodeJS.ProcessEnv, started: Stoppable[]): ChildProcess {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'main.js'), kind], { env: kind === 'worker' ? workerProcessEnv(env) : env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  started.push({
    name,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  });
  return child;
}

async function untilHealthy(port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API on port ${port} was not healthy within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

void main();
