import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { ScheduleRunOutcome, ScheduleRunsTable, SchedulesTable, StoreSchema } from './schema';

export type ScheduleRecord = SchedulesTable;
export type ScheduleRun = ScheduleRunsTable;

/**
 * What each schedule starts, and what each of its runs did (migration 012). When a schedule
 * runs, and whether it is paused, is Temporal's: a Temporal Schedule of the same ID.
 */
export class Schedules {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async create(schedule: SchedulesTable): Promise<void> {
    await this.db.insertInto('schedules').values(schedule).execute();
  }

  async get(accountSid: string, flowSid: string, sid: string): Promise<ScheduleRecord | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).where('flow_sid', '=', flowSid).executeTakeFirst();
    return row ? times(row) : undefined;
  }

  /** A schedule by SID alone (its runs' activity, which runs for one account). */
  async bySid(sid: string): Promise<ScheduleRecord | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where('sid', '=', sid).executeTakeFirst();
    return row ? times(row) : undefined;
  }

  async list(accountSid: string, flowSid: string, limit: number): Promise<ScheduleRecord[]> {
    const rows = await this.db.selectFrom('schedules').selectAll().where('account_sid', '=', accountSid).where('flow_sid', '=', flowSid).orderBy('date_created', 'desc').orderBy('sid').limit(limit).execute();
    return rows.map(times);
  }

  async setName(sid: string, friendlyName: string, at: number): Promise<void> {
    await this.db.updateTable('schedules').set({ friendly_name: friendlyName, date_updated: at }).where('sid', '=', sid).execute();
  }

  /** The schedule, its runs, and the list it owns (a saved list it reads stays). */
  async delete(sid: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const owned = await tx.selectFrom('contact_lists').select('sid').where('schedule_sid', '=', sid).execute();
      for (const { sid: list } of owned) {
        await tx.deleteFrom('contact_list_rows').where('list_sid', '=', list).execute();
        await tx.deleteFrom('contact_lists').where('sid', '=', list).execute();
      }
      await tx.deleteFrom('schedule_runs').where('schedule_sid', '=', sid).execute();
      await tx.deleteFrom('schedules').where('sid', '=', sid).execute();
    });
  }

  /**
   * The run of this key, recorded `starting` with what it will start unless a retry of it finds
   * it recorded already: then the row as it is, so the retry resumes rather than starts again.
   */
  async beginRun(run: Omit<ScheduleRunsTable, 'outcome' | 'reason'>): Promise<{ readonly run: ScheduleRun; readonly resumed: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const found = await tx.selectFrom('schedule_runs').selectAll().where('schedule_sid', '=', run.schedule_sid).where('run_key', '=', run.run_key).executeTakeFirst();
      if (found) return { run: runTimes(found), resumed: true };
      const row: ScheduleRunsTable = { ...run, outcome: 'starting', reason: null };
      await tx.insertInto('schedule_runs').values(row).execute();
      return { run: row, resumed: false };
    });
  }

  async settleRun(scheduleSid: string, runKey: string, outcome: Exclude<ScheduleRunOutcome, 'starting'>, reason: string | null): Promise<void> {
    await this.db.updateTable('schedule_runs').set({ outcome, reason }).where('schedule_sid', '=', scheduleSid).where('run_key', '=', runKey).execute();
  }

  /** Its runs, the newest first. */
  async runs(scheduleSid: string, limit: number): Promise<ScheduleRun[]> {
    const rows = await this.db.selectFrom('schedule_runs').selectAll().where('schedule_sid', '=', scheduleSid).orderBy('scheduled_at', 'desc').orderBy('started_at', 'desc').limit(limit).execute();
    return rows.map(runTimes);
  }
}

/** PostgreSQL gives a bigint as a string: times are numbers here, whatever the store. */
function times(row: SchedulesTable): SchedulesTable {
  return { ...row, date_created: Number(row.date_created), date_updated: Number(row.date_updated) };
}

function runTimes(row: ScheduleRunsTable): ScheduleRunsTable {
  return { ...row, scheduled_at: Number(row.scheduled_at), started_at: Number(row.started_at) };
}
