import type { Kysely } from 'kysely';

/**
 * Campaigns: one row per campaign and one per contact of its list, with what became of it. The
 * list lives here, not in the campaign workflow's history: a 100,000-contact list would exceed
 * what one history may hold, so the workflow pages it from the store a batch at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('sid', 'varchar(34)', (c) => c.primaryKey())
    .addColumn('account_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('flow_sid', 'varchar(34)', (c) => c.notNull())
    // The revision published when it was created: every contact runs the same one.
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('rate', 'integer', (c) => c.notNull())
    .addColumn('quiet_hours', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'varchar(34)', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_by_flow').on('campaigns').columns(['account_sid', 'flow_sid', 'date_created']).execute();

  await db.schema
    .createTable('campaign_contacts')
    .addColumn('campaign_sid', 'varchar(34)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    // flow.data for its execution, as JSON text.
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('execution_sid', 'varchar(34)')
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_contacts_pk', ['campaign_sid', 'position'])
    .execute();
  await db.schema.createIndex('campaign_contacts_by_status').on('campaign_contacts').columns(['campaign_sid', 'status', 'position']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_contacts').execute();
  await db.schema.dropTable('campaigns').execute();
}
