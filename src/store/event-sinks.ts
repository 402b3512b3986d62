import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { EventSinksTable, EventSubscriptionsTable, StoreSchema } from './schema';

export type SinkStatus = 'initialized' | 'validating' | 'active' | 'failed';

export interface SinkRecord {
  readonly sid: string;
  readonly accountSid: string;
  readonly description: string;
  readonly sinkType: string;
  /** The sink_configuration as stored (parsed JSON). */
  readonly configuration: Record<string, unknown>;
  readonly status: SinkStatus;
  readonly testId: string | null;
  readonly dateCreated: string;
  readonly dateUpdated: string;
}

export interface SubscribedType {
  readonly type: string;
  readonly schemaVersion: number;
}

export interface SubscriptionRecord {
  readonly sid: string;
  readonly accountSid: string;
  readonly sinkSid: string;
  readonly description: string;
  readonly dateCreated: string;
  readonly dateUpdated: string;
}

export interface Page<T> {
  readonly items: T[];
  /** The key of the last item, to continue after it. */
  readonly next?: string;
}

/**
 * Event Streams' sinks and subscriptions (Twilio's Events API v1): where events go and which
 * types each destination takes. Lists are in SID order and page by the last SID seen.
 */
export class EventSinks {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async createSink(sink: Omit<SinkRecord, 'testId' | 'dateUpdated'>): Promise<SinkRecord> {
    const row: EventSinksTable = {
      sid: sink.sid,
      account_sid: sink.accountSid,
      description: sink.description,
      sink_type: sink.sinkType,
      configuration: JSON.stringify(sink.configuration),
      status: sink.status,
      test_id: null,
      lease_owner: null,
      lease_until: null,
      date_created: sink.dateCreated,
      date_updated: sink.dateCreated,
    };
    await this.db.insertInto('event_sinks').values(row).execute();
    return toSink(row);
  }

  async sink(accountSid: string, sid: string): Promise<SinkRecord | undefined> {
    const row = await this.db.selectFrom('event_sinks').selectAll().where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return row && toSink(row);
  }

  async listSinks(accountSid: string, options: { after?: string; limit: number; status?: string; inUse?: boolean }): Promise<Page<SinkRecord>> {
    let query = this.db.selectFrom('event_sinks').selectAll().where('account_sid', '=', accountSid);
    if (options.after) query = query.where('sid', '>', options.after);
    if (options.status) query = query.where('status', '=', options.status);
    if (options.inUse !== undefined) {
      const used = this.db.selectFrom('event_subscriptions').select('sink_sid');
      query = query.where('sid', options.inUse ? 'in' : 'not in', used);
    }
    const rows = await query.orderBy('sid').limit(options.limit + 1).execute();
    return page(rows.map(toSink), options.limit);
  }

  async updateSink(accountSid: string, sid: string, changes: { description?: string; status?: SinkStatus; testId?: string | null }, at: string): Promise<SinkRecord | undefined> {
    await this.db
      .updateTable('event_sinks')
      .set({
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.testId !== undefined ? { test_id: changes.testId } : {}),
        date_updated: at,
      })
      .where('account_sid', '=', accountSid)
      .where('sid', '=', sid)
      .execute();
    return this.sink(accountSid, sid);
  }

  /** Deletes a sink with its subscriptions and undelivered events (cascade). */
  async deleteSink(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('event_sinks').where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async createSubscription(subscription: Omit<SubscriptionRecord, 'dateUpdated'>, types: readonly SubscribedType[]): Promise<SubscriptionRecord> {
    const row: EventSubscriptionsTable = {
      sid: subscription.sid,
      account_sid: subscription.accountSid,
      sink_sid: subscription.sinkSid,
      description: subscription.description,
      date_created: subscription.dateCreated,
      date_updated: subscription.dateCreated,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('event_subscriptions').values(row).execute();
      if (types.length > 0) {
        await tx
          .insertInto('event_subscribed_types')
          .values(types.map((t) => ({ subscription_sid: row.sid, type: t.type, schema_version: t.schemaVersion })))
          .execute();
      }
    });
    return toSubscription(row);
  }

  async subscription(accountSid: string, sid: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.db.selectFrom('event_subscriptions').selectAll().where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return row && toSubscription(row);
  }

  async listSubscriptions(accountSid: string, options: { after?: string; limit: number; sinkSid?: string }): Promise<Page<SubscriptionRecord>> {
    let query = this.db.selectFrom('event_subscriptions').selectAll().where('account_sid', '=', accountSid);
    if (options.after) query = query.where('sid', '>', options.after);
    if (options.sinkSid) query = query.where('sink_sid', '=', options.sinkSid);
    const rows = await query.orderBy('sid').limit(options.limit + 1).execute();
    return page(rows.map(toSubscription), options.limit);
  }

  async updateSubscription(accountSid: string, sid: string, changes: { description?: string; sinkSid?: string }, at: string): Promise<SubscriptionRecord | undefined> {
    await this.db
      .updateTable('event_subscriptions')
      .set({
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.sinkSid !== undefined ? { sink_sid: changes.sinkSid } : {}),
        date_updated: at,
      })
      .where('account_sid', '=', accountSid)
      .where('sid', '=', sid)
      .execute();
    return this.subscription(accountSid, sid);
  }

  async deleteSubscription(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('event_subscriptions').where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async subscribedTypes(subscriptionSid: string): Promise<SubscribedType[]> {
    const rows = await this.db.selectFrom('event_subscribed_types').selectAll().where('subscription_sid', '=', subscriptionSid).orderBy('type').execute();
    return rows.map((r) => ({ type: r.type, schemaVersion: Number(r.schema_version) }));
  }

  /** Adds or changes one subscribed type. */
  async putSubscribedType(subscriptionSid: string, type: SubscribedType): Promise<void> {
    await this.db
      .insertInto('event_subscribed_types')
      .values({ subscription_sid: subscriptionSid, type: type.type, schema_version: type.schemaVersion })
      .onConflict((oc) => oc.columns(['subscription_sid', 'type']).doUpdateSet({ schema_version: type.schemaVersion }))
      .execute();
  }

  async deleteSubscribedType(subscriptionSid: string, type: string): Promise<boolean> {
    const result = await this.db.deleteFrom('event_subscribed_types').where('subscription_sid', '=', subscriptionSid).where('type', '=', type).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toSink(row: EventSinksTable): SinkRecord {
  return {
    sid: row.sid,
    accountSid: row.account_sid,
    description: row.description,
    sinkType: row.sink_type,
    configuration: JSON.parse(row.configuration) as Record<string, unknown>,
    status: row.status as SinkStatus,
    testId: row.test_id,
    dateCreated: row.date_created,
    dateUpdated: row.date_updated,
  };
}

function toSubscription(row: EventSubscriptionsTable): SubscriptionRecord {
  return {
    sid: row.sid,
    accountSid: row.account_sid,
    sinkSid: row.sink_sid,
    description: row.description,
    dateCreated: row.date_created,
    dateUpdated: row.date_updated,
  };
}

function page<T extends { sid: string }>(items: T[], limit: number): Page<T> {
  if (items.length <= limit) return { items };
  const kept = items.slice(0, limit);
  return { items: kept, next: kept[kept.length - 1]!.sid };
}
