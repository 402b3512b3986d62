import type { FlowDefinition } from '../../../src/flow/definition';
import { MIGRATED_EVENT } from '../../../src/flow/revision-mapping';
import { edgeId } from '../editor/graph';
import type { DayRow, TransitionRow, WidgetRow } from './api';

/** What the Insights view computes from the API's rows: pure, so that it is tested on its own. */

export interface WidgetInsight {
  readonly reached: number;
  readonly waiting: number;
  readonly ended: number;
  /**
   * Of the executions that reached the widget, the share that went no further: ended there, or
   * are waiting there now. Null when none reached it. Waiting counts now whatever the date range,
   * so in a narrow range the share is capped at 1.
   */
  readonly dropOff: number | null;
}

export interface EdgeInsight {
  readonly taken: number;
  /** `taken` over every step that left the same widget (to any widget, or to Ended). */
  readonly share: number;
}

/** What the canvas draws in Insights mode: per widget name, per transition (its `edgeId`, drawn or not). */
export interface CanvasInsights {
  readonly widgets: ReadonlyMap<string, WidgetInsight>;
  readonly edges: ReadonlyMap<string, EdgeInsight>;
}

export const NO_TRAFFIC: WidgetInsight = { reached: 0, waiting: 0, ended: 0, dropOff: null };

export function dropOff({ reached, waiting, ended }: Pick<WidgetRow, 'reached' | 'waiting' | 'ended'>): number | null {
  return reached === 0 ? null : Math.min(1, (waiting + ended) / reached);
}

export function widgetInsights(rows: readonly WidgetRow[]): Map<string, WidgetInsight> {
  return new Map(rows.map((r) => [r.widget, { reached: r.reached, waiting: r.waiting, ended: r.ended, dropOff: dropOff(r) }]));
}

/**
 * Each transition's traffic, keyed by `edgeId`: one with no next counts the steps that ended the
 * execution there. A row is keyed by (widget, event, next); two transitions of a widget with the
 * same event and next (two Split branches to one widget) both show that row.
 */
export function edgeInsights(definition: FlowDefinition, rows: readonly TransitionRow[]): Map<string, EdgeInsight> {
  const leaving = new Map<string, number>();
  const taken = new Map<string, number>();
  const key = (widget: string, event: string, next: string) => `${widget}\u0000${event}\u0000${next}`;
  // A migration leaves the widget for itself in another revision: no traffic of the flow's.
  for (const r of rows.filter((row) => row.event !== MIGRATED_EVENT)) {
    leaving.set(r.widget, (leaving.get(r.widget) ?? 0) + r.taken);
    taken.set(key(r.widget, r.event, r.next), r.taken);
  }
  const edges = new Map<string, EdgeInsight>();
  for (const state of definition.states) {
    const total = leaving.get(state.name) ?? 0;
    // A widget nobody left has no shares to draw.
    if (total === 0) continue;
    state.transitions.forEach((t, index) => {
      const n = taken.get(key(state.name, t.event, t.next || 'Ended')) ?? 0;
      edges.set(edgeId(state.name, index), { taken: n, share: n / total });
    });
  }
  return edges;
}

export function canvasInsights(definition: FlowDefinition, widgets: readonly WidgetRow[], transitions: readonly TransitionRow[]): CanvasInsights {
  return { widgets: widgetInsights(widgets), edges: edgeInsights(definition, transitions) };
}

/** A share as a whole percentage: `0.625` → `"63%"`. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** An edge's label: its share of the traffic leaving its widget, and the count. */
export function edgeLabel({ taken, share }: EdgeInsight): string {
  return `${percent(share)} (${taken})`;
}

/** Stroke width by share: 1 px for none, up to 7 px for all of it. */
export function strokeWidth(share: number): number {
  return 1 + Math.round(6 * Math.max(0, Math.min(1, share)) * 10) / 10;
}

/**
 * The path most contacts took: from `start`, always the most taken transition (the first in the
 * API's order on a tie), until it ends, loops back, or nobody went on.
 */
export function busiestPath(rows: readonly TransitionRow[], start = 'Trigger'): string[] {
  const path = [start];
  for (let at = start; ; ) {
    const best = rows.filter((r) => r.widget === at).reduce<TransitionRow | undefined>((b, r) => (!b || r.taken > b.taken ? r : b), undefined);
    if (!best || best.taken === 0 || best.next === 'Ended' || path.includes(best.next)) return path;
    path.push(best.next);
    at = best.next;
  }
}

/**
 * The funnel first shown: the Trigger to the last widget of the busiest path; with no traffic,
 * to the first widget (the one the Trigger's first connected transition leads to).
 */
export function defaultFunnel(definition: FlowDefinition, rows: readonly TransitionRow[]): { from: string; to: string } {
  const from = definition.initial_state;
  const path = busiestPath(rows, from);
  const last = path.length > 1 ? path.at(-1) : undefined;
  const first = definition.states.find((s) => s.name === from)?.transitions.find((t) => t.next)?.next;
  return { from, to: last ?? first ?? definition.states.find((s) => s.name !== from)?.name ?? from };
}

const DAY_MS = 86_400_000;

/** The API lists only days with activity: the days between the first and the last are filled in with zeros. */
export function fillDays(days: readonly DayRow[]): DayRow[] {
  if (days.length === 0) return [];
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = Date.parse(`${days[0]!.date}T00:00:00Z`);
  const last = Date.parse(`${days.at(-1)!.date}T00:00:00Z`);
  const filled: DayRow[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    filled.push(byDate.get(date) ?? { date, started: 0, ended: 0 });
  }
  return filled;
}

/** What the insights are scoped to: a revision (or all), and UTC days `YYYY-MM-DD` (empty: open-ended), both included. */
export interface InsightScope {
  readonly revision: number | undefined;
  readonly from: string;
  readonly to: string;
}

export const ALL_TIME: InsightScope = { revision: undefined, from: '', to: '' };

/**
 * The API's query for a scope: whole UTC days, as the daily chart counts them — from the start of
 * `from` until the end of `to` (EndDate is excluded, so it is the next day's start).
 */
export function scopeQuery(scope: InsightScope): { Revision?: number; StartDate?: string; EndDate?: string } {
  const start = dayStart(scope.from);
  const end = dayStart(scope.to);
  return {
    ...(scope.revision !== undefined ? { Revision: scope.revision } : {}),
    ...(start !== undefined ? { StartDate: new Date(start).toISOString() } : {}),
    ...(end !== undefined ? { EndDate: new Date(end + DAY_MS).toISOString() } : {}),
  };
}

function dayStart(day: string): number | undefined {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return Number.isNaN(t) ? undefined : t;
}
