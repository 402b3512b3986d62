import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * `npm run build` without npm: compiles to dist/ and writes the workflow bundle, so the
 * processes the e2e tests start run exactly what `npm start` runs.
 */
export function buildProject(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['dist/scripts/bundle-workflows.js'], { cwd: root, stdio: 'inherit' });
}

/** `npm run build:web` without npm: the editor's static app in dist/web, as the API serves it. */
export function buildEditor(): void {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mjs', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
