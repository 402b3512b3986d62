import type { Kysely } from 'kysely';

/**
 * Migrations of waiting executions to a newer revision: one row per migration (who asked, when,
 * for what) and one per execution it took on, with what became of it — the audit trail, kept
 * after the executions and Temporal's history of them are gone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flow_migrations')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('to_revision', 'integer', (c) => c.notNull())
    // The group asked for; null: every mappable group.
    .addColumn('from_revision', 'integer')
    .addColumn('widget', 'text')
    .addColumn('created_by', 'varchar(34)', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flow_migrations_by_flow').on('flow_migrations').columns(['account_sid', 'flow_sid', 'date_created']).execute();

  await db.schema
    .createTable('flow_migration_executions')
    .addColumn('migration_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('execution_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('from_revision', 'integer', (c) => c.notNull())
    .addColumn('widget', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_migration_executions_pk', ['migration_sid', 'execution_sid'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flow_migration_executions').execute();
  await db.schema.dropTable('flow_migrations').execute();
}
