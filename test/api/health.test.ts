import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/api/app';
import { startHttpServer, type HttpServer } from '../../src/api/server';
import { DEFAULT_FLOW_LIMITS } from '../../src/flow/limits';
import { createLogger } from '../../src/logger';
import { FlowService } from '../../src/services/flows';
import { FlowStore } from '../../src/store/flow-store';
import { newSid } from '../../src/temporal/ids';
import { openDatabase, type Database } from '../../src/store/database';
import { connectClient, temporalReachable, type TemporalClientHandle } from '../../src/temporal/client';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../helpers/ports';
import { temporalAddress } from '../helpers/temporal';

const logger = createLogger('silent');

async function serveHealth(temporal: TemporalClientHandle, database: Database): Promise<HttpServer> {
  const store = new FlowStore(database);
  const app = createApp({
    logger,
    account: { accountSid: newSid('AC'), authToken: 'x'.repeat(32), source: 'generated' },
    health: { temporal: () => temporalReachable(temporal.connection, 'default', 1_000), store: () => database.ping() },
    flows: { publicUrl: 'http://localhost', store, flows: new FlowService(store, DEFAULT_FLOW_LIMITS), limits: DEFAULT_FLOW_LIMITS },
  });
  return startHttpServer(app, '127.0.0.1', 0);
}

describe('GET /health', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers 200 when Temporal and the store answer', async () => {
    const temporal = await connectClient(temporalAddress(), 'default');
    const database = await openDatabase({ dataDir: dir });
    const http = await serveHealth(temporal, database);
    try {
      const res = await fetch(`${http.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', temporal: 'ok', store: 'ok' });
      expect(fs.existsSync(path.join(dir, 'studio.db'))).toBe(true);
    } finally {
      await http.close();
      await database.close();
      await temporal.close();
    }
  });

  it('answers 503 naming Temporal when the Temporal server goes away, and 503 naming the store when it closes', async () => {
    const server = await startDevServer({
      cliPath: process.env.TEST_TEMPORAL_CLI_PATH!,
      ip: '127.0.0.1',
      port: await freePort(),
      namespace: 'default',
    });
    const temporal = await connectClient(server.address, 'default');
    const database = await openDatabase({ dataDir: dir });
    const http = await serveHealth(temporal, database);
    try {
      expect((await fetch(`${http.url}/health`)).status).toBe(200);
      await server.stop();
      const down = await fetch(`${http.url}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', temporal: 'unavailable', store: 'ok' });

      await database.close();
      expect(await (await fetch(`${http.url}/health`)).json()).toEqual({ status: 'unavailable', temporal: 'unavailable', store: 'unavailable' });
    } finally {
      await http.close();
      await database.close();
      await temporal.close();
      await server.stop();
    }
  });

  it('answers unknown paths with 404 in Twilio error shape', async () => {
    const temporal = await connectClient(temporalAddress(), 'default');
    const database = await openDatabase({ dataDir: dir });
    const http = await serveHealth(temporal, database);
    try {
      const res = await fetch(`${http.url}/v2/Nope`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        code: 20404,
        message: 'The requested resource /v2/Nope was not found',
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      });
    } finally {
      await http.close();
      await database.close();
      await temporal.close();
    }
  });
});
