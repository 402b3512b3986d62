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
  const database = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
  try {
    await migrate(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

function openSqlite(dataDir: string): Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE);
  const connection = new SQLite(file);
  // WAL lets the API read while a write is in progress; foreign keys are off by default in SQLite.
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: connection }) });
  return withCommon(db, 'sqlite', file);
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  return withCommon(db, 'postgres', redact(url));
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

async function migrate(db: Kysely<StoreSchema>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
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
