import type { Kysely } from 'kysely';

/**
 * Flow insights (path analytics): one row per execution and one per step, written in the same
 * transaction as the outbox events they come from — so a fact exists exactly when its event
 * does, once however often a batch is recorded — and kept apart from the outbox, whose events
 * leave with Event Streams' retention, with the columns and indexes the per-flow, per-widget
 * and per-day queries read. Names are `text`: widget names, events and reasons are bounded by the
 * flow limits, which can change; a column narrower than they are would stop an execution's events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('insight_executions')
    .addColumn('execution_sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_reason', 'text')
    .execute();
  await db.schema.createIndex('insight_executions_by_flow').on('insight_executions').columns(['account_sid', 'flow_sid', 'started_at']).execute();

  await db.schema
    .createTable('insight_steps')
    .addColumn('execution_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('widget', 'text', (c) => c.notNull())
    .addColumn('widget_type', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addPrimaryKeyConstraint('insight_steps_pk', ['execution_sid', 'sequence'])
    .execute();
  await db.schema.createIndex('insight_steps_by_flow').on('insight_steps').columns(['account_sid', 'flow_sid', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('insight_steps').execute();
  await db.schema.dropTable('insight_executions').execute();
}
