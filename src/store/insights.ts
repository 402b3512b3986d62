import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './database';
import type { StoreSchema } from './schema';

/** Which part of a flow's history a question is about. Times in epoch milliseconds, `to` excluded. */
export interface InsightScope {
  readonly accountSid: string;
  readonly flowSid: string;
  /** Only executions (and steps) of this revision; all revisions when absent. */
  readonly revision?: number;
  readonly from?: number;
  readonly to?: number;
}

export interface ExecutionCounts {
  readonly started: number;
  readonly active: number;
  readonly ended: number;
  /** Ended executions by Studio's `ended_reason`. */
  readonly endedBy: Readonly<Record<string, number>>;
  /** Started executions by the trigger event that started them. */
  readonly byTrigger: Readonly<Record<string, number>>;
}

export interface WidgetCounts {
  readonly widget: string;
  /** Executions that entered it (each once, however often it looped there). */
  readonly reached: number;
  /** Executions still running whose last step entered it: waiting there now. */
  readonly waiting: number;
  /** Executions whose path ended at it (it led to `Ended`). */
  readonly ended: number;
}

export interface TransitionCount {
  readonly widget: string;
  readonly event: string;
  readonly next: string;
  readonly taken: number;
}

/**
 * Path analytics over the facts recorded with each execution's events (migration 009): what a
 * flow's executions did, widget by widget. A scope's time range selects executions by when they
 * started and steps by when they were taken.
 */
export class FlowInsights {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async executions(scope: InsightScope): Promise<ExecutionCounts> {
    const rows = await this.executionsIn(scope)
      .select(['trigger', 'ended_reason', sql<number>`count(*)`.as('n')])
      .groupBy(['trigger', 'ended_reason'])
      .execute();
    const endedBy: Record<string, number> = {};
    const byTrigger: Record<string, number> = {};
    let active = 0;
    for (const row of rows) {
      const n = Number(row.n);
      byTrigger[row.trigger] = (byTrigger[row.trigger] ?? 0) + n;
      if (row.ended_reason === null) active += n;
      else endedBy[row.ended_reason] = (endedBy[row.ended_reason] ?? 0) + n;
    }
    const ended = Object.values(endedBy).reduce((a, b) => a + b, 0);
    return { started: active + ended, active, ended, endedBy, byTrigger };
  }

  async transitions(scope: InsightScope): Promise<TransitionCount[]> {
    const rows = await this.stepsIn(scope)
      .select(['widget', 'event', 'next', sql<number>`count(*)`.as('n')])
      .groupBy(['widget', 'event', 'next'])
      .execute();
    // Sorted here, not in SQL: a database's collation must not change the order.
    const key = (t: TransitionCount) => [t.widget, t.event, t.next].join('\u0000');
    return rows.map((r) => ({ widget: r.widget, event: r.event, next: r.next, taken: Number(r.n) })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  async widgets(scope: InsightScope): Promise<WidgetCounts[]> {
    const reached = await this.stepsIn(scope).select(['next as widget', sql<number>`count(distinct execution_sid)`.as('n')]).groupBy('next').execute();
    const ended = await this.stepsIn(scope).where('next', '=', 'Ended').select(['widget', sql<number>`count(distinct execution_sid)`.as('n')]).groupBy('widget').execute();
    // Waiting is now, whatever the range: a contact waiting since before it is waiting still.
    const waiting = await this.stepsIn({ ...scope, from: undefined, to: undefined })
      .where((eb) => eb('sequence', '=', eb.selectFrom('insight_steps as last').select((l) => l.fn.max('last.sequence').as('m')).whereRef('last.execution_sid', '=', 'insight_steps.execution_sid').whereRef('last.flow_sid', '=', 'insight_steps.flow_sid')))
      .where('next', '!=', 'Ended')
      .where((eb) => eb.exists(eb.selectFrom('insight_executions as e').select('e.execution_sid').whereRef('e.execution_sid', '=', 'insight_steps.execution_sid').where('e.ended_at', 'is', null)))
      .select(['next as widget', sql<number>`count(distinct execution_sid)`.as('n')])
      .groupBy('next')
      .execute();
    const counts = new Map<string, { reached: number; waiting: number; ended: number }>();
    const at = (widget: string) => counts.get(widget) ?? counts.set(widget, { reached: 0, waiting: 0, ended: 0 }).get(widget)!;
    for (const r of reached) if (r.widget !== 'Ended') at(r.widget).reached = Number(r.n);
    for (const r of waiting) at(r.widget).waiting = Number(r.n);
    for (const r of ended) at(r.widget).ended = Number(r.n);
    // The Trigger is entered by starting: the executions that left it reached it.
    const started = await this.stepsIn(scope).where('widget', '=', 'Trigger').select(sql<number>`count(distinct execution_sid)`.as('n')).executeTakeFirst();
    if (Number(started?.n ?? 0) > 0) at('Trigger').reached = Number(started!.n);
    return [...counts].map(([widget, c]) => ({ widget, ...c })).sort((a, b) => (a.widget < b.widget ? -1 : a.widget > b.widget ? 1 : 0));
  }

  private executionsIn(scope: InsightScope): SelectQueryBuilder<StoreSchema, 'insight_executions', object> {
    let q = this.db.selectFrom('insight_executions').where('account_sid', '=', scope.accountSid).where('flow_sid', '=', scope.flowSid);
    if (scope.revision !== undefined) q = q.where('revision', '=', scope.revision);
    if (scope.from !== undefined) q = q.where('started_at', '>=', scope.from);
    if (scope.to !== undefined) q = q.where('started_at', '<', scope.to);
    return q;
  }

  private stepsIn(scope: InsightScope): SelectQueryBuilder<StoreSchema, 'insight_steps', object> {
    let q = this.db.selectFrom('insight_steps').where('insight_steps.account_sid', '=', scope.accountSid).where('insight_steps.flow_sid', '=', scope.flowSid);
    if (scope.revision !== undefined) q = q.where('insight_steps.revision', '=', scope.revision);
    if (scope.from !== undefined) q = q.where('insight_steps.at', '>=', scope.from);
    if (scope.to !== undefined) q = q.where('insight_steps.at', '<', scope.to);
    return q;
  }
}
