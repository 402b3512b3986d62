import v8 from 'node:v8';
import type { Context as ActivityContext } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { NativeConnection, Worker, type ActivityInterceptors, type WorkflowBundleOption, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../../activities';
import type { Metrics } from '../observability/metrics';
import { prebuiltBundle, workflowBundlerOptions } from './workflow-bundle';
import { useWorkflowStackTraces } from './workflow-threads';

export interface WorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: ActivityDependencies;
  /** Activities of other workflows, built by the caller (a campaign's start executions, which this module must not import). */
  readonly moreActivities?: object;
  /** A bundle the caller built (tests build one per process); else `npm run build`'s, else one made at start. */
  readonly workflowBundle?: WorkflowBundleWithSourceMap;
  /** Executions kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS); the SDK's heap-based default otherwise. */
  readonly maxCachedWorkflows?: number;
  /** The process's metrics: failed activity attempts, executions and steps are counted here. */
  readonly metrics?: Metrics;
  /** WORKER_HEAP_GROWING_PERCENT: how far V8 lets the process's heaps grow past what they hold live; V8's own choice when absent or 0. */
  readonly heapGrowingPercent?: number;
  /** WORKER_STACK_TRACES: workflow threads keep stack traces for Temporal's stack-trace query; off when absent (see workflow-threads.ts). */
  readonly workflowStackTraces?: boolean;
}

export interface RunningWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped; rejects if it crashed. */
  readonly done: Promise<void>;
  /** Stops polling, lets in-flight tasks finish, then closes the connection. Idempotent. */
  stop(): Promise<void>;
}

/** The path the bundler starts from: `workflows/index` next to this build (ts in tests, js in dist). */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

function workflowCode(given: WorkflowBundleWithSourceMap | undefined): { workflowBundle: WorkflowBundleOption } | { workflowsPath: string; bundlerOptions: ReturnType<typeof workflowBundlerOptions> } {
  const bundle = given ?? prebuiltBundle();
  return bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions() };
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  if (options.heapGrowingPercent) limitHeapGrowth(options.heapGrowingPercent);
  useWorkflowStackTraces(options.workflowStackTraces ?? false);
  const connection = await NativeConnection.connect({ address: options.address });
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...workflowCode(options.workflowBundle),
      ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
      // One registry per process: the activities count executions and steps into it as well.
      activities: { ...createActivities(options.metrics ? { ...options.activities, metrics: options.metrics } : options.activities), ...options.moreActivities },
      ...(options.metrics ? { interceptors: { activity: [activityFailureCounter(options.metrics)] } } : {}),
      // The default (0) cancels in-flight activities at once on shutdown; let them finish.
      shutdownGraceTime: '20s',
    });
  } catch (err) {
    await connection.close();
    throw err;
  }
  const done = worker.run().finally(() => connection.close());
  let stopping: Promise<void> | undefined;
  return {
    worker,
    done,
    stop: () => {
      if (!stopping) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        stopping = done.catch(() => undefined);
      }
      return stopping;
    },
  };
}

/**
 * Each new or replayed workflow evaluates the bundle's modules again in the workflow thread, and
 * activations churn the main thread's heap; with its default, V8 lets a heap grow to several
 * times what it holds live before collecting, which for a 4 GiB limit is hundreds of MiB of
 * garbage per thread. A smaller growing factor collects sooner without capping anything: no
 * heap can run out because of it. V8 reads the flag each time it sets a heap's next limit, so
 * it applies to the threads running now and to the workflow thread the SDK creates next — the
 * whole process (BENCHMARKS.md, "Worker memory").
 */
function limitHeapGrowth(percent: number): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Counts activity attempts that throw, by activity type, and rethrows unchanged (Temporal
 * retries or fails the activity as before). Cancellations are the execution ending or the
 * worker stopping, not failures, and are not counted.
 */
function activityFailureCounter(metrics: Metrics): (ctx: ActivityContext) => ActivityInterceptors {
  return (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        try {
          return await next(input);
        } catch (err) {
          if (!(err instanceof CancelledFailure) && !ctx.cancellationSignal.aborted) metrics.activityFailures.inc({ activity: ctx.info.activityType });
          throw err;
        }
      },
    },
  });
}
