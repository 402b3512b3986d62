import { webDir } from '../../src/config/paths';
import type { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { appDependencies } from '../../src/api/compose';
import { FlowTestService } from '../../src/flowtest/service';
import { testServerPath } from './flowtests';
import type { HealthChecks } from '../../src/api/routes/health';
import { startHttpServer, type HttpServer } from '../../src/api/server';
import type { AccountCredentials } from '../../src/config/credentials';
import { DEFAULT_ALL_LIMITS, type Limits } from '../../src/config/limits';
import { createLogger, type Logger } from '../../src/logger';
import type { Metrics } from '../../src/observability/metrics';
import type { Database } from '../../src/store/database';
import { FlowStore } from '../../src/store/flow-store';
import { TemporalAvailability, type AvailabilityOptions } from '../../src/temporal/availability';
import { connectClient } from '../../src/temporal/client';
import { temporalCallTimer } from '../../src/api/middleware/request-context';
import { newSid } from '../../src/sids';
import { freshDatabase, type Dialect } from './databases';
import { freePort } from './ports';
import { temporalAddress } from './temporal';

export interface TestApi {
  readonly url: string;
  readonly account: AccountCredentials;
  readonly store: FlowStore;
  readonly database: Database;
  readonly client: Client;
  /** The process-wide Temporal latch, when the app runs under one (`options.availability`). */
  readonly availability?: TemporalAvailability;
  /** fetch() with the account's Basic credentials. */
  request(path: string, init?: RequestInit & { form?: Record<string, string | string[]> }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  readonly dialect?: Dialect;
  /** Groups of limits to set; the others keep Studio's defaults. */
  readonly limits?: Partial<Limits>;
  /** Where executions are started (a worker must poll it for them to run). */
  readonly taskQueue?: string;
  readonly temporalAddress?: string;
  readonly health?: (database: Database, connection: Connection) => HealthChecks;
  /** Use this database instead of a fresh one (its owner drops it). */
  readonly database?: Database;
  readonly account?: AccountCredentials;
  /** Use this store instead of one on the fresh database. */
  readonly store?: FlowStore;
  readonly webhookValidation?: boolean;
  /** HTTP_BLOCK_PRIVATE: sink destinations in loopback and private ranges are refused too. */
  readonly httpBlockPrivate?: boolean;
  /** Record and serve (`GET /metrics`) the app's metrics here. */
  readonly metrics?: Metrics;
  /** Where the app logs; silent by default. */
  readonly logger?: Logger;
  /** The rate limits' clock (epoch ms); the real one by default. */
  readonly clock?: () => number;
  /** Run requests under a TemporalAvailability (deadline per request, process-wide latch), as `npm run api` does. */
  readonly availability?: Omit<AvailabilityOptions, 'namespace'>;
  /** Another Temporal namespace than `default` (one that does not exist, for its failures). */
  readonly namespace?: string;
}

/** The real app over real HTTP on a free port, with a fresh database and the run's Temporal server. */
export async function startTestApi(options: TestApiOptions | Dialect = {}): Promise<TestApi> {
  const o: TestApiOptions = typeof options === 'string' ? { dialect: options } : options;
  const limits: Limits = { ...DEFAULT_ALL_LIMITS, ...o.limits };
  const db = o.database ? { database: o.database, drop: () => Promise.resolve() } : await freshDatabase(o.dialect ?? 'sqlite');
  const store = o.store ?? new FlowStore(db.database);
  const account: AccountCredentials = o.account ?? { accountSid: newSid('AC'), authToken: newSid('').padEnd(32, '0'), source: 'generated' };
  const namespace = o.namespace ?? 'default';
  // As the API process connects: each Temporal call timed for the request it serves.
  const { connection, client } = await connectClient(o.temporalAddress ?? temporalAddress(), namespace, [temporalCallTimer()]);
  const availability = o.availability ? new TemporalAvailability(connection, { ...o.availability, namespace }) : undefined;
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  // Its test server starts on the first run only: most API tests never pay for it.
  const flowTests = new FlowTestService(limits.flowtests, testServerPath);
  const app = createApp(
    appDependencies(
      { publicUrl, webhookValidation: o.webhookValidation ?? true, namespace, taskQueue: o.taskQueue ?? `no-worker-${newSid('')}`, retentionDays: 1, limits, webDir: webDir(), ...(o.clock ? { clock: o.clock } : {}), ...(o.httpBlockPrivate ? { httpBlockPrivate: true } : {}) },
      {
        logger: o.logger ?? createLogger('silent'),
        account,
        database: db.database,
        store,
        temporal: client,
        metrics: o.metrics,
        ...(availability ? { availability } : {}),
        health: o.health?.(db.database, connection) ?? { temporal: () => Promise.resolve(true), store: () => db.database.ping() },
        flowTests,
      },
    ),
  );
  const http: HttpServer = await startHttpServer(app, '127.0.0.1', port, { limits: limits.http });
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  return {
    url: http.url,
    account,
    store,
    database: db.database,
    client,
    ...(availability ? { availability } : {}),
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', authorization);
      let body = init.body;
      if (init.form) {
        const form = new URLSearchParams();
        for (const [key, value] of Object.entries(init.form)) for (const v of [value].flat()) form.append(key, v);
        body = form;
      }
      return fetch(`${http.url}${path}`, { ...init, headers, body });
    },
    close: async () => {
      await http.close();
      await flowTests.close();
      // Its probe must not outlive the connection.
      await availability?.close();
      await connection.close();
      await db.drop();
    },
  };
}
