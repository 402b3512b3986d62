import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './api/app';
import { appDependencies } from './api/compose';
import { changedLimits } from './config/limits';
import { startHttpServer } from './api/server';
import { temporalCallTimer } from './api/middleware/request-context';
import type { Config } from './config/env';
import { CREDENTIALS_FILE, resolveCredentials, type AccountCredentials } from './config/credentials';
import { packageVersion, toolsDir, webDir } from './config/paths';
import { FlowStore } from './store/flow-store';
import { EventOutbox } from './store/event-outbox';
import { FlowInsights } from './store/insights';
import { createOutboundActivities } from './services/outbound-activities';
import { EventDispatcher } from './events/dispatcher';
import type { Dispatcher } from 'undici';
import type { Logger } from './logger';
import { openDatabase, type Database } from './store/database';
import { provisionTemporalCli } from './temporal/cli';
import { provisionTestServer } from './temporal/test-server';
import { FlowTestService } from './flowtest/service';
import { TemporalAvailability } from './temporal/availability';
import { connectClient, type TemporalClientHandle } from './temporal/client';
import { startDevServer } from './temporal/dev-server';
import { ensureNamespace } from './temporal/namespace';
import { installTemporalRuntime } from './temporal/runtime';
import { egressAgent } from './net/egress';
import type { MessageChannel } from './channels/channel';
import { LocalChannel } from './channels/local';
import { TwilioChannel } from './channels/twilio';
import { LocalCalls, LocalMessages } from './store/local-messages';
import { startWorker } from './temporal/worker';
import { createMetrics, type Metrics } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-server';
import { sinkConfigurationTakesFlow } from './events/sink-config';

export type Role = 'all' | 'api' | 'worker';

/** Something started that must be stopped on shutdown. */
export interface Service {
  readonly name: string;
  stop(): Promise<void>;
  /** Settles if the service ends on its own (a crash); the process then shuts down. */
  readonly ended?: Promise<unknown>;
}

export interface Started {
  readonly services: Service[];
  /** Lines for the start banner. */
  readonly banner: string[];
}

const TEMPORAL_DB_FILE = 'temporal.db';

/** Connecting to a flow's HTTP endpoint; the whole call is bounded by the engine's HTTP limit. */
const EGRESS_CONNECT_TIMEOUT_MS = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Starts one role. `all` is `npm start`: the embedded Temporal dev server (unless
 * TEMPORAL_ADDRESS is set), the worker and the HTTP server. Services start in dependency
 * order; if one fails, those already started are stopped again before the error propagates.
 */
export async function startRole(role: Role, config: Config, logger: Logger): Promise<Started> {
  const services: Service[] = [];
  const banner: string[] = [];
  try {
    await startServices(role, config, logger, services, banner);
    return { services, banner };
  } catch (err) {
    await stopServices(services, logger);
    throw err;
  }
}

