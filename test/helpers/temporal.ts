import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startWorker, WORKFLOWS_PATH, type RunningWorker } from '../../src/temporal/worker';

/** The address of the run's shared dev server (set by global setup). */
export function temporalAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests with jest (global setup starts Temporal)');
  return address;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
};

export interface TemporalTestContext {
  readonly client: Client;
  readonly connection: Connection;
  readonly taskQueue: string;
  readonly worker: RunningWorker;
  close(): Promise<void>;
}

/** A client and a real worker on a task queue of its own, against the shared dev server. */
export async function startTemporalTestContext(): Promise<TemporalTestContext> {
  installTemporalRuntime(createLogger('warn', 'test'));
  const address = temporalAddress();
  const taskQueue = `test-${randomUUID()}`;
  const worker = await startWorker({ address, namespace: 'default', taskQueue, activities: {}, workflowBundle: await workflowBundle() });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    connection,
    taskQueue,
    worker,
    close: async () => {
      await worker.stop();
      await connection.close();
    },
  };
}
