import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { apiRoutes, createApp } from '../../src/api/app';
import { appDependencies } from '../../src/api/compose';
import type { RouteSpec } from '../../src/api/route';
import { startHttpServer, type HttpServer } from '../../src/api/server';
import type { AccountCredentials } from '../../src/config/credentials';
import { DEFAULT_ALL_LIMITS, type Limits } from '../../src/config/limits';
import { createLogger } from '../../src/logger';
import type { Database } from '../../src/store/database';
import { FlowStore } from '../../src/store/flow-store';
import { TemporalAvailability } from '../../src/temporal/availability';
import { newSid } from '../../src/sids';
import { freshDatabase } from './databases';
import { freePort } from './ports';
import { startTemporalTestContext, temporalAddress, type TemporalTestContext } from './temporal';

/**
 * The API in its production shape (as `src/roles.ts` composes it: Temporal availability with its
 * per-request deadline and 503 latch, health checks through it) plus a real worker on a task
 * queue of its own, sharing one database and account: flows published through the API run on the
 * worker, the local channel's messages show in the API's inbox. It also hands out the app's own
 * route specs (`apiRoutes`), so a suite can generate requests per documented route.
 */
export interface HostileRig {
  readonly url: string;
  readonly account: AccountCredentials;
  readonly taskQueue: string;
  /** Every documented REST route (method, path, input schema), in registration order. */
  readonly routes: readonly RouteSpec<unknown>[];
  readonly store: FlowStore;
  readonly database: Database;
  readonly t: TemporalTestContext;
  /** A Temporal client of the test's own (histories, cleanup). */
  readonly client: Client;
  /** The app's log lines (JSON, level warn and up). */
  readonly logs: string[];
  /** fetch() with the account's Basic credentials (unless an authorization header is given). */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startHostileRig(options: { limits?: Partial<Limits> } = {}): Promise<HostileRig> {
  const logs: string[] = [];
  const logger = createLogger('warn', 'hostile', { write: (line: string) => void logs.push(line) });
  const limits: Limits = { ...DEFAULT_ALL_LIMITS, ...options.limits };
  const db = await freshDatabase('sqlite');
  const store = new FlowStore(db.database);
  const account: AccountCredentials = { accountSid: newSid('AC'), authToken: randomUUID().replace(/-/g, ''), source: 'generated' };
  const taskQueue = `hostile-${randomUUID()}`;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const t = await startTemporalTestContext({ taskQueue, store, database: db.database, account, publicUrl });
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  const availability = new TemporalAvailability(connection, { callTimeoutMs: 5_000, probeIntervalMs: 1_000, namespace: 'default' });
  const deps = appDependencies(
    { publicUrl, webhookValidation: true, namespace: 'default', taskQueue, retentionDays: 1, limits },
    {
      logger,
      account,
      database: db.database,
      store,
      temporal: client,
      health: { temporal: () => availability.check(), store: () => db.database.ping() },
      availability,
    },
  );
  const http: HttpServer = await startHttpServer(createApp(deps), '127.0.0.1', port, { drainMs: 1_000, limits: limits.http });
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  return {
    url: http.url,
    account,
    taskQueue,
    routes: apiRoutes(deps),
    store,
    database: db.database,
    t,
    client,
    logs,
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', authorization);
      return fetch(`${http.url}${path}`, { ...init, headers });
    },
    close: async () => {
      await http.close();
      await availability.close();
      await t.close();
      await connection.close();
      await db.drop();
    },
  };
}
