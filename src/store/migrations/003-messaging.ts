import type { Kysely } from 'kysely';

/**
 * Messaging: the local channel's inbox (outbound messages and the replies posted as contacts),
 * and the inbound webhooks already taken, so a retried webhook never starts a second execution.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('local_messages')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('direction', 'varchar(16)', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('media', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('idempotency_key', 'varchar(200)', (c) => c.unique())
    .addColumn('date_created', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('local_messages_by_date').on('local_messages').columns(['account_sid', 'date_created']).execute();

  await db.schema
    .createTable('inbound_webhooks')
    .addColumn('message_sid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbound_webhooks_by_date').on('inbound_webhooks').column('received_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbound_webhooks').execute();
  await db.schema.dropTable('local_messages').execute();
}
