import workerThreads, { type WorkerOptions } from 'node:worker_threads';

/**
 * Whether the SDK's workflow threads keep stack traces for Temporal's stack-trace query (the
 * Temporal UI's "Stack Trace" tab), WORKER_STACK_TRACES.
 *
 * To answer that query, the SDK installs a promise hook in each workflow thread that captures a
 * stack trace, maps it through the bundle's source map and keeps it, for every promise a workflow
 * creates — every `await`, every async call, on every replay too. That is about a third of the CPU
 * of replaying a waiting execution (BENCHMARKS.md, "Workflow stack traces"), for a view of the
 * interpreter's own frames: what an execution is doing is its current widget, which the Temporal
 * UI shows from the execution's metadata and search attributes either way.
 *
 * The SDK has no option for it; it installs the hook when its workflow thread starts. So a thread
 * started while stack traces are off runs one statement before the SDK's thread module: the
 * SDK's `globalHandlers.setPromiseHook` does nothing. The SDK then records that it has no hook
 * (`stackTracesEnabled: false`) and answers the query with "Workflow stack traces are not
 * enabled on this worker"; everything else it installs (source-mapped stacks of thrown errors)
 * stays. `test/workflows/stack-traces.test.ts` holds both settings to what they claim, so an SDK
 * upgrade that moves either module fails there, not silently.
 *
 * The choice is the process's at the time a worker starts its threads (one worker per process;
 * tests that start several set it the same way).
 */
const SDK_WORKFLOW_THREAD = require.resolve('@temporalio/worker/lib/workflow/workflow-worker-thread');
const SDK_GLOBAL_HANDLERS = require.resolve('@temporalio/worker/lib/workflow/vm-shared');

const WITHOUT_PROMISE_HOOK = [
  `require(${JSON.stringify(SDK_GLOBAL_HANDLERS)}).globalHandlers.setPromiseHook = () => undefined;`,
  `require(${JSON.stringify(SDK_WORKFLOW_THREAD)});`,
].join('\n');

/**
 * The setting lives on the `worker_threads` module itself, with the one wrapper of its class:
 * the module is the process's, while this file may be loaded more than once (Jest gives each test
 * file its own copy), and a second wrapper would obey a stale copy's setting.
 */
const SETTING = Symbol.for('studio-engine.workflow-stack-traces');
type WithSetting = typeof workerThreads & { [SETTING]?: { on: boolean } };

/** Sets whether workflow threads started from now on keep stack traces (the SDK's default is on). */
export function useWorkflowStackTraces(on: boolean): void {
  const threads = workerThreads as WithSetting;
  const existing = threads[SETTING];
  if (existing) {
    existing.on = on;
    return;
  }
  const setting = { on };
  threads[SETTING] = setting;
  const NodeWorker = workerThreads.Worker;
  // The SDK constructs its threads with `new worker_threads.Worker(file)`, read at that moment.
  workerThreads.Worker = class WorkflowThread extends NodeWorker {
    constructor(filename: string | URL, options?: WorkerOptions) {
      super(...threadArguments(setting.on, filename, options));
    }
  };
}

function threadArguments(stackTraces: boolean, filename: string | URL, options: WorkerOptions | undefined): [string | URL, WorkerOptions | undefined] {
  if (stackTraces || filename !== SDK_WORKFLOW_THREAD || options?.eval) return [filename, options];
  return [WITHOUT_PROMISE_HOOK, { ...options, eval: true }];
}
