import type { TemporalAvailability } from '../temporal/availability';
import express, { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { AccountCredentials } from '../config/credentials';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import { basicAuth } from './middleware/auth';
import { errorFunnel, notFound } from './middleware/errors';
import { requestContext } from './middleware/request-context';
import { openApiDocument } from './openapi';
import { PageTokens } from './paging';
import { registerRoutes, type RouteSpec } from './route';
import { eventStreamRoutes, type EventStreamRouteDeps } from './routes/event-streams';
import { executionRoutes, type ExecutionRouteDeps } from './routes/executions';
import { flowRoutes, type FlowRouteDeps } from './routes/flows';
import { healthRoutes, type HealthChecks } from './routes/health';
import { localInboxRoutes, type LocalInboxDeps } from './routes/local-inbox';
import { localVoiceRoutes, type LocalVoiceDeps } from './routes/local-voice';
import { revisionRoutes } from './routes/revisions';
import { testUserRoutes } from './routes/test-users';
import { insightRoutes } from './routes/insights';
import { migrationRoutes } from './routes/migrations';
import { campaignRoutes } from './routes/campaigns';
import { contactListRoutes } from './routes/contact-lists';
import { scheduleRoutes } from './routes/schedules';
import type { ScheduleService } from '../services/schedules';
import type { Schedules } from '../store/schedules';
import type { ContactLists } from '../store/contact-lists';
import type { CampaignService } from '../services/campaigns';
import type { Campaigns } from '../store/campaigns';
import type { CampaignLimits } from '../limits/campaigns';
import type { MigrationService } from '../services/migrations';
import type { FlowMigrations } from '../store/flow-migrations';
import type { FlowInsights } from '../store/insights';
import { flowTestRoutes } from './routes/flow-tests';
import type { FlowTestService } from '../flowtest/service';
import { webAppRoutes } from './routes/web-app';
import { webhookRoutes, type WebhookDeps } from './routes/webhooks';
import { keyRoutes, type KeyRouteDeps } from './routes/keys';
import { sessionRoutes } from './routes/session';

export interface AppDependencies {
  readonly logger: Logger;
  readonly health: HealthChecks;
  readonly account: AccountCredentials;
  readonly flows: FlowRouteDeps;
  readonly executions: ExecutionRouteDeps;
  readonly webhooks: WebhookDeps;
  readonly local: LocalInboxDeps;
  readonly localVoice: LocalVoiceDeps;
  /** Event Streams (Twilio's Events API v1): sinks and subscriptions. */
  readonly eventStreams: EventStreamRouteDeps;
  /** API keys (Twilio's Keys resource): they authenticate like the auth token. */
  readonly keys?: KeyRouteDeps;
  /** Flow tests kept with flows and run on the time-skipping test server (our extension). */
  readonly flowTests?: FlowTestService;
  /** Largest request body; form encoding can triple a definition's size, so keep it well above the definition limit. */
  readonly maxBodyBytes?: number;
  readonly version?: string;
  /** The process's metrics: recorded per request and served at `GET /metrics`. */
  readonly metrics?: Metrics;
  /** Bounds every request's Temporal calls and answers 503 at once while Temporal is away. */
  readonly temporal?: TemporalAvailability;
  /** The built editor, served at `/` (see `routes/web-app.ts`). */
  readonly webDir?: string;
  /** Flow insights (path analytics) over the facts recorded with every step. */
  readonly insights?: FlowInsights;
  /** Moving waiting executions to a newer revision, and the record of each migration. */
  readonly migrations?: { readonly service: MigrationService; readonly records: FlowMigrations };
  /** Campaigns over contact lists. */
  readonly campaigns?: { readonly service: CampaignService; readonly records: Campaigns; readonly limits: CampaignLimits };
  /** Schedules (of an execution or a campaign) and the saved contact lists their campaigns read. */
  readonly schedules?: { readonly service: ScheduleService; readonly records: Schedules; readonly lists: ContactLists; readonly campaignLimits: CampaignLimits };
}

/** Every documented REST route, in registration order (literal paths before parameters). */
export function apiRoutes(deps: AppDependencies): RouteSpec<never>[] {
  return [...flowRoutes(deps.flows), ...revisionRoutes(deps.flows), ...testUserRoutes(deps.flows), ...(deps.insights ? insightRoutes({ ...deps.flows, insights: deps.insights }) : []), ...(deps.migrations ? migrationRoutes({ ...deps.flows, migrations: deps.migrations.service, records: deps.migrations.records }) : []), ...(deps.campaigns ? campaignRoutes({ ...deps.flows, campaigns: deps.campaigns.service, records: deps.campaigns.records, campaignLimits: deps.campaigns.limits }) : []), ...(deps.schedules ? [...scheduleRoutes({ ...deps.flows, schedules: deps.schedules.service, records: deps.schedules.records, lists: deps.schedules.lists, campaignLimits: deps.schedules.campaignLimits }), ...contactListRoutes({ publicUrl: deps.flows.publicUrl, lists: deps.schedules.lists, campaignLimits: deps.schedules.campaignLimits })] : []), ...(deps.flowTests ? flowTestRoutes({ ...deps.flows, tests: deps.flowTests }) : []), ...executionRoutes(deps.executions), ...localInboxRoutes(deps.local), ...localVoiceRoutes(deps.localVoice), ...eventStreamRoutes(deps.eventStreams), ...(deps.keys ? keyRoutes(deps.keys) : []), ...sessionRoutes()];
}

/** The HTTP app: routes only translate HTTP to calls on their dependencies. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext({ logger: deps.logger, metrics: deps.metrics }));
  // No upgrade-insecure-requests: a self-hosted editor is often reached over plain HTTP on a LAN
  // address, where upgraded asset requests would fail.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(noStore);
  if (deps.metrics) app.get('/metrics', metricsHandler(deps.metrics));
  app.use(healthRoutes(deps.health));

  const routes = apiRoutes(deps);
  const document = openApiDocument(routes, deps.flows.publicUrl, deps.version ?? '0.0.0');
  app.get('/openapi.json', (_req, res) => void res.json(document));
  if (deps.temporal) app.use(deps.temporal.deadline);

  // Twilio's webhooks: signed, form-encoded, answered with TwiML.
  app.use(webhookRoutes(deps.webhooks));

  const limit = deps.maxBodyBytes ?? 4 * deps.flows.limits.maxDefinitionBytes;
  const api = Router();
  registerRoutes(api, routes, {
    authenticate: basicAuth(deps.account, deps.keys?.keys),
    parseBody: ({ maxBodyBytes = limit, textBody }) => [
      express.urlencoded({ extended: false, limit: maxBodyBytes, parameterLimit: 2_000 }),
      express.json({ limit: maxBodyBytes, strict: true }),
      ...(textBody ? [express.text({ type: textBody.type, limit: maxBodyBytes })] : []),
    ],
    pageTokens: new PageTokens(deps.account.authToken),
  });
  app.use(api);
  if (deps.webDir) app.use(webAppRoutes(deps.webDir));

  app.use(notFound);
  app.use(errorFunnel(deps.logger, deps.temporal));
  return app;
}

/**
 * Every answer holds account data or a state of the moment (errors too), which no browser or
 * shared cache may keep. Set first, so no path can miss it; the editor's static files, which
 * are the same for everyone, set their own (`routes/web-app.ts`).
 */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** Prometheus scrapes: no auth, like `/health`; keep the port off the public internet. */
function metricsHandler(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.type(metrics.registry.contentType).send(text);
  };
}
