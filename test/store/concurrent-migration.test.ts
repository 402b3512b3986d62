import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SQLITE_FILE } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrations';
import { buildProject } from '../helpers/build';

/**
 * Several processes opening one fresh SQLite file at once (the API and the worker started apart
 * on one DATA_DIR) all migrate it: each must wait for the one migrating and then find it done.
 * Kysely takes no migration lock on SQLite; without ours the second process failed with
 * "table … already exists".
 */
const root = path.resolve(__dirname, '../..');

function openInChild(dataDir: string): Promise<{ code: number | null; output: string }> {
  const script = `require(${JSON.stringify(path.join(root, 'dist/src/store/database.js'))}).openDatabase({ dataDir: ${JSON.stringify(dataDir)} })` +
    '.then((d) => d.close()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('migrating one SQLite file from several processes at once', () => {
  beforeAll(() => buildProject(), 120_000);

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('round %i: eight processes, all open it, every migration applied once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-race-'));
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => openInChild(dataDir)));
      expect(results.filter((r) => r.code !== 0).map((r) => r.output)).toEqual([]);
      const check = await openInChild(dataDir);
      expect(check).toEqual({ code: 0, output: '' });
      const file = new SQLite(path.join(dataDir, SQLITE_FILE), { readonly: true });
      try {
        const applied = file.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>;
        expect(applied.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
      } finally {
        file.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
