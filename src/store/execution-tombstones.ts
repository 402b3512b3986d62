import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { StoreSchema } from './schema';

/**
 * Executions deleted through the API, remembered until Temporal's background deletion is surely
 * done, so a deleted execution is never served again (Studio deletes at once).
 */
export class ExecutionTombstones {
  private readonly db: Kysely<StoreSchema>;

  constructor(
    database: Database,
    /** Older tombstones are dropped: by then Temporal has deleted the execution. */
    private readonly keepMs = 24 * 60 * 60 * 1000,
  ) {
    this.db = database.db;
  }

  async add(executionSid: string, flowSid: string, at: Date): Promise<void> {
    await this.db
      .insertInto('deleted_executions')
      .values({ execution_sid: executionSid, flow_sid: flowSid, deleted_at: at.toISOString() })
      .onConflict((oc) => oc.column('execution_sid').doNothing())
      .execute();
    await this.db.deleteFrom('deleted_executions').where('deleted_at', '<', new Date(at.getTime() - this.keepMs).toISOString()).execute();
  }

  /** The SIDs among `sids` that were deleted. */
  async deleted(sids: readonly string[]): Promise<Set<string>> {
    if (sids.length === 0) return new Set();
    const rows = await this.db.selectFrom('deleted_executions').select('execution_sid').where('execution_sid', 'in', [...sids]).execute();
    return new Set(rows.map((r) => r.execution_sid));
  }
}
