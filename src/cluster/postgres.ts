import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server from the machine's own binaries (Debian's `postgresql` package) in a folder
 * of ours: the cluster's database (under DATA_DIR, kept across starts) and the tests' (throwaway,
 * fsync off). It runs as the `postgres` user when we are root (initdb refuses root) and listens on
 * loopback only.
 */
export interface LocalPostgres {
  /** The server's `postgres` database, as superuser `studio` (trust auth on loopback). */
  readonly url: string;
  readonly port: number;
  stop(): void;
}

export interface LocalPostgresOptions {
  /** The folder that holds the cluster (created; an existing one is started as it is). */
  readonly dir: string;
  readonly port: number;
  /** False for throwaway data: fsync and synchronous commit off. */
  readonly durable: boolean;
}

export function startLocalPostgres(options: LocalPostgresOptions): LocalPostgres {
  const bin = findPostgresBin();
  fs.mkdirSync(options.dir, { recursive: true });
  const asOwner = runAs(options.dir);
  const data = path.join(options.dir, 'data');
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    asOwner(path.join(bin, 'initdb'), ['-D', data, '-U', 'studio', '--auth=trust', '-E', 'UTF8', '--no-instructions', ...(options.durable ? [] : ['--no-sync'])]);
  }
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const settings = `-p ${options.port} -k ${options.dir} -c listen_addresses=127.0.0.1 -c max_connections=300${fast}`;
  asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', path.join(options.dir, 'server.log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://studio@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop: () => asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', options.durable ? 'fast' : 'immediate', '-w', 'stop']),
  };
}

export function findPostgresBin(): string {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).find((d) => d && fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
  if (onPath) return fs.realpathSync(path.dirname(fs.realpathSync(path.join(onPath, 'initdb'))));
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return path.join(root, newest, 'bin');
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) were not found: install Debian\'s package (apt-get install postgresql), or set DATABASE_URL=postgres://… to an existing server.');
}

/**
 * Runs a command as the owner of `dir`: ourselves, or `postgres` when we are root. As root the
 * `postgres` user must be able to reach `dir`: its parent (DATA_DIR, often made 0700) gets the
 * others' search bit — not read — so it can pass through.
 */
function runAs(dir: string): (command: string, args: string[]) => void {
  if (process.getuid?.() !== 0) return (command, args) => void execFileSync(command, args, { stdio: 'pipe' });
  const parent = path.dirname(dir);
  fs.chmodSync(parent, fs.statSync(parent).mode | 0o001);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  fs.chownSync(dir, uid, gid);
  return (command, args) => void execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
}

/** Creates database `name` on the server `adminUrl` reaches, unless it exists. */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
