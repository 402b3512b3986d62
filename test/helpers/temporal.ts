import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { egressAgent } from '../../src/net/egress';
import { FlowStore } from '../../src/store/flow-store';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { freshDatabase } from './databases';
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
  readonly store: FlowStore;
  close(): Promise<void>;
}

/** A client and a real worker on a task queue of its own, against the shared dev server. */
export interface TemporalTestOptions {
  /** Where the activities read flow revisions (subflows); a fresh SQLite store by default. */
  readonly store?: FlowStore;
  /** Tests only: send outbound HTTP to a local stand-in. */
  readonly rewriteUrl?: (url: URL) => URL;
  readonly blockPrivate?: boolean;
}

export const TEST_ACCOUNT = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32) };

export async function startTemporalTestContext(options: TemporalTestOptions = {}): Promise<TemporalTestContext> {
  installTemporalRuntime(createLogger('warn', 'test'));
  const address = temporalAddress();
  const taskQueue = `test-${randomUUID()}`;
  const db = options.store ? undefined : await freshDatabase('sqlite');
  const store = options.store ?? new FlowStore(db!.database);
  const dispatcher = egressAgent({ blockPrivate: options.blockPrivate ?? false }, 2_000);
  const worker = await startWorker({
    address,
    namespace: 'default',
    taskQueue,
    activities: { store, account: TEST_ACCOUNT, dispatcher, ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}) },
    workflowBundle: await workflowBundle(),
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    connection,
    taskQueue,
    worker,
    store,
    close: async () => {
      await worker.stop();
      await connection.close();
      await dispatcher.close();
      await db?.drop();
    },
  };
}
