import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { openDatabase, type Database } from '../../src/store/database';
import { TemporalAvailability } from '../../src/temporal/availability';
import { startDevServer } from '../../src/temporal/dev-server';
import { startTestApi } from '../helpers/api';
import { freePort } from '../helpers/ports';

describe('GET /health', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // One availability per API, closed after each test: its probe must not outlive the connection.
  const availabilities: TemporalAvailability[] = [];
  afterEach(async () => {
    await Promise.all(availabilities.splice(0).map((a) => a.close()));
  });
  const realHealth = (database: Database, connection: Connection) => {
    const availability = new TemporalAvailability(connection, { callTimeoutMs: 1_000, probeIntervalMs: 1_000, namespace: 'default' });
    availabilities.push(availability);
    return { temporal: () => availability.check(1_000), store: () => database.ping() };
  };

  it('answers 200 when Temporal and the store answer', async () => {
    const api = await startTestApi({ health: realHealth });
    try {
      const res = await fetch(`${api.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', temporal: 'ok', store: 'ok' });
    } finally {
      await api.close();
    }
  });

  it('creates the SQLite store file in DATA_DIR', async () => {
    const database = await openDatabase({ dataDir: dir });
    expect(await database.ping()).toBe(true);
    expect(fs.existsSync(path.join(dir, 'studio.db'))).toBe(true);
    await database.close();
  });

  it('answers 503 naming Temporal when the Temporal server goes away, and 503 naming the store when it closes', async () => {
    const server = await startDevServer({
      cliPath: process.env.TEST_TEMPORAL_CLI_PATH!,
      ip: '127.0.0.1',
      port: await freePort(),
      namespace: 'default',
    });
    const api = await startTestApi({ temporalAddress: server.address, health: realHealth });
    try {
      expect((await fetch(`${api.url}/health`)).status).toBe(200);
      await server.stop();
      const down = await fetch(`${api.url}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', temporal: 'unavailable', store: 'ok' });

      await api.database.close();
      expect(await (await fetch(`${api.url}/health`)).json()).toEqual({ status: 'unavailable', temporal: 'unavailable', store: 'unavailable' });
    } finally {
      // Probes first: none may be in flight when the API closes its connection.
      await Promise.all(availabilities.splice(0).map((a) => a.close()));
      await api.close();
      await server.stop();
    }
  });

  it('answers unknown paths with 404 in Twilio error shape', async () => {
    const api = await startTestApi();
    try {
      const res = await fetch(`${api.url}/v2/Nope`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        code: 20404,
        message: 'The requested resource /v2/Nope was not found',
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      });
    } finally {
      await api.close();
    }
  });
});
