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

/**
 * The compiled code a bundle may be made of (under dist/); a bundle older than any of it is stale.
 * All of src/, not the folders the workflows import today: a list of those fell behind once (the
 * campaigns' quiet hours), and a needless rebundle costs seconds where a stale bundle runs old code.
 * The bench's compile re-emits the src/ it imports, which is why `npm run build:bench` bundles after it.
 */
const BUNDLE_INPUTS = ['workflows', 'src'];

/**
 * The pure core the workflows import, evaluated once per workflow thread and shared by every
 * execution it runs (the bundler's `preloadModules`). Otherwise each execution the worker creates
 * or replays after an eviction evaluates its own copy of the engine, every widget and liquidjs:
 * with the flag, 2,000 parked executions resumed in 39.7 s instead of 45.5 s and the worker held
 * 365 MiB instead of 431 (BENCHMARKS.md). Safe because this code keeps nothing of an execution at
 * module level, only caches of pure functions (compiled patterns) and WeakMaps keyed by an
 * execution's own objects; the SDK freezes what the modules export.
 */
const SHARED_WORKFLOW_MODULES = ['../widgets', '../engine/run', '../engine/call', '../engine/mailbox', '../engine/migrate', '../engine/limits', '../engine/state', '../engine/events', '../campaigns/quiet-hours'];

/** The shared modules' files (sources under ts-jest, compiled ones in dist/). */
export const PRELOADED_WORKFLOW_MODULES: readonly string[] = SHARED_WORKFLOW_MODULES.map((m) => require.resolve(m));

/** What every bundle of the workflows is made with: the worker's at start, `npm run build`'s, the tests'. */
export function workflowBundlerOptions(): { preloadModules: string[] } {
  return { preloadModules: [...PRELOADED_WORKFLOW_MODULES] };
}

export async function writeWorkflowBundle(workflowsPath: string, file = PREBUILT_BUNDLE): Promise<number> {
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({ workflowsPath, ...workflowBundlerOptions(), logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet } });
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
