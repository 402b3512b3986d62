import { sql, type Kysely } from 'kysely';

/**
 * What several API processes must agree on, kept in the store they share: the per-account token
 * buckets of new executions, and whether an inbound webhook is being taken (`claimed`) or has
 * been (`taken`) — rows from before this migration were all taken.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_buckets')
    .addColumn('bucket', 'varchar(80)', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('inbound_webhooks').addColumn('state', 'varchar(16)', (c) => c.notNull().defaultTo(sql`'taken'`)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_webhooks').dropColumn('state').execute();
  await db.schema.dropTable('rate_buckets').execute();
}
