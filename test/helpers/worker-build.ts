import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeWorkflowBundle } from '../../src/temporal/workflow-bundle';

const root = path.resolve(__dirname, '../..');

/** The change build B makes: every Send Message first waits on a 1 ms timer (a new command). */
export const BUILD_B_CHANGE = 'rolling-upgrade-probe';

/**
 * Another build of the worker, as a deploy would ship it: a copy of `dist/` whose interpreter
 * differs — before each message it sends, a timer the old build never scheduled. `guarded`
 * puts the change behind `patched()` (our mechanism: old histories replay as they ran);
 * unguarded, an execution parked on the old build fails its next workflow task with a
 * nondeterminism error. Its workflow bundle is built from the changed code. Returns the build's
 * `dist/src/main.js` and a remover.
 */
export async function workerBuild(change: 'guarded' | 'unguarded'): Promise<{ entry: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `studio-build-${change}-`));
  fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const host = path.join(dir, 'dist', 'workflows', 'temporal-host.js');
  const source = fs.readFileSync(host, 'utf8');
  const anchor = 'async function sendMessage(state, message, recorder) {\n';
  if (!source.includes(anchor)) throw new Error(`build B: ${host} has no "${anchor.trim()}" to change (the host was rewritten: update this helper)`);
  const timer = '(0, workflow_1.sleep)(1)';
  const line = change === 'guarded' ? `    if ((0, workflow_1.patched)('${BUILD_B_CHANGE}')) await ${timer};\n` : `    await ${timer};\n`;
  fs.writeFileSync(host, source.replace(anchor, anchor + line));
  await writeWorkflowBundle(path.join(dir, 'dist', 'workflows', 'index.js'), path.join(dir, 'dist', 'workflow-bundle.js'));
  return { entry: path.join(dir, 'dist', 'src', 'main.js'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
