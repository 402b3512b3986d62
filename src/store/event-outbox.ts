import { sql, type Kysely, type Transaction } from 'kysely';
import type { JsonObject } from '../engine/json';
import type { Database } from './database';
import { NO_FACTS, writeInsightFacts, type InsightFacts } from './insight-facts';
import type { StoreSchema } from './schema';

/**
 * The envelope the outbox keeps and hands back as it was given (a CloudEvent, see
 * src/events/cloudevent.ts): the store reads only its id and type.
 */
export interface OutboxEnvelope extends JsonObject {
  readonly id: string;
  readonly type: string;
  readonly time: string;
}

/**
 * Whether a sink, by its stored configuration, takes an event of `flowSid`. Event Streams owns
 * what a configuration means (src/events/sink-config.ts); the store only asks.
 */
export type SinkFilter = (configuration: string, flowSid: string | null) => boolean;

/** An event to store: its envelope and where it belongs. */
export interface OutboxEvent {
  readonly accountSid: string;
  /** The ordering key (execution SID). */
  readonly stream: string;
  readonly sequence: number;
  /** The execution's own flow (a subflow's steps count for the flow that ran them), for sink filters. */
  readonly flowSid: string | null;
  readonly envelope: OutboxEnvelope;
}

/** A delivery owed to a sink, with the event to deliver. */
export interface PendingDelivery {
  readonly eventId: string;
  readonly stream: string;
  readonly sequence: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly envelope: OutboxEnvelope;
}

/**
 * The durable outbox of Event Streams. Recording an event stores it once (its id comes from
 * stream and sequence, so recording it again changes nothing) and, in the same transaction,
 * owes it to every active sink subscribed to its type. Deliveries leave the table when a sink
 * accepted them; events leave with retention.
 */
export class EventOutbox {
  private readonly db: Kysely<StoreSchema>;

  constructor(
    database: Database,
    private readonly takes: SinkFilter,
    private readonly now: () => number = Date.now,
  ) {
    this.db = database.db;
  }

