import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * `npm run build` without npm: compiles to dist/, writes the workflow bundle and builds the editor, so the
 * processes the e2e tests start run exactly what `npm start` runs.
 */
export function buildProject(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['dist/scripts/bundle-workflows.js'], { cwd: root, stdio: 'inherit' });
  buildEditor();
}

/**
 * `npm run build:web` without npm: the editor's static app in dist/web, as the API serves it —
 * only when its sources changed since the last build. Vite empties dist/web first, so an
 * unconditional build from one test file would pull the app from under another one's browser.
 */
export function buildEditor(): void {
  if (editorBuildIsFresh()) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mjs', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

function editorBuildIsFresh(): boolean {
  const built = path.join(root, 'dist', 'web', 'index.html');
  if (!fs.existsSync(built)) return false;
  const since = fs.statSync(built).mtimeMs;
  const sources = [path.join(root, 'web'), path.join(root, 'src', 'flow')];
  return sources.every((dir) => newestFile(dir) <= since);
}

function newestFile(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
