import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalPostgres } from '../../src/cluster/postgres';

/**
 * A throwaway PostgreSQL server for the store tests (see `startLocalPostgres`): fsync off, its
 * folder removed when it stops.
 */
export interface TestPostgres {
  /** Base URL of the server's `postgres` database; tests create their own databases. */
  readonly url: string;
  stop(): void;
}

export function startTestPostgres(port: number): TestPostgres {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-pg-'));
  const server = startLocalPostgres({ dir, port, durable: false });
  return {
    url: server.url,
    stop: () => {
      try {
        server.stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
