import type { Kysely } from 'kysely';

/**
 * Flows and their immutable revisions. Dates are ISO-8601 text with milliseconds, which sorts
 * correctly on both SQLite and PostgreSQL; JSON documents are text, returned byte for byte.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flows')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('published_revision', 'integer')
    .addColumn('test_users', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addColumn('date_updated', 'varchar(32)')
    .execute();
  await db.schema.createIndex('flows_by_account_date').on('flows').columns(['account_sid', 'date_created', 'sid']).execute();

  await db.schema
    .createTable('flow_revisions')
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull().references('flows.sid').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('commit_message', 'text')
    .addColumn('valid', 'integer', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_revisions_pk', ['flow_sid', 'revision'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_revisions').execute();
  await db.schema.dropTable('flows').execute();
}