  /**
   * Stores the events not stored yet; returns those, in order. `factsOf` turns the fresh ones
   * into flow insights, written in the same transaction (see migration 009).
   */
  async record<E extends OutboxEvent>(events: readonly E[], factsOf: (fresh: readonly E[]) => InsightFacts = () => NO_FACTS): Promise<E[]> {
    if (events.length === 0) return [];
    return this.db.transaction().execute(async (tx) => {
      const recordedAt = this.now();
      // One statement per chunk, not per event: an execution hands over a dozen at a time, and
      // building a query cost more than running it (BENCHMARKS.md, "Where an execution's CPU goes").
      const inserted = new Set<string>();
      for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
        const rows = await tx
          .insertInto('events')
          .values(events.slice(i, i + EVENTS_PER_INSERT).map((event) => eventRow(event, recordedAt)))
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .execute();
        for (const row of rows) inserted.add(row.id);
      }
      const fresh = events.filter((event) => inserted.has(event.envelope.id));
      await this.owe(tx, fresh, recordedAt);
      await writeInsightFacts(tx, factsOf(fresh));
      return fresh;
    });
  }

  /** Stores an event owed to one sink only, whatever its subscriptions (a sink test). */
  async recordFor(sinkSid: string, make: (sequence: number) => OutboxEvent): Promise<OutboxEvent> {
    return this.db.transaction().execute(async (tx) => {
      const last = await tx.selectFrom('events').select(sql<number>`max(sequence)`.as('max')).where('stream', '=', sinkSid).executeTakeFirst();
      const event = make(Number(last?.max ?? 0) + 1);
      const recordedAt = this.now();
      await tx
        .insertInto('events')
        .values(eventRow(event, recordedAt))
        .execute();
      await tx
        .insertInto('event_deliveries')
        .values({ sink_sid: sinkSid, event_id: event.envelope.id, stream: event.stream, sequence: event.sequence, next_attempt_at: recordedAt, last_error: null })
        .execute();
      return event;
    });
  }

  /** Owes fresh events to the sinks that take them: active, subscribed to the type, and not filtered out. */
  private async owe(tx: Transaction<StoreSchema>, events: readonly OutboxEvent[], at: number): Promise<void> {
    if (events.length === 0) return;
    const accounts = [...new Set(events.map((e) => e.accountSid))];
    const subscribed = await tx
      .selectFrom('event_sinks as s')
      .innerJoin('event_subscriptions as sub', 'sub.sink_sid', 's.sid')
      .innerJoin('event_subscribed_types as t', 't.subscription_sid', 'sub.sid')
      .select(['s.sid', 's.account_sid', 's.configuration', 't.type'])
      .where('s.status', '=', 'active')
      .where('s.account_sid', 'in', accounts)
      .execute();
    const rows = events.flatMap((event) => {
      const sinks = new Set(
        subscribed
          .filter((s) => s.account_sid === event.accountSid && s.type === event.envelope.type && this.takes(s.configuration, event.flowSid))
          .map((s) => s.sid),
      );
      return [...sinks].map((sink) => ({ sink_sid: sink, event_id: event.envelope.id, stream: event.stream, sequence: event.sequence, next_attempt_at: at, last_error: null }));
    });
    if (rows.length > 0) await tx.insertInto('event_deliveries').values(rows).onConflict((oc) => oc.columns(['sink_sid', 'event_id']).doNothing()).execute();
  }

  /**
   * Deliveries a sink can take now, oldest first within each execution: an execution's events
   * wait behind its earliest undelivered one, so a retry never lets a later event overtake.
   */
  async due(sinkSid: string, limit: number): Promise<PendingDelivery[]> {
    const rows = await this.db
      .selectFrom('event_deliveries as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .select(['d.event_id', 'd.stream', 'd.sequence', 'd.attempts', 'd.next_attempt_at', 'e.envelope'])
      .where('d.sink_sid', '=', sinkSid)
      .orderBy('d.stream')
      .orderBy('d.sequence')
      .limit(limit * 5)
      .execute();
    const now = this.now();
    const due: PendingDelivery[] = [];
    let blocked: string | undefined;
    for (const row of rows) {
      if (due.length >= limit) break;
      if (row.stream === blocked) continue;
      if (Number(row.next_attempt_at) > now) {
        blocked = row.stream;
        continue;
      }
      due.push({
        eventId: row.event_id,
        stream: row.stream,
        sequence: Number(row.sequence),
        attempts: Number(row.attempts),
        nextAttemptAt: Number(row.next_attempt_at),
        envelope: JSON.parse(row.envelope) as OutboxEnvelope,
      });
    }
    return due;
  }

  async delivered(sinkSid: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.deleteFrom('event_deliveries').where('sink_sid', '=', sinkSid).where('event_id', 'in', eventIds).execute();
  }

  async failed(sinkSid: string, deliveries: readonly PendingDelivery[], error: string, nextAttemptAt: (attempts: number) => number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const d of deliveries) {
        await tx
          .updateTable('event_deliveries')
          .set({ attempts: d.attempts + 1, next_attempt_at: nextAttemptAt(d.attempts + 1), last_error: error.slice(0, 1000) })
          .where('sink_sid', '=', sinkSid)
          .where('event_id', '=', d.eventId)
          .execute();
      }
    });
  }

  /**
   * Gives up on a sink that can never be delivered to: marks it `failed` (no new events are
   * owed to it; a test event and validation make it active again) and drops what it was owed.
   * Returns how many deliveries were dropped.
   */
  async abandon(sinkSid: string, at: string): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      await tx.updateTable('event_sinks').set({ status: 'failed', date_updated: at }).where('sid', '=', sinkSid).execute();
      const dropped = await tx.deleteFrom('event_deliveries').where('sink_sid', '=', sinkSid).executeTakeFirst();
      return Number(dropped.numDeletedRows);
    });
  }

  /** Undelivered events per sink. */
  async backlog(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('event_deliveries').select(['sink_sid', sql<number>`count(*)`.as('n')]).groupBy('sink_sid').execute();
    return new Map(rows.map((r) => [r.sink_sid, Number(r.n)]));
  }

  /** Events of a stream, in order (tests and diagnostics). */
  async stream(stream: string): Promise<OutboxEnvelope[]> {
    const rows = await this.db.selectFrom('events').select('envelope').where('stream', '=', stream).orderBy('sequence').execute();
    return rows.map((r) => JSON.parse(r.envelope) as OutboxEnvelope);
  }

  /** Drops events recorded before `before` (epoch ms) with whatever was still owed for them. */
  async purge(before: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const old = tx.selectFrom('events').select('id').where('recorded_at', '<', before);
      await tx.deleteFrom('event_deliveries').where('event_id', 'in', old).execute();
      const result = await tx.deleteFrom('events').where('recorded_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  /**
   * Takes (or keeps) the right to deliver to a sink until `until`: one dispatcher per sink at a
   * time, so two workers never race each other's order.
   */
  async lease(sinkSid: string, owner: string, until: number): Promise<boolean> {
    const now = this.now();
    const result = await this.db
      .updateTable('event_sinks')
      .set({ lease_owner: owner, lease_until: until })
      .where('sid', '=', sinkSid)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(sinkSid: string, owner: string): Promise<void> {
    await this.db.updateTable('event_sinks').set({ lease_owner: null, lease_until: null }).where('sid', '=', sinkSid).where('lease_owner', '=', owner).execute();
  }

  /** Sinks with something owed, and their configuration. */
  async sinksWithDeliveries(): Promise<{ sid: string; accountSid: string; configuration: string }[]> {
    const owed = this.db.selectFrom('event_deliveries').select('sink_sid').distinct();
    const rows = await this.db.selectFrom('event_sinks').select(['sid', 'account_sid', 'configuration']).where('sid', 'in', owed).execute();
    return rows.map((r) => ({ sid: r.sid, accountSid: r.account_sid, configuration: r.configuration }));
  }
}

/** The `events` row of an outbox event. */
/** Events per insert: 9 columns each, well under SQLite's and PostgreSQL's bound-parameter limits. */
const EVENTS_PER_INSERT = 200;

function eventRow(event: OutboxEvent, recordedAt: number) {
  return {
    id: event.envelope.id,
    account_sid: event.accountSid,
    stream: event.stream,
    sequence: event.sequence,
    type: event.envelope.type,
    flow_sid: event.flowSid,
    time: event.envelope.time,
    recorded_at: recordedAt,
    envelope: JSON.stringify(event.envelope),
  };
}
