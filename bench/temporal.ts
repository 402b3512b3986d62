import net from 'node:net';
import path from 'node:path';
import { createDatabase, startLocalPostgres } from '../src/cluster/postgres';
import { startTemporalServer, untilServing } from '../src/cluster/temporal-server';
import { toolsDir } from '../src/config/paths';
import { freePort } from '../src/net/ports';
import { provisionTemporalCli } from '../src/temporal/cli';
import { startDevServer } from '../src/temporal/dev-server';
import { provisionTemporalServer } from '../src/temporal/server-binary';
import { postmasterPid, treeCpuSeconds } from './cpu';

/** Which Temporal the bench runs on: the dev server (`npm start`'s) or the cluster's (`npm run cluster`'s). */
export type BenchTemporal = 'dev' | 'cluster';

export interface BenchTemporalOptions {
  readonly temporal: BenchTemporal;
  /** Dev server only: keep its data in a SQLite file under `dataDir`, as `npm start` does. */
  readonly temporalDbFile: boolean;
}

export interface StartedTemporal {
  readonly address: string;
  /** What runs it, for the results (the CLI's or the server's version). */
  readonly description: string;
  /** The app's extra environment: the store on the cluster's PostgreSQL (DATABASE_URL). */
  readonly appEnv: NodeJS.ProcessEnv;
  /** CPU seconds used so far: `temporal` (the server), `postgres` (the cluster's, with its backends). */
  cpu(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Starts Temporal for the bench, on loopback. `dev`: `temporal server start-dev`, in memory or
 * on a SQLite file. `cluster`: a throwaway PostgreSQL (fsync and synchronous commit off: a bench
 * needs no durability) holding Temporal's persistence, its SQL visibility and the app's store,
 * and Temporal's own server on it, configured exactly as `npm run cluster` configures it.
 */
export async function startTemporal(options: BenchTemporalOptions, dataDir: string, log: (line: string) => void): Promise<StartedTemporal> {
  if (options.temporal === 'dev') {
    const cli = await provisionTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH || undefined, toolsDir: toolsDir(), log });
    const server = await startDevServer({
      cliPath: cli.path,
      ip: '127.0.0.1',
      port: await freePort(),
      ...(options.temporalDbFile ? { dbFile: path.join(dataDir, 'temporal.db') } : {}),
      namespace: 'default',
    });
    return { address: server.address, description: cli.description, appEnv: {}, cpu: () => ({ temporal: treeCpuSeconds(server.pid) }), stop: () => server.stop() };
  }
  const binaries = await provisionTemporalServer({ toolsDir: toolsDir(), log });
  const postgresPort = await freePort();
  const postgres = startLocalPostgres({ dir: path.join(dataDir, 'postgres'), port: postgresPort, durable: false });
  try {
    await createDatabase(postgres.url, 'studio');
    const settings = { dir: path.join(dataDir, 'temporal-server'), postgres: { host: '127.0.0.1', port: postgresPort, user: 'studio' }, port: await temporalPortBlock() };
    const server = await startTemporalServer(binaries, settings);
    try {
      await untilServing(server);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return {
      address: server.address,
      description: `${binaries.description}, PostgreSQL ${postgres.url.replace(/\/postgres$/, '')} (fsync off)`,
      appEnv: { DATABASE_URL: `postgres://studio@127.0.0.1:${postgresPort}/studio` },
      cpu: () => ({ temporal: treeCpuSeconds(server.child.pid!), postgres: treeCpuSeconds(postmasterPid(path.join(dataDir, 'postgres', 'data'))) }),
      stop: async () => {
        await server.stop();
        postgres.stop();
      },
    };
  } catch (err) {
    postgres.stop();
    throw err;
  }
}

/**
 * The frontend's port for Temporal's server: its services take that port and a few above it
 * (+1..+3, +10, +100..+103), so a block below the ephemeral range, each of its ports free now.
 */
async function temporalPortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // +50: between the blocks test/helpers/cluster.ts draws (multiples of 200), so a cluster test beside us cannot collide.
    const base = 20_000 + Math.floor(Math.random() * 60) * 200 + 50;
    const ports = [0, 1, 2, 3, 10, 100, 101, 102, 103].map((offset) => base + offset);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free block of ports for the Temporal server');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
