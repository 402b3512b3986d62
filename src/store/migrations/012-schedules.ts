import type { Kysely } from 'kysely';

/**
 * Saved contact lists and schedules. A list is kept apart from any campaign so that a schedule
 * can start a fresh campaign over it at every run (the list as it is then); a schedule given a
 * list of its own keeps it as a list it owns. A schedule's timing lives in Temporal (a Temporal
 * Schedule of the same ID): these rows say what each run starts, and what each run did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_lists')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    // Set for a schedule's own list: not among the account's saved lists, deleted with it.
    .addColumn('schedule_sid', 'varchar(34)')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_lists_by_account').on('contact_lists').columns(['account_sid', 'date_created']).execute();

  await db.schema
    .createTable('contact_list_rows')
    .addColumn('list_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    // Why a campaign over the list will skip the row (an invalid number, a duplicate), if known.
    .addColumn('skip', 'text')
    .addPrimaryKeyConstraint('contact_list_rows_pk', ['list_sid', 'position'])
    .execute();

  await db.schema
    .createTable('schedules')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    // Exactly one of the two, as asked: Temporal keeps its own compiled form.
    .addColumn('cron', 'text')
    .addColumn('interval_seconds', 'integer')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('catchup_window_seconds', 'integer', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    // A single execution per run ...
    .addColumn('to_address', 'text')
    .addColumn('parameters', 'text')
    // ... or a campaign over a list per run.
    .addColumn('contact_list_sid', 'varchar(34)')
    .addColumn('rate', 'integer')
    .addColumn('quiet_hours', 'text')
    .addColumn('created_by', 'varchar(34)', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schedules_by_flow').on('schedules').columns(['account_sid', 'flow_sid', 'date_created']).execute();

  await db.schema
    .createTable('schedule_runs')
    .addColumn('schedule_sid', 'varchar(34)', (c) => c.notNull())
    // The run's workflow ID and run ID: a retried activity of the run finds its row.
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('campaign_sid', 'varchar(34)')
    .addColumn('execution_sid', 'varchar(34)')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('schedule_runs_pk', ['schedule_sid', 'run_key'])
    .execute();
  await db.schema.createIndex('schedule_runs_by_time').on('schedule_runs').columns(['schedule_sid', 'scheduled_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('schedule_runs').execute();
  await db.schema.dropTable('schedules').execute();
  await db.schema.dropTable('contact_list_rows').execute();
  await db.schema.dropTable('contact_lists').execute();
}
