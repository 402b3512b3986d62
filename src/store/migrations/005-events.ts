import type { Kysely } from 'kysely';

/**
 * Event Streams: sinks and subscriptions (Twilio's Events API), the outbox of execution and
 * step events, and the deliveries still owed to each sink. An event is stored once, keyed by
 * execution and sequence, so a replayed or repeated record never makes a second one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_sinks')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('sink_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('configuration', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('test_id', 'varchar(64)')
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_until', 'bigint')
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('event_subscriptions')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('sink_sid', 'varchar(34)', (c) => c.notNull().references('event_sinks.sid').onDelete('cascade'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_subscriptions_by_sink').on('event_subscriptions').column('sink_sid').execute();

  await db.schema
    .createTable('event_subscribed_types')
    .addColumn('subscription_sid', 'varchar(34)', (c) => c.notNull().references('event_subscriptions.sid').onDelete('cascade'))
    .addColumn('type', 'varchar(200)', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_subscribed_types_pk', ['subscription_sid', 'type'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('stream', 'varchar(34)', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(200)', (c) => c.notNull())
    .addColumn('flow_sid', 'varchar(34)')
    .addColumn('time', 'varchar(32)', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addUniqueConstraint('events_stream_sequence', ['stream', 'sequence'])
    .execute();
  await db.schema.createIndex('events_by_recorded_at').on('events').column('recorded_at').execute();

  await db.schema
    .createTable('event_deliveries')
    .addColumn('sink_sid', 'varchar(34)', (c) => c.notNull().references('event_sinks.sid').onDelete('cascade'))
    .addColumn('event_id', 'varchar(34)', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('stream', 'varchar(34)', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('event_deliveries_pk', ['sink_sid', 'event_id'])
    .execute();
  await db.schema.createIndex('event_deliveries_by_stream').on('event_deliveries').columns(['sink_sid', 'stream', 'sequence']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['event_deliveries', 'events', 'event_subscribed_types', 'event_subscriptions', 'event_sinks']) await db.schema.dropTable(table).execute();
}
