import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/logger';
import { egressAgent } from '../../src/net/egress';
import type { MessageChannel } from '../../src/channels/channel';
import { LocalChannel } from '../../src/channels/local';
import { FlowStore } from '../../src/store/flow-store';
import { LocalMessages } from '../../src/store/local-messages';
import type { Database } from '../../src/store/database';
import { EventOutbox } from '../../src/store/event-outbox';
import { EventDispatcher } from '../../src/events/dispatcher';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from '../../src/limits/sinks';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { freshDatabase } from './databases';
import { startWorker, WORKFLOWS_PATH, type RunningWorker } from '../../src/temporal/worker';
import { workflowBundlerOptions } from '../../src/temporal/workflow-bundle';
import { createOutboundActivities } from '../../src/services/outbound-activities';
import { sinkConfigurationTakesFlow } from '../../src/events/sink-config';

/** The address of the run's shared dev server (set by global setup). */
export function temporalAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests with jest (global setup starts Temporal)');
  return address;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...workflowBundlerOptions(), logger: quietLogger });
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
  /** The worker's database: its event outbox lives there. */
  readonly database: Database;
  readonly outbox: EventOutbox;
  /** Present with `deliverEvents`. */
  readonly dispatcher?: EventDispatcher;
  close(): Promise<void>;
}

/** A client and a real worker on a task queue of its own, against the shared dev server. */
export interface TemporalTestOptions {
  /** Where the activities read flow revisions (subflows); a fresh SQLite store by default. */
  readonly store?: FlowStore;
  /** The database for the inbox and the event outbox (share it with an API to manage sinks); a fresh SQLite one by default. */
  readonly database?: Database;
  /** Deliver events to sinks (a dispatcher beside the worker), with these limits over the defaults. */
  readonly deliverEvents?: Partial<SinkLimits>;
  /** Tests only: send outbound HTTP to a local stand-in. */
  readonly rewriteUrl?: (url: URL) => URL;
  readonly blockPrivate?: boolean;
  /** Where messages go; the local inbox (on a fresh store) by default. */
  readonly channel?: MessageChannel;
  readonly publicUrl?: string;
  readonly taskQueue?: string;
  readonly account?: { readonly accountSid: string; readonly authToken: string };
  /** WORKER_STACK_TRACES for this worker's workflow threads; off, as in production, by default. */
  readonly workflowStackTraces?: boolean;
}

export const TEST_ACCOUNT = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32) };

export async function startTemporalTestContext(options: TemporalTestOptions = {}): Promise<TemporalTestContext> {
  installTemporalRuntime(createLogger('warn', 'test'));
  const address = temporalAddress();
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const db = options.database ? { database: options.database, drop: () => Promise.resolve() } : await freshDatabase('sqlite');
  const store = options.store ?? new FlowStore(db.database);
  const inbox = new LocalMessages(db.database);
  const outbox = new EventOutbox(db.database, sinkConfigurationTakesFlow);
  const account = options.account ?? TEST_ACCOUNT;
  const sinkAgent = egressAgent({ blockPrivate: false }, 2_000);
  const deliveries = options.deliverEvents
    ? new EventDispatcher({
        outbox,
        authToken: account.authToken,
        agent: sinkAgent,
        limits: { ...DEFAULT_SINK_LIMITS, ...options.deliverEvents },
        retentionMs: 24 * 60 * 60 * 1000,
        logger: createLogger('silent', 'test'),
      })
    : undefined;
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
      outbox,
      ...(deliveries ? { eventsRecorded: () => deliveries.notify() } : {}),
      ...(options.rewriteUrl ? { rewriteUrl: options.rewriteUrl } : {}),
    },
    moreActivities: createOutboundActivities(db.database, store, { namespace: 'default', taskQueue, retentionDays: 30 }),
    workflowBundle: await workflowBundle(),
    ...(options.workflowStackTraces !== undefined ? { workflowStackTraces: options.workflowStackTraces } : {}),
  });
  deliveries?.start();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    connection,
    taskQueue,
    worker,
    store,
    inbox,
    database: db.database,
    outbox,
    ...(deliveries ? { dispatcher: deliveries } : {}),
    close: async () => {
      await deliveries?.stop();
      await sinkAgent.close();
      await worker.stop();
      await connection.close();
      await dispatcher.close();
      await db.drop();
    },
  };
}