async function startServices(role: Role, config: Config, logger: Logger, services: Service[], banner: string[]): Promise<void> {
  const credentials = resolveCredentials(config);
  installTemporalRuntime(logger);

  if (role === 'all' && config.embeddedTemporal) {
    const { server, cli, dbFile } = await startEmbeddedTemporal(config, logger);
    services.push({ name: 'temporal dev server', stop: () => server.stop(), ended: server.exited });
    banner.push(`Temporal:     ${server.address} (embedded dev server; ${cli}; data in ${dbFile})`);
    banner.push(`Temporal UI:  ${server.uiUrl === undefined ? '(headless)' : `${server.uiUrl}  (${uiReach(config.TEMPORAL_UI_HOST)})`}`);
  } else {
    banner.push(`Temporal:     ${config.temporalAddress} (namespace ${config.TEMPORAL_NAMESPACE})`);
  }

  const temporal = await connectClient(config.temporalAddress, config.TEMPORAL_NAMESPACE, [temporalCallTimer()]);
  services.push({ name: 'temporal client', stop: () => temporal.close() });
  const report = await ensureNamespace(temporal.connection, {
    namespace: config.TEMPORAL_NAMESPACE,
    retentionDays: config.EXECUTION_RETENTION_DAYS,
  });
  if (report.created || report.retentionChanged || report.addedSearchAttributes.length > 0) {
    logger.info({ namespace: config.TEMPORAL_NAMESPACE, ...report }, 'prepared the Temporal namespace');
  }

  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  services.push({ name: 'store', stop: () => database.close() });
  banner.push(`Store:        ${database.dialect} (${database.location})`);
  const store = new FlowStore(database, config.FLOW_REVISION_CACHE_MIB);
  const outbox = new EventOutbox(database, sinkConfigurationTakesFlow);
  const metrics = createMetrics({ sinkBacklog: () => outbox.backlog() });

  // The worker starts before the HTTP server, so a healthy API means executions can run.
  if (role !== 'api') {
    const dispatcher = egressAgent({ blockPrivate: config.HTTP_BLOCK_PRIVATE }, EGRESS_CONNECT_TIMEOUT_MS);
    services.push({ name: 'egress agent', stop: () => dispatcher.close() });
    const events = startEventDelivery(config, credentials, outbox, dispatcher, metrics, logger);
    const worker = await startWorker({
      address: config.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      heapGrowingPercent: config.WORKER_HEAP_GROWING_PERCENT,
      workflowStackTraces: config.WORKER_STACK_TRACES,
      activities: {
        store,
        account: credentials,
        dispatcher,
        channel: messageChannel(config, credentials, database),
        publicUrl: config.publicUrl,
        outbox,
        eventsRecorded: () => events.notify(),
      },
      moreActivities: createOutboundActivities(database, store, { namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, retentionDays: config.EXECUTION_RETENTION_DAYS, engineLimits: config.limits.engine }),
      metrics,
    });
    // Stopped in reverse: the worker first, then the delivery of what it recorded last.
    services.push({ name: 'event delivery', stop: () => events.stop() });
    const retention = startInsightsRetention(new FlowInsights(database), config.INSIGHTS_RETENTION_DAYS * DAY_MS, logger);
    services.push({ name: 'insights retention', stop: () => retention.stop() });
    services.push({ name: 'worker', stop: () => worker.stop(), ended: worker.done });
    banner.push(`Worker:       polling task queue ${config.TEMPORAL_TASK_QUEUE}`);
  }
  // The API roles serve /metrics on PORT; a lone worker has no HTTP server unless asked for one.
  if (role === 'worker' && config.METRICS_PORT !== undefined) {
    const scrape = await startMetricsServer(metrics.registry, config.HOST, config.METRICS_PORT, logger);
    services.push({ name: 'metrics server', stop: () => scrape.close() });
    banner.push(`Metrics:      ${scrape.url}/metrics`);
  }
  if (role !== 'worker') await startApi(config, logger, temporal, database, store, credentials, metrics, services, banner);
  banner.push(`Account SID:  ${credentials.accountSid}`);
  banner.push(`Auth token:   ${credentials.authToken}  (${describeSource(credentials, config)})`);
}

/**
 * Every worker process delivers the event outbox to the sinks; a lease per sink in the store
 * keeps two workers from delivering to one sink at once.
 */
function startEventDelivery(config: Config, credentials: AccountCredentials, outbox: EventOutbox, agent: Dispatcher, metrics: Metrics, logger: Logger): EventDispatcher {
  const delivery = new EventDispatcher({
    outbox,
    authToken: credentials.authToken,
    agent,
    limits: config.limits.sinks,
    retentionMs: config.EXECUTION_RETENTION_DAYS * DAY_MS,
    logger: logger.child({ component: 'event-delivery' }),
    metrics,
  });
  delivery.start();
  return delivery;
}

const INSIGHTS_PURGE_EVERY_MS = 3_600_000;

/** Every worker forgets flow insights past their retention, hourly (several workers doing it at once only repeat a delete). */
function startInsightsRetention(insights: FlowInsights, retentionMs: number, logger: Logger): { stop(): Promise<void> } {
  const purge = () =>
    insights
      .purge(Date.now() - retentionMs)
      .then((n) => n > 0 && logger.info({ rows: n }, 'dropped flow insights past retention'))
      .catch((err: unknown) => logger.warn({ err }, 'could not drop flow insights past retention; will try again'));
  void purge();
  const timer = setInterval(() => void purge(), INSIGHTS_PURGE_EVERY_MS);
  timer.unref();
  return { stop: () => Promise.resolve(clearInterval(timer)) };
}

async function startEmbeddedTemporal(config: Config, logger: Logger) {
  const cli = await provisionTemporalCli({
    explicitPath: config.TEMPORAL_CLI_PATH,
    toolsDir: toolsDir(),
    log: (line) => logger.info(line),
  });
  logger.info(`Temporal CLI: ${cli.description}`);
  // The dev server does not create its database's folder; with the account given in the
  // environment nothing has written to DATA_DIR yet on a first start.
  fs.mkdirSync(config.dataDir, { recursive: true });
  const dbFile = path.join(config.dataDir, TEMPORAL_DB_FILE);
  const server = await startDevServer({
    cliPath: cli.path,
    // Temporal's frontend has no auth: only this process (worker and API) needs it, on loopback.
    ip: '127.0.0.1',
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    uiIp: config.TEMPORAL_UI_HOST,
    dbFile,
    namespace: config.TEMPORAL_NAMESPACE,
    portVariables: { port: 'TEMPORAL_PORT', uiPort: 'TEMPORAL_UI_PORT' },
    log: (line) => logger.debug({ component: 'temporal-server' }, line),
  });
  return { server, cli: cli.description, dbFile };
}

