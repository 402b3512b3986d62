import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { stringify } from 'yaml';
import { projectRoot } from '../config/paths';
import type { TemporalServerBinaries } from '../temporal/server-binary';

const run = promisify(execFile);

/** Where the server keeps its data and how it is reached. */
export interface TemporalServerSettings {
  readonly dir: string;
  readonly postgres: { readonly host: string; readonly port: number; readonly user: string; readonly password?: string };
  /** The frontend's gRPC port (TEMPORAL_PORT); the other services take the next few ports. */
  readonly port: number;
  readonly log?: (line: string) => void;
}

export interface RunningTemporalServer {
  readonly address: string;
  readonly child: ChildProcess;
  /** The last lines it logged, for a start that failed. */
  logTail(): string;
  stop(): Promise<void>;
}

const DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * The schema, from the module's own files: each database created when missing, set up at version
 * 0.0 once, then updated to the newest version the module ships (a no-op when it is current).
 */
export async function setUpSchema(binaries: TemporalServerBinaries, settings: TemporalServerSettings): Promise<void> {
  const { postgres } = settings;
  const base = ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user, ...(postgres.password ? ['--pw', postgres.password] : [])];
  for (const [kind, db] of Object.entries(DATABASES)) {
    const sql = (args: string[]) => run(binaries.sqlTool, [...base, '--db', db, ...args], { timeout: 120_000 });
    await sql(['create-database']).catch((err: { stderr?: string; message: string }) => {
      if (!/already exists/.test(`${err.stderr ?? ''}${err.message}`)) throw err;
    });
    await sql(['setup-schema', '-v', '0.0']).catch((err: { stderr?: string; message: string }) => {
      // Set up on an earlier start: the update below brings it to the newest version.
      if (!/already exists|schema_version/.test(`${err.stderr ?? ''}${err.message}`)) throw err;
    });
    await sql(['update-schema', '-d', path.join(binaries.schemaDir, kind === 'temporal' ? 'temporal' : 'visibility', 'versioned')]);
  }
}

/** The server's configuration: PostgreSQL persistence and SQL visibility, every port on loopback. */
export function serverConfig(settings: TemporalServerSettings): Record<string, unknown> {
  const { postgres, port } = settings;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgres.password ?? '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  // frontend, history, matching, worker: gRPC and membership ports in one block above the frontend's.
  const service = (offset: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort: port + offset, membershipPort: port + 100 + offset, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: { 'postgres-default': store(DATABASES.temporal, 20), 'postgres-visibility': store(DATABASES.visibility, 4) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(0, { httpPort: port + 10 }),
      history: service(1),
      matching: service(2),
      worker: service(3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${port}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The compose stack's file: one dynamic configuration for both production shapes.
    dynamicConfigClient: { filepath: path.join(projectRoot(), 'deploy', 'temporal', 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
}

export async function startTemporalServer(binaries: TemporalServerBinaries, settings: TemporalServerSettings): Promise<RunningTemporalServer> {
  fs.mkdirSync(settings.dir, { recursive: true });
  await setUpSchema(binaries, settings);
  const configFile = path.join(settings.dir, 'config.yaml');
  fs.writeFileSync(configFile, stringify(serverConfig(settings)));
  const child = spawn(binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start'], { cwd: settings.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = fs.createWriteStream(path.join(settings.dir, 'server.log'), { flags: 'a' });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.pipe(logFile);
    stream?.on('data', (chunk: Buffer) => {
      tail.push(...chunk.toString().split('\n').filter((l) => l.trim() !== ''));
      tail.splice(0, Math.max(0, tail.length - 20));
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!done) child.kill('SIGKILL');
    logFile.end();
  };
  return { address: `127.0.0.1:${settings.port}`, child, stop, logTail: () => tail.map((l) => l.slice(0, 400)).join('\n') };
}

/** Waits until the frontend answers (the server takes seconds to join its own ring), or its process ends. */
export async function untilServing(server: RunningTemporalServer): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`the Temporal server exited during start (code ${server.child.exitCode}):\n${server.logTail()}`);
    try {
      const connection = await Connection.connect({ address: server.address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal server did not answer within 120 s: ${(err as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
