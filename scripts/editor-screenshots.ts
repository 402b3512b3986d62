import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/config/paths';

/**
 * `npm run screenshot:editor`: the README's editor images, taken by the editor's browser test
 * itself (test/e2e/editor.test.ts) as it builds, runs and inspects a flow — so the pictures show
 * what the test proved. They land in docs/images/ instead of a temporary folder.
 */
const root = projectRoot();
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const run = spawnSync(process.execPath, [jest, 'test/e2e/editor.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOT_DIR: path.join(root, 'docs', 'images') },
});
process.exitCode = run.status ?? 1;