/** Who can reach the embedded Temporal UI, for the banner: it has no sign-in of its own. */
function uiReach(host: string): string {
  if (host === '::1' || host.startsWith('127.')) return 'loopback only; set TEMPORAL_UI_HOST=0.0.0.0 to expose it: it has no sign-in';
  const where = host === '0.0.0.0' || host === '::' ? 'on every interface' : `on ${host}`;
  return `${where} (TEMPORAL_UI_HOST=${host}): it has no sign-in, whoever reaches it sees every execution`;
}

async function startApi(
  config: Config,
  logger: Logger,
  temporal: TemporalClientHandle,
  database: Database,
  store: FlowStore,
  credentials: AccountCredentials,
  metrics: Metrics,
  services: Service[],
  banner: string[],
): Promise<void> {
  let draining = false;
  const availability = new TemporalAvailability(temporal.connection, { callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS, probeIntervalMs: 1_000, namespace: config.TEMPORAL_NAMESPACE });
  services.push({ name: 'temporal availability', stop: () => availability.close() });
  // Flow-test runs through the API start their own test server on first use; stopped with the API.
  const flowTests = new FlowTestService(config.limits.flowtests, async () => (await provisionTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH || undefined, toolsDir: toolsDir(), log: (line) => logger.info(line) })).path);
  services.push({ name: 'flow tests', stop: () => flowTests.close() });
  const app = createApp(
    appDependencies(
      {
        publicUrl: config.publicUrl,
        webhookValidation: config.WEBHOOK_VALIDATION,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        retentionDays: config.EXECUTION_RETENTION_DAYS,
        httpBlockPrivate: config.HTTP_BLOCK_PRIVATE,
        inboundClaims: { waitMs: config.INBOUND_CLAIM_WAIT_MS, leaseMs: config.INBOUND_CLAIM_LEASE_MS },
        limits: config.limits,
        version: packageVersion(),
        webDir: webDir(),
      },
      {
        logger,
        account: credentials,
        database,
        store,
        temporal: temporal.client,
        metrics,
        health: { temporal: () => availability.check(), store: () => database.ping(), draining: () => draining },
        availability,
        flowTests,
      },
    ),
  );
  const http = await startHttpServer(app, config.HOST, config.PORT, { drainMs: config.SHUTDOWN_DRAIN_MS, limits: config.limits.http });
  services.push({
    name: 'http',
    stop: () => {
      draining = true;
      return http.close();
    },
  });
  banner.push(`Editor:       ${config.publicUrl}/  (sign in with the Account SID and Auth token shown here)`);
  banner.push(`API:          ${config.publicUrl}/v2/Flows  (listening on ${http.url})`);
  banner.push(`Webhooks:     ${config.publicUrl}/v1/Accounts/${credentials.accountSid}/Flows/{FlowSid}`);
  banner.push(`Health:       ${config.publicUrl}/health`);
  banner.push(`Metrics:      ${config.publicUrl}/metrics`);
  const changed = changedLimits(config.limits);
  if (changed.length > 0) banner.push(`Limits:       ${changed.join(' ')} (the others at Studio's defaults)`);
}

function describeSource(credentials: AccountCredentials, config: Config): string {
  if (credentials.source === 'environment') return 'from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN';
  const file = path.join(config.dataDir, CREDENTIALS_FILE);
  return credentials.source === 'generated' ? `generated and stored in ${file}` : `stored in ${file}`;
}

/** CHANNEL_PROVIDER: the local inbox, or Twilio's REST API at TWILIO_API_BASE_URL. */
function messageChannel(config: Config, credentials: AccountCredentials, database: Database): MessageChannel {
  if (config.CHANNEL_PROVIDER === 'local') return new LocalChannel(new LocalMessages(database), credentials.accountSid, new LocalCalls(database));
  const twilioHosted = config.TWILIO_API_BASE_URL === 'https://api.twilio.com';
  return new TwilioChannel({
    apiBaseUrl: config.TWILIO_API_BASE_URL,
    // Twilio serves Conversations from its own host; a stand-in serves both from one base.
    conversationsBaseUrl: twilioHosted ? 'https://conversations.twilio.com' : config.TWILIO_API_BASE_URL,
    flexBaseUrl: twilioHosted ? 'https://flex-api.twilio.com' : config.TWILIO_API_BASE_URL,
    accountSid: credentials.accountSid,
    authToken: credentials.authToken,
  });
}

/** Stops services in reverse start order; one failing does not keep the others running. */
export async function stopServices(services: readonly Service[], logger: Logger): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
      logger.debug(`stopped ${service.name}`);
    } catch (err) {
      logger.error({ err }, `stopping ${service.name} failed`);
    }
  }
}
