import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';

const DIST = path.join(__dirname, '../..');

/**
 * Where `npm run build` writes the workflow bundle (`dist/workflow-bundle.js`). A worker that
 * loads it skips webpack at start: seconds sooner, and ~170 MiB less resident memory for the
 * worker's whole life (webpack's heap is not given back; see BENCHMARKS.md).
 */
export const PREBUILT_BUNDLE = path.join(DIST, 'workflow-bundle.js');

/** The compiled code a bundle is made of (under dist/); a bundle older than any of it is stale. */
const BUNDLE_INPUTS = ['workflows', 'src/engine', 'src/widgets', 'src/flow'];

export async function writeWorkflowBundle(workflowsPath: string, file = PREBUILT_BUNDLE): Promise<number> {
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet } });
  fs.writeFileSync(file, code);
  return code.length;
}

/**
 * The prebuilt bundle, when there is one newer than every compiled input; otherwise `undefined`
 * and the worker bundles at start (running from sources, or after a bare `tsc`).
 */
export function prebuiltBundle(dist = DIST): WorkflowBundleOption | undefined {
  const file = path.join(dist, path.basename(PREBUILT_BUNDLE));
  let built: number;
  try {
    built = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  return BUNDLE_INPUTS.every((dir) => newestIn(path.join(dist, dir)) <= built) ? { codePath: file } : undefined;
}

function newestIn(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : entry.name.endsWith('.js') ? fs.statSync(full).mtimeMs : 0);
  }
  return newest;
}
