import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { WIDGET_SPECS } from '../../flow/widgets';
import type { FlowInsights, InsightScope, WaitEvents } from '../../store/insights';
import { flowUrl } from '../resources/flows';
import { route, type ApiRequest, type ApiResult, type RouteSpec } from '../route';
import { pageParams } from '../paging';
import { isoDate } from './executions';
import { requireFlow, type FlowRouteDeps } from './flows';

export interface InsightRouteDeps extends FlowRouteDeps {
  readonly insights: FlowInsights;
}

const scopeInput = z.looseObject({
  Revision: z.coerce.number().int().positive().optional().describe('only executions and steps of this revision'),
  StartDate: isoDate.optional().describe('from this instant (executions by their start, steps by when they were taken)'),
  EndDate: isoDate.optional().describe('until this instant, excluded'),
  Format: z.enum(['json', 'csv']).optional().describe('csv: the rows as CSV (as does `Accept: text/csv`)'),
});
type ScopeInput = z.infer<typeof scopeInput>;

const summarySchema = z.object({
  flow_sid: z.string(),
  revision: z.number().nullable(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  executions: z.object({
    started: z.number(),
    active: z.number(),
    ended: z.number(),
    ended_by: z.record(z.string(), z.number()).describe("ended executions by Studio's ended_reason"),
    by_trigger: z.record(z.string(), z.number()).describe('started executions by the trigger event'),
  }),
  url: z.string(),
  links: z.object({ widgets: z.string(), transitions: z.string(), waits: z.string(), funnel: z.string(), daily: z.string() }),
});
const widgetsSchema = z.object({
  widgets: z.array(z.object({ widget: z.string(), reached: z.number(), waiting: z.number(), ended: z.number() })),
  url: z.string(),
});
const waitsSchema = z.object({
  waits: z.array(
    z.object({ widget: z.string(), replies: z.number(), timeouts: z.number(), timeout_rate: z.number(), median_reply_ms: z.number().nullable(), p90_reply_ms: z.number().nullable() }),
  ),
  url: z.string(),
});
const funnelSchema = z.object({ from: z.string(), to: z.string(), entered: z.number(), reached: z.number(), url: z.string() });
const dailySchema = z.object({ days: z.array(z.object({ date: z.string(), started: z.number(), ended: z.number() })), url: z.string() });
const funnelInput = scopeInput.extend({
  From: z.string().min(1).max(64).describe('the widget the funnel starts at (Trigger: every execution)'),
  To: z.string().min(1).max(64).describe('the widget it ends at'),
});

/** The waiting widget types, from their specs: what ends their wait by timing out, or by failing. */
const WAIT_EVENTS: Readonly<Record<string, WaitEvents>> = Object.fromEntries(
  Object.values(WIDGET_SPECS)
    .filter((spec) => spec.timeoutEvent !== undefined)
    .map((spec) => [spec.type, { timeout: spec.timeoutEvent!, ...(spec.failureEvent ? { failure: spec.failureEvent } : {}) }]),
);

const widgetExecutionsInput = scopeInput.extend({
  State: z.enum(['waiting', 'ended']).describe('waiting: running and waiting at the widget now; ended: their path ended at it'),
  PageSize: pageParams.shape.PageSize.describe('at most this many, the newest first'),
});
const widgetExecutionsSchema = z.object({
  widget: z.string(),
  state: z.enum(['waiting', 'ended']),
  executions: z.array(z.object({ execution_sid: z.string(), revision: z.number(), started_at: z.string(), ended_at: z.string().nullable(), ended_reason: z.string().nullable() })),
  url: z.string(),
});

const transitionsSchema = z.object({
  transitions: z.array(z.object({ widget: z.string(), event: z.string(), next: z.string(), taken: z.number() })),
  url: z.string(),
});

/**
 * Flow insights (our extension of the Studio API): where a flow's contacts went, from the facts
 * recorded with every step. Widgets are named by their widget names; rows export as CSV.
 */
export function insightRoutes(deps: InsightRouteDeps): RouteSpec<never>[] {
  async function scopeOf(request: ApiRequest<ScopeInput>): Promise<{ scope: InsightScope; url: string }> {
    const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
    const { Revision, StartDate, EndDate } = request.input;
    const scope: InsightScope = {
      accountSid: request.account.accountSid,
      flowSid: flow.sid,
      ...(Revision !== undefined ? { revision: Revision } : {}),
      ...(StartDate ? { from: StartDate.getTime() } : {}),
      ...(EndDate ? { to: EndDate.getTime() } : {}),
    };
    return { scope, url: `${flowUrl(deps, flow.sid)}/Insights` };
  }
  const wantsCsv = (request: ApiRequest<ScopeInput>) => request.input.Format === 'csv' || (request.input.Format === undefined && /\btext\/csv\b/.test(request.header('accept') ?? ''));
  const csv = (rows: readonly object[], columns: readonly string[]): ApiResult => ({ status: 200, contentType: 'text/csv; charset=utf-8', body: stringify(rows as Record<string, unknown>[], { header: true, columns: [...columns] }) });
  /** A route of rows, in JSON under `key` or as CSV with these columns. */
  function rowsRoute<R extends object>(spec: { path: string; operationId: string; summary: string; key: string; schema: z.ZodType; columns: ReadonlyArray<keyof R & string>; rows: (scope: InsightScope) => Promise<R[]> }) {
    return route({
      method: 'get',
      path: `/v2/Flows/:FlowSid/Insights/${spec.path}`,
      operationId: spec.operationId,
      summary: spec.summary,
      tag: 'Insights',
      input: scopeInput,
      response: { status: 200, description: `The ${spec.key}`, schema: spec.schema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const { scope, url } = await scopeOf(request);
        const rows = await spec.rows(scope);
        return wantsCsv(request) ? csv(rows, spec.columns) : { status: 200, body: { [spec.key]: rows, url: `${url}/${spec.path}` } };
      },
    });
  }

  return [
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Insights',
      operationId: 'FetchFlowInsights',
      summary: "A flow's executions: started, active, ended by reason, by trigger",
      tag: 'Insights',
      input: scopeInput,
      response: { status: 200, description: 'The counts', schema: summarySchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const { scope, url } = await scopeOf(request);
        const e = await deps.insights.executions(scope);
        return {
          status: 200,
          body: {
            flow_sid: scope.flowSid,
            revision: scope.revision ?? null,
            start_date: request.input.StartDate?.toISOString() ?? null,
            end_date: request.input.EndDate?.toISOString() ?? null,
            executions: { started: e.started, active: e.active, ended: e.ended, ended_by: e.endedBy, by_trigger: e.byTrigger },
            url,
            links: { widgets: `${url}/Widgets`, transitions: `${url}/Transitions`, waits: `${url}/Waits`, funnel: `${url}/Funnel`, daily: `${url}/Daily` },
          },
        };
      },
    }),
    rowsRoute({
      path: 'Widgets',
      operationId: 'ListFlowInsightWidgets',
      summary: 'Per widget: executions that reached it, wait there now, ended there (JSON or CSV)',
      key: 'widgets',
      schema: widgetsSchema,
      columns: ['widget', 'reached', 'waiting', 'ended'],
      rows: (scope) => deps.insights.widgets(scope),
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Insights/Widgets/:Widget/Executions',
      operationId: 'ListFlowInsightWidgetExecutions',
      summary: 'The executions waiting at a widget now, or whose path ended at it (the newest first)',
      tag: 'Insights',
      input: widgetExecutionsInput,
      response: { status: 200, description: 'The executions', schema: widgetExecutionsSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const { scope, url } = await scopeOf(request);
        const widget = request.path.Widget ?? '';
        const { State, PageSize } = request.input;
        const rows = await deps.insights.executionsAt(scope, widget, State, PageSize);
        const iso = (ms: number) => new Date(ms).toISOString();
        const executions = rows.map((r) => ({ execution_sid: r.executionSid, revision: r.revision, started_at: iso(r.startedAt), ended_at: r.endedAt === null ? null : iso(r.endedAt), ended_reason: r.endedReason }));
        return { status: 200, body: { widget, state: State, executions, url: `${url}/Widgets/${encodeURIComponent(widget)}/Executions` } };
      },
    }),
    rowsRoute({
      path: 'Transitions',
      operationId: 'ListFlowInsightTransitions',
      summary: 'Per transition (widget, event, next widget): how often it was taken (JSON or CSV)',
      key: 'transitions',
      schema: transitionsSchema,
      columns: ['widget', 'event', 'next', 'taken'],
      rows: (scope) => deps.insights.transitions(scope),
    }),
    rowsRoute({
      path: 'Waits',
      operationId: 'ListFlowInsightWaits',
      summary: 'Per waiting widget: replies, timeouts, timeout rate, median and p90 time to reply (JSON or CSV)',
      key: 'waits',
      schema: waitsSchema,
      columns: ['widget', 'replies', 'timeouts', 'timeout_rate', 'median_reply_ms', 'p90_reply_ms'],
      rows: async (scope) =>
        (await deps.insights.waits(scope, WAIT_EVENTS)).map((w) => ({ widget: w.widget, replies: w.replies, timeouts: w.timeouts, timeout_rate: w.timeoutRate, median_reply_ms: w.medianReplyMs, p90_reply_ms: w.p90ReplyMs })),
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Insights/Funnel',
      operationId: 'FetchFlowInsightFunnel',
      summary: 'Executions that entered one widget, and of those the ones that went on to another',
      tag: 'Insights',
      input: funnelInput,
      response: { status: 200, description: 'The funnel', schema: funnelSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const { scope, url } = await scopeOf(request);
        const funnel = await deps.insights.funnel(scope, request.input.From, request.input.To);
        return { status: 200, body: { ...funnel, url: `${url}/Funnel` } };
      },
    }),
    rowsRoute({
      path: 'Daily',
      operationId: 'ListFlowInsightDays',
      summary: 'Executions started and ended per UTC day (JSON or CSV)',
      key: 'days',
      schema: dailySchema,
      columns: ['date', 'started', 'ended'],
      rows: (scope) => deps.insights.daily(scope),
    }),
  ] as RouteSpec<never>[];
}
