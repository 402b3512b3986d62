import { z } from 'zod';
import { MigrationRejected, type MigrationService } from '../../services/migrations';
import type { FlowMigrations, MigrationRecord } from '../../store/flow-migrations';
import { ApiError } from '../errors';
import { pageParams } from '../paging';
import { flowUrl } from '../resources/flows';
import { route, type RouteSpec } from '../route';
import { requireFlow, type FlowRouteDeps } from './flows';

export interface MigrationRouteDeps extends FlowRouteDeps {
  readonly migrations: MigrationService;
  readonly records: FlowMigrations;
}

const MIGRATION_SID = /^FM[0-9a-f]{32}$/;

/** The service's refusals in Twilio's error shape. */
async function answered<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof MigrationRejected)) throw err;
    throw err.reason === 'not-found' ? ApiError.notFound(err.message) : new ApiError(400, 20001, err.message);
  }
}

const groupSchema = z.object({
  from_revision: z.number(),
  widget: z.string().describe('the widget they wait at (empty: not settled into a wait yet)'),
  widget_type: z.string().nullable(),
  executions: z.number(),
  mappable: z.boolean(),
  to_widget: z.string().nullable().describe('the widget they would wait at in the new revision'),
  reason: z.string().nullable().describe('why the group cannot be moved'),
});
const planSchema = z.object({
  flow_sid: z.string(),
  to_revision: z.number().describe("the flow's newest published revision"),
  mappable: z.number(),
  unmappable: z.number(),
  truncated: z.boolean().describe('more executions wait than a dry run lists (LIMIT_MIGRATION_MAX_EXECUTIONS)'),
  groups: z.array(groupSchema),
  url: z.string(),
  links: z.object({ runs: z.string() }),
});
const countsSchema = z.object({ pending: z.number(), migrated: z.number(), already: z.number(), refused: z.number(), failed: z.number() });
const migrationSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  flow_sid: z.string(),
  to_revision: z.number(),
  from_revision: z.number().nullable().describe('the group asked for (null: every mappable group)'),
  widget: z.string().nullable(),
  created_by: z.string().describe('the account SID or API key SID whose credentials started it'),
  status: z.enum(['running', 'completed']),
  total: z.number(),
  counts: countsSchema,
  date_created: z.string(),
  date_updated: z.string(),
  url: z.string(),
  links: z.object({ executions: z.string() }),
});
const runsSchema = z.object({ migrations: z.array(migrationSchema), url: z.string() });
const outcomesSchema = z.object({
  executions: z.array(z.object({ execution_sid: z.string(), from_revision: z.number(), widget: z.string(), status: z.enum(['pending', 'migrated', 'already', 'refused', 'failed']), reason: z.string().nullable(), date_updated: z.string() })),
  url: z.string(),
});
const choiceInput = z.looseObject({
  FromRevision: z.coerce.number().int().positive().optional().describe('migrate only the executions of this revision…'),
  Widget: z.string().min(1).max(256).optional().describe('…waiting at this widget; neither: every mappable group'),
});

/**
 * Moving waiting executions to a flow's newest published revision (our extension of the Studio
 * API): a dry run, a migration of one group or all, and the record of each — who, when, what.
 */
