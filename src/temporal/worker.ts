import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../../activities';

export interface WorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: ActivityDependencies;
  /** A prebuilt bundle (tests build it once); otherwise the workflows are bundled at start. */
  readonly workflowBundle?: WorkflowBundleWithSourceMap;
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

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
      activities: createActivities(options.activities),
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
