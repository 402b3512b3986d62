import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { MIGRATED_EVENT } from '../flow/revision-mapping';
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

/** What a waiting widget type ends its wait with, so that replies are told from the rest. */
export interface WaitEvents {
  readonly timeout: string;
  /** Its failure event (a message that could not be sent), neither a reply nor a timeout. */
  readonly failure?: string;
}

export interface WaitCounts {
  readonly widget: string;
  readonly replies: number;
  readonly timeouts: number;
  /** Of the waits that ended, the share that timed out (0 when none ended). */
  readonly timeoutRate: number;
  /** Time from entering the widget to the reply, in milliseconds (nearest rank); null with no reply. */
  readonly medianReplyMs: number | null;
  readonly p90ReplyMs: number | null;
}

export interface Funnel {
  readonly from: string;
  readonly to: string;
  /** Executions that entered `from`. */
  readonly entered: number;
  /** Of those, the ones that entered `to` after it. */
  readonly reached: number;
}

export interface DailyCounts {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly started: number;
  readonly ended: number;
}

/** An execution listed at a widget: waiting there now, or ended there. */
export interface ExecutionAtWidget {
  readonly executionSid: string;
  readonly revision: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly endedReason: string | null;
}

const DAY_MS = 86_400_000;

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A scope's revision and time range, applied through the columns that hold them in a query. */
function inScope<QB extends SelectQueryBuilder<StoreSchema, never, object>>(q: QB, scope: InsightScope, revision: string, at: string): QB {
  return q.where((eb) =>
    eb.and([
      ...(scope.revision !== undefined ? [eb(sql.ref(revision), '=', scope.revision)] : []),
      ...(scope.from !== undefined ? [eb(sql.ref(at), '>=', scope.from)] : []),
      ...(scope.to !== undefined ? [eb(sql.ref(at), '<', scope.to)] : []),
    ]),
  ) as QB;
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
    const waiting = await this.lastSteps(scope)
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

  /**
   * Per waiting widget (types given with their events): replies, timeouts, and how long replies
   * took — each wait measured from the step that entered the widget to the step that left it.
   */
  async waits(scope: InsightScope, types: Readonly<Record<string, WaitEvents>>): Promise<WaitCounts[]> {
    const waitTypes = Object.keys(types);
    if (waitTypes.length === 0) return [];
    // The step before each one in its execution and flow (a subflow's steps are a flow of their own).
    const timed = this.db
      .selectFrom('insight_steps')
      .where('account_sid', '=', scope.accountSid)
      .where('flow_sid', '=', scope.flowSid)
      // A migration is no reply, and a reply after one waited since the widget was entered.
      .where('event', '!=', MIGRATED_EVENT)
      .select(['widget', 'widget_type', 'event', 'revision', 'at', sql<number>`at - lag(at) over (partition by execution_sid, flow_sid order by sequence)`.as('waited')])
      .as('timed');
    let q = this.db.selectFrom(timed).where('widget_type', 'in', waitTypes).select(['widget', 'widget_type', 'event', 'waited']);
    q = inScope(q, scope, 'revision', 'at');
    const byWidget = new Map<string, { replies: number[]; timeouts: number }>();
    for (const row of await q.execute()) {
      const events = types[row.widget_type]!;
      const counts = byWidget.get(row.widget) ?? byWidget.set(row.widget, { replies: [], timeouts: 0 }).get(row.widget)!;
      if (row.event === events.timeout) counts.timeouts++;
      else if (row.event !== events.failure && row.waited !== null) counts.replies.push(Number(row.waited));
    }
    return [...byWidget]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([widget, { replies, timeouts }]) => {
        const sorted = [...replies].sort((a, b) => a - b);
        const ended = replies.length + timeouts;
        return { widget, replies: replies.length, timeouts, timeoutRate: ended === 0 ? 0 : timeouts / ended, medianReplyMs: percentile(sorted, 50), p90ReplyMs: percentile(sorted, 90) };
      });
  }

  /** Executions that entered `from` (the Trigger: that started), and of those the ones that entered `to` later. */
  async funnel(scope: InsightScope, from: string, to: string): Promise<Funnel> {
    // A widget is entered by the step whose `next` names it; the Trigger, by starting: the step that leaves it.
    const entering = (name: string): 'widget' | 'next' => (name === 'Trigger' ? 'widget' : 'next');
    const fromColumn = entering(from);
    const toColumn = entering(to);
    const entered = await this.stepsIn(scope).where(fromColumn, '=', from).select(sql<number>`count(distinct execution_sid)`.as('n')).executeTakeFirst();
    let q = this.db
      .selectFrom('insight_steps as a')
      .innerJoin('insight_steps as b', (j) => j.onRef('b.execution_sid', '=', 'a.execution_sid').onRef('b.flow_sid', '=', 'a.flow_sid').onRef('b.sequence', '>', 'a.sequence'))
      .where('a.account_sid', '=', scope.accountSid)
      .where('a.flow_sid', '=', scope.flowSid)
      .where(`a.${fromColumn}`, '=', from)
      .where(`b.${toColumn}`, '=', to);
    q = inScope(q, scope, 'a.revision', 'a.at');
    const reached = await q.select(sql<number>`count(distinct a.execution_sid)`.as('n')).executeTakeFirst();
    return { from, to, entered: Number(entered?.n ?? 0), reached: Number(reached?.n ?? 0) };
  }

  /**
   * The executions waiting at a widget now (running, their last step entered it), or whose path
   * ended at it; the newest first, at most `limit`.
   */
  async executionsAt(scope: InsightScope, widget: string, state: 'waiting' | 'ended', limit: number): Promise<ExecutionAtWidget[]> {
    const steps = state === 'ended' ? this.stepsIn(scope).where('widget', '=', widget).where('next', '=', 'Ended') : this.lastSteps(scope).where('next', '=', widget);
    let q = this.db
      .selectFrom('insight_executions as e')
      .where('e.execution_sid', 'in', steps.select('insight_steps.execution_sid'))
      .select(['e.execution_sid', 'e.revision', 'e.started_at', 'e.ended_at', 'e.ended_reason']);
    if (state === 'waiting') q = q.where('e.ended_at', 'is', null);
    const rows = await q.orderBy('e.started_at', 'desc').orderBy('e.execution_sid').limit(limit).execute();
    return rows.map((r) => ({ executionSid: r.execution_sid, revision: r.revision, startedAt: Number(r.started_at), endedAt: r.ended_at === null ? null : Number(r.ended_at), endedReason: r.ended_reason }));
  }

  /** Executions started and ended per UTC day. */
  async daily(scope: InsightScope): Promise<DailyCounts[]> {
    // An integer literal, not a bound parameter: SQLite binds a JavaScript number as a real and would not divide whole.
    const dayOf = (column: 'started_at' | 'ended_at') => sql<number>`${sql.ref(column)} / ${sql.lit(DAY_MS)}`;
    const started = await this.executionsIn(scope).select([dayOf('started_at').as('day'), sql<number>`count(*)`.as('n')]).groupBy(dayOf('started_at')).execute();
    const ended = await this.executionsIn(scope).where('ended_at', 'is not', null).select([dayOf('ended_at').as('day'), sql<number>`count(*)`.as('n')]).groupBy(dayOf('ended_at')).execute();
    const days = new Map<number, { started: number; ended: number }>();
    const at = (day: number) => days.get(day) ?? days.set(day, { started: 0, ended: 0 }).get(day)!;
    for (const r of started) at(Number(r.day)).started = Number(r.n);
    for (const r of ended) at(Number(r.day)).ended = Number(r.n);
    return [...days].sort(([a], [b]) => a - b).map(([day, c]) => ({ date: new Date(day * DAY_MS).toISOString().slice(0, 10), ...c }));
  }

  /** Forgets steps taken before `before` (epoch ms), and executions that ended (or, running, started) before it. */
  async purge(before: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const steps = await tx.deleteFrom('insight_steps').where('at', '<', before).executeTakeFirst();
      const executions = await tx
        .deleteFrom('insight_executions')
        .where((eb) => eb.or([eb('ended_at', '<', before), eb.and([eb('ended_at', 'is', null), eb('started_at', '<', before)])]))
        .executeTakeFirst();
      return Number(steps.numDeletedRows) + Number(executions.numDeletedRows);
    });
  }

  private executionsIn(scope: InsightScope): SelectQueryBuilder<StoreSchema, 'insight_executions', object> {
    const q = this.db.selectFrom('insight_executions').where('account_sid', '=', scope.accountSid).where('flow_sid', '=', scope.flowSid);
    return inScope(q, scope, 'revision', 'started_at');
  }

  /** Each execution's last step in the scope's flow and revision, whenever it was taken: where it is now. */
  private lastSteps(scope: InsightScope): SelectQueryBuilder<StoreSchema, 'insight_steps', object> {
    return this.stepsIn({ ...scope, from: undefined, to: undefined }).where((eb) =>
      eb('sequence', '=', eb.selectFrom('insight_steps as last').select((l) => l.fn.max('last.sequence').as('m')).whereRef('last.execution_sid', '=', 'insight_steps.execution_sid').whereRef('last.flow_sid', '=', 'insight_steps.flow_sid')),
    );
  }

  private stepsIn(scope: InsightScope): SelectQueryBuilder<StoreSchema, 'insight_steps', object> {
    const q = this.db.selectFrom('insight_steps').where('insight_steps.account_sid', '=', scope.accountSid).where('insight_steps.flow_sid', '=', scope.flowSid);
    return inScope(q, scope, 'insight_steps.revision', 'insight_steps.at');
  }
}
