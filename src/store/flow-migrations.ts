import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import type { FlowMigrationExecutionsTable, FlowMigrationsTable, MigrationOutcome, StoreSchema } from './schema';

export type MigrationRecord = FlowMigrationsTable & { readonly counts: Readonly<Record<MigrationOutcome, number>> };
export type MigrationTarget = Pick<FlowMigrationExecutionsTable, 'execution_sid' | 'workflow_id' | 'from_revision' | 'widget'>;
export type MigratedExecution = Omit<FlowMigrationExecutionsTable, 'migration_sid'>;

const OUTCOMES: readonly MigrationOutcome[] = ['pending', 'migrated', 'already', 'refused', 'failed'];
/** Rows per insert: well under SQLite's and PostgreSQL's bound-parameter limits (8 columns each). */
const INSERT_CHUNK = 500;

/** Migrations of waiting executions and what each did to each execution (migration 010). */
export class FlowMigrations {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  /** The migration and every execution it will take on, pending, in one transaction. */
  async create(migration: Omit<FlowMigrationsTable, 'status' | 'total' | 'date_updated'>, targets: readonly MigrationTarget[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('flow_migrations').values({ ...migration, status: 'running', total: targets.length, date_updated: migration.date_created }).execute();
      for (let i = 0; i < targets.length; i += INSERT_CHUNK) {
        const rows = targets.slice(i, i + INSERT_CHUNK).map((t) => ({ ...t, migration_sid: migration.sid, status: 'pending' as const, reason: null, date_updated: migration.date_created }));
        await tx.insertInto('flow_migration_executions').values(rows).execute();
      }
    });
  }

  async pending(sid: string): Promise<MigrationTarget[]> {
    return this.db.selectFrom('flow_migration_executions').where('migration_sid', '=', sid).where('status', '=', 'pending').select(['execution_sid', 'workflow_id', 'from_revision', 'widget']).orderBy('execution_sid').execute();
  }

  async settle(sid: string, executionSid: string, status: Exclude<MigrationOutcome, 'pending'>, reason: string | null, at: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('flow_migration_executions').set({ status, reason, date_updated: at }).where('migration_sid', '=', sid).where('execution_sid', '=', executionSid).execute();
      await tx.updateTable('flow_migrations').set({ date_updated: at }).where('sid', '=', sid).execute();
    });
  }

  async complete(sid: string, at: number): Promise<void> {
    await this.db.updateTable('flow_migrations').set({ status: 'completed', date_updated: at }).where('sid', '=', sid).execute();
  }

  async get(accountSid: string, flowSid: string, sid: string): Promise<MigrationRecord | undefined> {
    const row = await this.db.selectFrom('flow_migrations').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).where('flow_sid', '=', flowSid).executeTakeFirst();
    return row ? { ...times(row), counts: await this.counts(sid) } : undefined;
  }

  /** A flow's migrations, the newest first. */
  async list(accountSid: string, flowSid: string, limit: number): Promise<MigrationRecord[]> {
    const rows = await this.db.selectFrom('flow_migrations').selectAll().where('account_sid', '=', accountSid).where('flow_sid', '=', flowSid).orderBy('date_created', 'desc').orderBy('sid').limit(limit).execute();
    return Promise.all(rows.map(async (row) => ({ ...times(row), counts: await this.counts(row.sid) })));
  }

  async executions(sid: string, limit: number): Promise<MigratedExecution[]> {
    const rows = await this.db.selectFrom('flow_migration_executions').select(['execution_sid', 'workflow_id', 'from_revision', 'widget', 'status', 'reason', 'date_updated']).where('migration_sid', '=', sid).orderBy('execution_sid').limit(limit).execute();
    return rows.map((r) => ({ ...r, date_updated: Number(r.date_updated) }));
  }

  private async counts(sid: string): Promise<Record<MigrationOutcome, number>> {
    const rows = await this.db.selectFrom('flow_migration_executions').where('migration_sid', '=', sid).select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute();
    const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<MigrationOutcome, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}

/** PostgreSQL gives a bigint as a string: times are numbers here, whatever the store. */
function times(row: FlowMigrationsTable): FlowMigrationsTable {
  return { ...row, date_created: Number(row.date_created), date_updated: Number(row.date_updated) };
}
