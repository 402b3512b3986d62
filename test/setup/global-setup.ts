import { toolsDir } from '../../src/config/paths';
import { provisionTemporalCli } from '../../src/temporal/cli';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { ensureNamespace } from '../../src/temporal/namespace';
import { Connection } from '@temporalio/client';
import { freePort } from '../helpers/ports';
import { startTestPostgres, type TestPostgres } from './postgres';

declare global {
  var __TEMPORAL_DEV_SERVER__: DevServer | undefined;
  var __TEST_POSTGRES__: TestPostgres | undefined;
}

/**
 * Starts one real Temporal dev server (in memory, headless) for the whole test run, with the
 * same provisioning `npm start` uses. Without a Temporal CLI and no way to install one the
 * run fails here, saying what to install — it never skips.
 */
export default async function globalSetup(): Promise<void> {
  // The integration and system tiers share this setup; Jest runs it for each: start once.
  if (globalThis.__TEMPORAL_DEV_SERVER__) return;
  // As in production: workers run in UTC (test files run in processes forked after this).
  process.env.TZ = 'UTC';
  const cli = await provisionTemporalCli({
    explicitPath: process.env.TEMPORAL_CLI_PATH || undefined,
    toolsDir: toolsDir(),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`\nTemporal CLI for tests: ${cli.description}\n`);
  const server = await startDevServer({ cliPath: cli.path, ip: '127.0.0.1', port: await freePort(), namespace: 'default' });
  const connection = await Connection.connect({ address: server.address });
  try {
    await ensureNamespace(connection, { namespace: 'default', retentionDays: 1 });
  } finally {
    await connection.close();
  }
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  // Test files run in worker processes forked after this point; they inherit these.
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_TEMPORAL_CLI_PATH = cli.path;

  // The store runs on PostgreSQL as well as SQLite, and the tests prove both.
  if (!process.env.TEST_DATABASE_URL) {
    globalThis.__TEST_POSTGRES__ = startTestPostgres(await freePort());
    process.env.TEST_DATABASE_URL = globalThis.__TEST_POSTGRES__.url;
  }
}
