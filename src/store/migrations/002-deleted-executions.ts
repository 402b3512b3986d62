import type { Kysely } from 'kysely';

/**
 * Executions deleted through the API. Temporal deletes a workflow in the background (about 30 s
 * on the dev server); until it has, this record keeps the execution from being served.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deleted_executions')
    .addColumn('execution_sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('deleted_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deleted_executions_by_date').on('deleted_executions').column('deleted_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deleted_executions').execute();
}
