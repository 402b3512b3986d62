import type { ApiClient, Params } from '../api/client';
import { flowPath } from '../api/resources';

/** The flow insights API (our extension of Studio's v2 API), as the editor reads it. */

export interface ExecutionSummary {
  readonly started: number;
  readonly active: number;
  readonly ended: number;
  /** Ended executions by Studio's `ended_reason`. */
  readonly ended_by: Readonly<Record<string, number>>;
  readonly by_trigger: Readonly<Record<string, number>>;
}

export interface WidgetRow {
  readonly widget: string;
  /** Executions that entered it, each counted once. */
  readonly reached: number;
  /** Executions running now whose last step entered it (whatever the date range). */
  readonly waiting: number;
  /** Executions whose path ended at it. */
  readonly ended: number;
}

export interface TransitionRow {
  readonly widget: string;
  readonly event: string;
  /** The widget it led to, or `Ended`. */
  readonly next: string;
  /** Steps that took it (an execution looping takes it more than once). */
  readonly taken: number;
}

export interface WaitRow {
  readonly widget: string;
  readonly replies: number;
  readonly timeouts: number;
  readonly timeout_rate: number;
  readonly median_reply_ms: number | null;
  readonly p90_reply_ms: number | null;
}

export interface DayRow {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly started: number;
  readonly ended: number;
}

export interface FunnelResource {
  readonly from: string;
  readonly to: string;
  readonly entered: number;
  readonly reached: number;
}

export type WidgetState = 'waiting' | 'ended';

export interface ExecutionAtWidget {
  readonly execution_sid: string;
  readonly revision: number;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly ended_reason: string | null;
}

/** Everything the canvas and the panel show for one scope, read together. */
export interface InsightsData {
  readonly executions: ExecutionSummary;
  readonly widgets: readonly WidgetRow[];
  readonly transitions: readonly TransitionRow[];
  readonly waits: readonly WaitRow[];
  readonly days: readonly DayRow[];
}

export const insightsPath = (flowSid: string) => `${flowPath(flowSid)}/Insights`;

export async function fetchInsights(api: ApiClient, flowSid: string, query: Params): Promise<InsightsData> {
  const base = insightsPath(flowSid);
  const [summary, widgets, transitions, waits, daily] = await Promise.all([
    api.get<{ executions: ExecutionSummary }>(base, query),
    api.get<{ widgets: WidgetRow[] }>(`${base}/Widgets`, query),
    api.get<{ transitions: TransitionRow[] }>(`${base}/Transitions`, query),
    api.get<{ waits: WaitRow[] }>(`${base}/Waits`, query),
    api.get<{ days: DayRow[] }>(`${base}/Daily`, query),
  ]);
  return { executions: summary.executions, widgets: widgets.widgets, transitions: transitions.transitions, waits: waits.waits, days: daily.days };
}

export function fetchFunnel(api: ApiClient, flowSid: string, query: Params, from: string, to: string): Promise<FunnelResource> {
  return api.get<FunnelResource>(`${insightsPath(flowSid)}/Funnel`, { ...query, From: from, To: to });
}

/** At most this many executions are listed per widget and state: the newest. */
export const LISTED_EXECUTIONS = 50;

export async function fetchExecutionsAt(api: ApiClient, flowSid: string, query: Params, widget: string, state: WidgetState): Promise<ExecutionAtWidget[]> {
  const path = `${insightsPath(flowSid)}/Widgets/${encodeURIComponent(widget)}/Executions`;
  const page = await api.get<{ executions: ExecutionAtWidget[] }>(path, { ...query, State: state, PageSize: LISTED_EXECUTIONS });
  return page.executions;
}
