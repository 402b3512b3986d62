import type { Kysely } from 'kysely';

/** Calls the local channel placed: the local API answers or declines them as the callee would. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('local_calls')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status_callback', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('idempotency_key', 'varchar(200)', (c) => c.unique())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('local_calls').execute();
}
