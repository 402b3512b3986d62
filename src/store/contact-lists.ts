import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import type { ContactListRowsTable, ContactListsTable, StoreSchema } from './schema';
import type { NewCampaignContact } from './campaigns';

export type ContactListRecord = ContactListsTable;
export type ContactListRow = Omit<ContactListRowsTable, 'list_sid'>;

/** Rows per insert: 5 columns each, well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;

/**
 * Contact lists kept apart from any one campaign (migration 012): the account's saved lists, and
 * the lists schedules own. A schedule's run copies the list, as it is then, into a new campaign.
 */
export class ContactLists {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async create(list: Omit<ContactListsTable, 'total' | 'date_updated'>, rows: readonly NewCampaignContact[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('contact_lists').values({ ...list, total: rows.length, date_updated: list.date_created }).execute();
      await insertRows(tx, list.sid, rows);
    });
  }

  /** Its name and/or its rows, replaced whole (a schedule's next run reads the new ones). */
  async update(sid: string, change: { friendlyName?: string; rows?: readonly NewCampaignContact[] }, at: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (change.rows) {
        await tx.deleteFrom('contact_list_rows').where('list_sid', '=', sid).execute();
        await insertRows(tx, sid, change.rows);
      }
      await tx
        .updateTable('contact_lists')
        .set({ date_updated: at, ...(change.friendlyName !== undefined ? { friendly_name: change.friendlyName } : {}), ...(change.rows ? { total: change.rows.length } : {}) })
        .where('sid', '=', sid)
        .execute();
    });
  }

  async get(accountSid: string, sid: string): Promise<ContactListRecord | undefined> {
    const row = await this.db.selectFrom('contact_lists').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
    return row ? times(row) : undefined;
  }

  /** The account's saved lists (not those schedules own), the newest first. */
  async list(accountSid: string, limit: number): Promise<ContactListRecord[]> {
    const rows = await this.db.selectFrom('contact_lists').selectAll().where('account_sid', '=', accountSid).where('schedule_sid', 'is', null).orderBy('date_created', 'desc').orderBy('sid').limit(limit).execute();
    return rows.map(times);
  }

  async rows(sid: string, options: { after?: number; limit: number }): Promise<ContactListRow[]> {
    let q = this.db.selectFrom('contact_list_rows').select(['position', 'contact', 'data', 'skip']).where('list_sid', '=', sid);
    if (options.after !== undefined) q = q.where('position', '>', options.after);
    return q.orderBy('position').limit(options.limit).execute();
  }

  /** Its rows a campaign will skip, counted by reason. */
  async skipped(sid: string): Promise<Record<string, number>> {
    const grouped = await this.db.selectFrom('contact_list_rows').where('list_sid', '=', sid).where('skip', 'is not', null).select(['skip', sql<number>`count(*)`.as('n')]).groupBy('skip').execute();
    return Object.fromEntries(grouped.map((g) => [g.skip!, Number(g.n)]));
  }

  /** Schedules whose runs read the list: a list in use is not deleted. */
  async usedBy(sid: string): Promise<string[]> {
    const rows = await this.db.selectFrom('schedules').select('sid').where('contact_list_sid', '=', sid).execute();
    return rows.map((r) => r.sid);
  }

  async delete(sid: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('contact_list_rows').where('list_sid', '=', sid).execute();
      await tx.deleteFrom('contact_lists').where('sid', '=', sid).execute();
    });
  }
}

async function insertRows(tx: Kysely<StoreSchema>, listSid: string, rows: readonly NewCampaignContact[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK).map((c, k) => ({ list_sid: listSid, position: i + k, contact: c.to, data: JSON.stringify(c.data), skip: (c.skip ?? null) as ContactListRowsTable['skip'] }));
    await tx.insertInto('contact_list_rows').values(chunk).execute();
  }
}

/** PostgreSQL gives a bigint as a string: times are numbers here, whatever the store. */
function times(row: ContactListsTable): ContactListsTable {
  return { ...row, date_created: Number(row.date_created), date_updated: Number(row.date_updated) };
}