export function migrationRoutes(deps: MigrationRouteDeps): RouteSpec<never>[] {
  const base = (flowSid: string) => `${flowUrl(deps, flowSid)}/Migrations`;
  const iso = (ms: number) => new Date(ms).toISOString();
  const resource = (m: MigrationRecord) => ({
    sid: m.sid,
    account_sid: m.account_sid,
    flow_sid: m.flow_sid,
    to_revision: m.to_revision,
    from_revision: m.from_revision,
    widget: m.widget,
    created_by: m.created_by,
    status: m.status,
    total: m.total,
    counts: m.counts,
    date_created: iso(m.date_created),
    date_updated: iso(m.date_updated),
    url: `${base(m.flow_sid)}/${m.sid}`,
    links: { executions: `${base(m.flow_sid)}/${m.sid}/Executions` },
  });
  const requireMigration = async (accountSid: string, flowSid: string, sid: string | undefined) => {
    const found = sid && MIGRATION_SID.test(sid) ? await deps.records.get(accountSid, flowSid, sid) : undefined;
    if (!found) throw ApiError.notFound(`/Flows/${flowSid}/Migrations/${sid ?? ''}`);
    return found;
  };

  return [
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Migrations',
      operationId: 'FetchFlowMigrationPlan',
      summary: 'Dry run: the executions waiting in older revisions, grouped by revision and widget, and whether each group can move to the newest published revision',
      tag: 'Migrations',
      input: z.looseObject({}),
      response: { status: 200, description: 'The plan', schema: planSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const plan = await answered(deps.migrations.plan(request.account.accountSid, flow.sid));
        const groups = plan.groups.map((g) => ({ from_revision: g.fromRevision, widget: g.widget, widget_type: g.type, executions: g.executions.length, mappable: g.mappable, to_widget: g.mappable ? g.widget : null, reason: g.reason }));
        const count = (mappable: boolean) => groups.filter((g) => g.mappable === mappable).reduce((n, g) => n + g.executions, 0);
        return { status: 200, body: { flow_sid: flow.sid, to_revision: plan.toRevision, mappable: count(true), unmappable: count(false), truncated: plan.truncated, groups, url: base(flow.sid), links: { runs: `${base(flow.sid)}/Runs` } } };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Migrations',
      operationId: 'CreateFlowMigration',
      summary: 'Migrate a group of waiting executions (or every mappable group) to the newest published revision; it runs on, GET it for progress',
      tag: 'Migrations',
      input: choiceInput,
      response: { status: 201, description: 'The migration, started', schema: migrationSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const { FromRevision, Widget } = request.input;
        const choice = { ...(FromRevision !== undefined ? { fromRevision: FromRevision } : {}), ...(Widget !== undefined ? { widget: Widget } : {}) };
        const started = await answered(deps.migrations.start(request.account.accountSid, flow.sid, choice, request.apiKeySid ?? request.account.accountSid));
        return { status: 201, body: resource(started) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Migrations/Runs',
      operationId: 'ListFlowMigration',
      summary: "The flow's migrations, the newest first: who started each, when, for what, and how it went",
      tag: 'Migrations',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize }),
      response: { status: 200, description: 'The migrations', schema: runsSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const runs = await deps.records.list(request.account.accountSid, flow.sid, request.input.PageSize);
        return { status: 200, body: { migrations: runs.map(resource), url: `${base(flow.sid)}/Runs` } };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Migrations/:MigrationSid',
      operationId: 'FetchFlowMigration',
      summary: 'A migration and its progress',
      tag: 'Migrations',
      input: z.looseObject({}),
      response: { status: 200, description: 'The migration', schema: migrationSchema },
      errors: [401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        return { status: 200, body: resource(await requireMigration(request.account.accountSid, flow.sid, request.path.MigrationSid)) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Migrations/:MigrationSid/Executions',
      operationId: 'ListFlowMigrationExecution',
      summary: 'What a migration did to each execution it took on (migrated, already, refused with the reason, failed, pending)',
      tag: 'Migrations',
      input: z.looseObject({ PageSize: z.coerce.number().int().min(1).max(10_000).default(1_000) }),
      response: { status: 200, description: 'The executions', schema: outcomesSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const migration = await requireMigration(request.account.accountSid, flow.sid, request.path.MigrationSid);
        const rows = await deps.records.executions(migration.sid, request.input.PageSize);
        const executions = rows.map((r) => ({ execution_sid: r.execution_sid, from_revision: r.from_revision, widget: r.widget, status: r.status, reason: r.reason, date_updated: iso(r.date_updated) }));
        return { status: 200, body: { executions, url: `${base(flow.sid)}/${migration.sid}/Executions` } };
      },
    }),
  ] as RouteSpec<never>[];
}
