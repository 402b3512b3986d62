import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from './migrations';
import type { StoreSchema } from './schema';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The flow store's database: SQLite in DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
 * One query layer (Kysely) and one set of migrations serve both.
 */
export interface Database {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: Dialect;
  /** A short description for logs, without secrets. */
  readonly location: string;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly databaseUrl?: string;
  /** Folder of the SQLite file when no `databaseUrl` is given. */
  readonly dataDir: string;
}

export const SQLITE_FILE = 'studio.db';

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { database, migrateIt } = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
  try {
    await migrateIt();
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

interface Opened {
  readonly database: Database;
  readonly migrateIt: () => Promise<void>;
}

function openSqlite(dataDir: string): Opened {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE);
  const connection = new SQLite(file);
  // busy_timeout first: switching to WAL needs a moment's exclusive lock another process may hold.
  connection.pragma('busy_timeout = 5000');
  // WAL lets the API read while a write is in progress; foreign keys are off by default in SQLite.
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: connection }) });
  return { database: withCommon(db, 'sqlite', file), migrateIt: () => migrateSqlite(connection, db) };
}

/**
 * Kysely takes no migration lock on SQLite (it assumes one process per file). The API and the
 * worker started apart on one DATA_DIR migrated at the same moment, and one of them failed
 * ("table … already exists", "database is locked"). So the whole migration runs in one
 * BEGIN IMMEDIATE transaction: it takes the write lock up front, another process waits for it
 * (busy_timeout) and then finds the migrations done.
 */
async function migrateSqlite(connection: SQLite.Database, db: Kysely<StoreSchema>): Promise<void> {
  connection.exec('BEGIN IMMEDIATE');
  try {
    await migrate(db, true);
    connection.exec('COMMIT');
  } catch (err) {
    if (connection.inTransaction) connection.exec('ROLLBACK');
    throw err;
  }
}

function openPostgres(url: string): Opened {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // A connection that ends (PostgreSQL restarted, a network cut) must not crash the process. The
  // pool's own `error` event covers idle clients only; a client checked out at that moment emits
  // `error` on itself, and an `error` event with no listener is thrown. The query it was running
  // fails and is answered as an error; the pool makes a new connection for the next one.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  return { database: withCommon(db, 'postgres', redact(url)), migrateIt: () => migrate(db, false) };
}

function withCommon(db: Kysely<StoreSchema>, dialect: Dialect, location: string): Database {
  let closed: Promise<void> | undefined;
  return {
    db,
    dialect,
    location,
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => (closed ??= db.destroy()),
  };
}

/** `inTransaction`: the caller holds a transaction already (SQLite), so Kysely must not begin one. */
async function migrate(db: Kysely<StoreSchema>, inTransaction: boolean): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };
  const { error, results } = await new Migrator({ db, provider, disableTransactions: inTransaction }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** Node's socket errors when the database server is down or restarting. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether a failure is the store being away for a moment — not reachable, restarting, a
 * connection cut, SQLite's lock held too long — rather than the request's fault or a bug: the API
 * answers those 503 with `Retry-After`, as for Temporal away. PostgreSQL's SQLSTATE classes 08
 * (connection exception) and 57 (operator intervention: shutting down, starting up); `pg`'s own
 * messages for a connection that ended or could not be made in time.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || /^(08|57)[0-9A-Z]{3}$/.test(code) || code === 'SQLITE_BUSY') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message);
}
