import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DEFAULT_ALL_LIMITS } from '../config/limits';
import { sinkConfigurationTakesFlow } from '../events/sink-config';
import { createCampaignActivities } from '../services/campaign-activities';
import type { ExecutionSettings } from '../services/execution-commands';
import { ExecutionService } from '../services/executions';
import { FlowService } from '../services/flows';
import { MessagingService } from '../services/messaging';
import { VoiceService } from '../services/voice';
import { Campaigns } from '../store/campaigns';
import { openDatabase, type Database } from '../store/database';
import { EventOutbox } from '../store/event-outbox';
import { ExecutionTombstones } from '../store/execution-tombstones';
import { FlowStore } from '../store/flow-store';
import { InboundWebhooks } from '../store/inbound-webhooks';
import { startWorker, type RunningWorker } from '../temporal/worker';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { CaptureChannel, Transcript } from './capture';
import { HttpMocks } from './mocks';

/** The account flow tests run as: fixed, so the same test sees the same context on every run. */
export const FLOWTEST_ACCOUNT = { accountSid: `AC${'0'.repeat(31)}1`, authToken: 'flowtest-auth-token' } as const;
/** Never reached: URLs the flow builds for Twilio (status callbacks, TwiML actions) start with it. */
export const FLOWTEST_PUBLIC_URL = 'https://flowtest.invalid';
const NAMESPACE = 'default';
const TASK_QUEUE = 'flowtests';

/**
 * Everything a flow test runs on, in one process: Temporal's time-skipping test server, a worker
 * with the production workflow and activities (its channel captures, its HTTP agent answers from
 * mocks), a throwaway store, and the same services the webhooks and the REST API call.
 */
export interface Rig {
  readonly env: TestWorkflowEnvironment;
  /** A plain client: time stays locked, so it moves only when a test waits. */
  readonly client: Client;
  readonly flows: FlowService;
  readonly store: FlowStore;
  readonly executions: ExecutionService;
  readonly messaging: MessagingService;
  readonly voice: VoiceService;
  readonly mocks: HttpMocks;
  /** The task queue the worker polls: a workflow a test starts itself goes there. */
  readonly taskQueue: string;
  /** The campaigns store, when the rig was started with `campaigns: true` (its worker then runs the campaign activities). */
  readonly campaigns?: Campaigns;
  /** The running test's transcript. */
  transcript: Transcript;
  close(): Promise<void>;
}

let runtimeInstalled = false;

/** The SDK's own logs: warnings and errors only, on stderr, so a report stays readable. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => process.stderr.write(`temporal ${entry.level}: ${entry.message}\n`)),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Another part of this process installed the runtime first: keep its settings.
  }
}

export interface RigOptions {
  readonly workflowBundle?: WorkflowBundleWithSourceMap;
  /** Also run the campaign workflow's activities on the worker, as a production worker does (tests of campaigns on virtual time). */
  readonly campaigns?: boolean;
}

export async function startRig(testServerPath: string, options: RigOptions = {}): Promise<Rig> {
  quietRuntime();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-studio-flowtest-'));
  const cleanups: (() => Promise<void> | void)[] = [() => fs.rmSync(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath } } });
    cleanups.push(() => env.teardown());
    await defineSearchAttributes(env);
    const database: Database = await openDatabase({ dataDir });
    cleanups.push(() => database.close());
    const store = new FlowStore(database);
    const rig = { transcript: new Transcript() };
    const transcript = () => rig.transcript;
    const mocks = new HttpMocks(transcript);
    const limits = DEFAULT_ALL_LIMITS;
    const settings: ExecutionSettings = { namespace: NAMESPACE, taskQueue: TASK_QUEUE, retentionDays: 30, engineLimits: limits.engine };
    const tombstones = new ExecutionTombstones(database);
    const campaigns = options.campaigns ? new Campaigns(database) : undefined;
    const worker: RunningWorker = await startWorker({
      address: env.address,
      namespace: NAMESPACE,
      taskQueue: TASK_QUEUE,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
      activities: {
        store,
        account: FLOWTEST_ACCOUNT,
        dispatcher: mocks.dispatcher,
        channel: new CaptureChannel(transcript, FLOWTEST_ACCOUNT.accountSid),
        publicUrl: FLOWTEST_PUBLIC_URL,
        outbox: new EventOutbox(database, sinkConfigurationTakesFlow),
      },
      ...(campaigns ? { moreActivities: createCampaignActivities({ campaigns, store, settings, tombstones }) } : {}),
    });
    cleanups.push(() => worker.stop());
    const client = new Client({ connection: env.connection, namespace: NAMESPACE });
    const executions = new ExecutionService(client, settings, tombstones);
    const voice = new VoiceService(store, executions.commands, { publicUrl: FLOWTEST_PUBLIC_URL, accountSid: FLOWTEST_ACCOUNT.accountSid, ...limits.voice });
    return Object.assign(rig, {
      env,
      client,
      store,
      flows: new FlowService(store, { ...limits.flow, maxJsonDepth: limits.engine.maxJsonDepth }),
      executions,
      messaging: new MessagingService(store, executions.commands, new InboundWebhooks(database), limits.engine.maxJsonDepth),
      voice,
      mocks,
      taskQueue: TASK_QUEUE,
      ...(campaigns ? { campaigns } : {}),
      close,
    });
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The execution workflow keeps its search attributes up to date (the Temporal UI and the
 * Executions list read them); the test server knows none until they are defined.
 */
async function defineSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const { IndexedValueType } = temporal.api.enums.v1;
  const types = { KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, INT: IndexedValueType.INDEXED_VALUE_TYPE_INT } as const;
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of SEARCH_ATTRIBUTES) searchAttributes[key.name] = types[key.type];
  await env.connection.operatorService.addSearchAttributes({ namespace: NAMESPACE, searchAttributes });
}
