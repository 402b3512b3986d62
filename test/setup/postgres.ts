import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL server from the machine's own binaries (Debian's `postgresql`
 * package), for the store tests. It runs as the `postgres` user when we are root (initdb
 * refuses root), listens on loopback only, and has fsync off: test data is disposable.
 */
export interface TestPostgres {
  /** Base URL of the server's `postgres` database; tests create their own databases. */
  readonly url: string;
  stop(): void;
}

export function startTestPostgres(port: number): TestPostgres {
  const bin = findPostgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-pg-'));
  const asUser = runAs(dir);
  const data = path.join(dir, 'data');
  asUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'studio', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  asUser(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://studio@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        asUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function findPostgresBin(): string {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).find((d) => d && fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
  if (onPath) return fs.realpathSync(path.dirname(fs.realpathSync(path.join(onPath, 'initdb'))));
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return path.join(root, newest, 'bin');
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found. The store tests run against PostgreSQL: ' +
      'install Debian\'s package (apt-get install postgresql) or set TEST_DATABASE_URL=postgres://… to an existing server.',
  );
}

/** Runs a command as the owner of `dir`: ourselves, or `postgres` when we are root. */
function runAs(dir: string): (command: string, args: string[]) => void {
  if (process.getuid?.() !== 0) return (command, args) => void execFileSync(command, args, { stdio: 'pipe' });
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  fs.chownSync(dir, uid, gid);
  return (command, args) => void execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
}
