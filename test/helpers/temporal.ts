import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { egressAgent } from '../../src/net/egress';
import type { MessageChannel } from '../../src/channels/channel';
import { LocalChannel } from '../../src/channels/local';
import { FlowStore } from '../../src/store/flow-store';
import { LocalMessages } from '../../src/store/local-messages';
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
  /** The local channel's inbox (unless another channel was given). */
  readonly inbox: LocalMessages;
  close(): Promise<void>;
}

/** A client and a real worker on a task queue of its own, against the shared dev server. */
export interface TemporalTestOptions {
  /** Where the activities read flow revisions (subflows); a fresh SQLite store by default. */
  readonly store?: FlowStore;
  /** Tests only: send outbound HTTP to a local stand-in. */
  readonly rewriteUrl?: (url: URL) => URL;
  readonly blockPrivate?: boolean;
  /** Where messages go; the local inbox (on a fresh store) by default. */
  readonly channel?: MessageChannel;
  readonly publicUrl?: string;
  readonly taskQueue?: string;
  readonly account?: { readonly accountSid: string; readonly authToken: string };
}

export const TEST_ACCOUNT = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32) };

export async function startTemporalTestContext(options: TemporalTestOptions = {}): Promise<TemporalTestContext> {
  installTemporalRuntime(createLogger('warn', 'test'));
  const address = temporalAddress();
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const db = await freshDatabase('sqlite');
  const store = options.store ?? new FlowStore(db.database);
  const inbox = new LocalMessages(db.database);
  const dispatcher = egressAgent({ blockPrivate: options.blockPrivate ?? false }, 2_000);
  const worker = await startWorker({
    address,
    namespace: 'default',
    taskQueue,
    activities: {
      store,
      account: options.account ?? TEST_ACCOUNT,
      dispatcher,
      channel: options.channel ?? new LocalChannel(inbox, (options.account ?? TEST_ACCOUNT).accountSid),
      publicUrl: options.publicUrl ?? 'http://127.0.0.1:9',
      ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}),
    },
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
    inbox,
    close: async () => {
      await worker.stop();
      await connection.close();
      await dispatcher.close();
      await db.drop();
    },
  };
}
