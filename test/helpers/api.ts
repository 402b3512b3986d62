import { createApp } from '../../src/api/app';
import { startHttpServer, type HttpServer } from '../../src/api/server';
import type { AccountCredentials } from '../../src/config/credentials';
import { DEFAULT_FLOW_LIMITS, type FlowLimits } from '../../src/flow/limits';
import { createLogger } from '../../src/logger';
import { FlowService } from '../../src/services/flows';
import type { Database } from '../../src/store/database';
import { FlowStore } from '../../src/store/flow-store';
import { newSid } from '../../src/temporal/ids';
import { freshDatabase, type Dialect } from './databases';
import { freePort } from './ports';

export interface TestApi {
  readonly url: string;
  readonly account: AccountCredentials;
  readonly store: FlowStore;
  readonly database: Database;
  /** fetch() with the account's Basic credentials. */
  request(path: string, init?: RequestInit & { form?: Record<string, string | string[]> }): Promise<Response>;
  close(): Promise<void>;
}

/** The real app over real HTTP on a free port, with a fresh database of the given kind. */
export async function startTestApi(dialect: Dialect = 'sqlite', limits: FlowLimits = DEFAULT_FLOW_LIMITS): Promise<TestApi> {
  const { database, drop } = await freshDatabase(dialect);
  const account: AccountCredentials = { accountSid: newSid('AC'), authToken: newSid('').padEnd(32, '0'), source: 'generated' };
  const store = new FlowStore(database);
  const port = await freePort();
  const app = createApp({
    logger: createLogger('silent'),
    account,
    health: { temporal: () => Promise.resolve(true), store: () => database.ping() },
    flows: { publicUrl: `http://127.0.0.1:${port}`, store, flows: new FlowService(store, limits), limits },
  });
  const http: HttpServer = await startHttpServer(app, '127.0.0.1', port);
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  return {
    url: http.url,
    account,
    store,
    database,
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
      await drop();
    },
  };
}
