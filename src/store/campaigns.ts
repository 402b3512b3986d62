import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import type { CampaignContactStatus, CampaignContactsTable, CampaignsTable, CampaignStatus, StoreSchema } from './schema';

export type CampaignRecord = CampaignsTable & { readonly counts: Readonly<Record<CampaignContactStatus, number>>; readonly ended: number };
export type CampaignContactRow = Omit<CampaignContactsTable, 'campaign_sid'>;
/** A row of the list as read (src/campaigns/contacts.ts), with the reason to skip it if one is known. */
export interface NewCampaignContact {
  readonly to: string;
  readonly data: object;
  readonly skip?: string;
}

const STATUSES: readonly CampaignContactStatus[] = ['pending', 'starting', 'started', 'skipped', 'failed'];
/** Rows per insert: 8 columns each, well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;

/** Campaigns and their lists (migration 011): the workflow pages the list from here. */
export class Campaigns {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  /** The campaign and its whole list in one transaction: rows known to be skipped are recorded so now. */
  async create(campaign: Omit<CampaignsTable, 'status' | 'total' | 'date_updated'>, contacts: readonly NewCampaignContact[]): Promise<void> {
    const at = campaign.date_created;
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('campaigns').values({ ...campaign, status: 'running', total: contacts.length, date_updated: at }).execute();
      for (let i = 0; i < contacts.length; i += INSERT_CHUNK) {
        const rows = contacts.slice(i, i + INSERT_CHUNK).map((c, k) => ({
          campaign_sid: campaign.sid,
          position: i + k,
          contact: c.to,
          data: JSON.stringify(c.data),
          status: c.skip ? ('skipped' as const) : ('pending' as const),
          reason: c.skip ?? null,
          execution_sid: null,
          date_updated: at,
        }));
        await tx.insertInto('campaign_contacts').values(rows).execute();
      }
    });
  }

  /**
   * A campaign over a contact list as it is now (a schedule's run): its rows copied in one
   * statement, a list of 100,000 without a round trip per chunk. False when the list is gone;
   * a campaign already created under this SID (a retried run) is left as it is.
   */
  async createFromList(campaign: Omit<CampaignsTable, 'status' | 'total' | 'date_updated'>, listSid: string): Promise<boolean> {
    const at = campaign.date_created;
    return this.db.transaction().execute(async (tx) => {
      if (await tx.selectFrom('campaigns').select('sid').where('sid', '=', campaign.sid).executeTakeFirst()) return true;
      const list = await tx.selectFrom('contact_lists').select('total').where('sid', '=', listSid).executeTakeFirst();
      if (!list) return false;
      await tx.insertInto('campaigns').values({ ...campaign, status: 'running', total: list.total, date_updated: at }).execute();
      await tx
        .insertInto('campaign_contacts')
        .columns(['campaign_sid', 'position', 'contact', 'data', 'status', 'reason', 'execution_sid', 'date_updated'])
        .expression(
          tx
            .selectFrom('contact_list_rows')
            .where('list_sid', '=', listSid)
            .select([
              // Cast: PostgreSQL infers no parameter type from an INSERT … SELECT's target columns.
              sql<string>`cast(${campaign.sid} as varchar(34))`.as('campaign_sid'),
              'position',
              'contact',
              'data',
              sql<CampaignContactStatus>`case when skip is null then 'pending' else 'skipped' end`.as('status'),
              'skip',
              sql<null>`null`.as('execution_sid'),
              sql<number>`cast(${at} as bigint)`.as('date_updated'),
            ]),
        )
        .execute();
      return true;
    });
  }

  /**
   * The next contacts to start, in list order: those left `starting` by a batch that stopped
   * first (the caller checks whether each was started), then `pending` ones, marked `starting`.
   */
  async claimNext(sid: string, limit: number, at: number, newExecutionSid: () => string): Promise<CampaignContactRow[]> {
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('campaign_contacts')
        .selectAll()
        .where('campaign_sid', '=', sid)
        .where('status', 'in', ['starting', 'pending'])
        .orderBy('position')
        .limit(limit)
        .execute();
      const claimed: CampaignContactRow[] = [];
      for (const { campaign_sid: _, ...row } of rows) {
        // Each fresh row gets the SID its execution will have, before anything starts.
        if (row.status === 'pending') {
          const executionSid = newExecutionSid();
          await tx.updateTable('campaign_contacts').set({ status: 'starting', execution_sid: executionSid, date_updated: at }).where('campaign_sid', '=', sid).where('position', '=', row.position).execute();
          claimed.push({ ...row, execution_sid: executionSid, date_updated: at });
        } else claimed.push({ ...row, date_updated: Number(row.date_updated) });
      }
      return claimed;
    });
  }

  async settle(sid: string, position: number, status: Exclude<CampaignContactStatus, 'pending' | 'starting'>, outcome: { reason?: string; executionSid?: string }, at: number): Promise<void> {
    await this.db
      .updateTable('campaign_contacts')
      .set({ status, reason: outcome.reason ?? null, execution_sid: outcome.executionSid ?? null, date_updated: at })
      .where('campaign_sid', '=', sid)
      .where('position', '=', position)
      .execute();
  }

  async setStatus(sid: string, status: CampaignStatus, at: number): Promise<void> {
    await this.db.updateTable('campaigns').set({ status, date_updated: at }).where('sid', '=', sid).execute();
  }

  async get(accountSid: string, flowSid: string, sid: string): Promise<CampaignRecord | undefined> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).where('flow_sid', '=', flowSid).executeTakeFirst();
    return row ? this.record(row) : undefined;
  }

  /** A campaign by SID alone (the workflow's activities, which run for one account). */
  async bySid(sid: string): Promise<CampaignsTable | undefined> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('sid', '=', sid).executeTakeFirst();
    return row ? times(row) : undefined;
  }

  async list(accountSid: string, flowSid: string, limit: number): Promise<CampaignRecord[]> {
    const rows = await this.db.selectFrom('campaigns').selectAll().where('account_sid', '=', accountSid).where('flow_sid', '=', flowSid).orderBy('date_created', 'desc').orderBy('sid').limit(limit).execute();
    return Promise.all(rows.map((row) => this.record(row)));
  }

  /** A page of the list after `afterPosition`, optionally of one status. */
  async contacts(sid: string, options: { after?: number; status?: CampaignContactStatus; limit: number }): Promise<CampaignContactRow[]> {
    let q = this.db.selectFrom('campaign_contacts').selectAll().where('campaign_sid', '=', sid);
    if (options.after !== undefined) q = q.where('position', '>', options.after);
    if (options.status) q = q.where('status', '=', options.status);
    const rows = await q.orderBy('position').limit(options.limit).execute();
    return rows.map(({ campaign_sid: _, ...row }) => ({ ...row, date_updated: Number(row.date_updated) }));
  }

  private async record(row: CampaignsTable): Promise<CampaignRecord> {
    const grouped = await this.db.selectFrom('campaign_contacts').where('campaign_sid', '=', row.sid).select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute();
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CampaignContactStatus, number>;
    for (const g of grouped) counts[g.status] = Number(g.n);
    // Executions of the campaign that have ended, from the facts their events record.
    const ended = await this.db
      .selectFrom('campaign_contacts as c')
      .innerJoin('insight_executions as e', 'e.execution_sid', 'c.execution_sid')
      .where('c.campaign_sid', '=', row.sid)
      .where('e.ended_at', 'is not', null)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirst();
    return { ...times(row), counts, ended: Number(ended?.n ?? 0) };
  }
}

/** PostgreSQL gives a bigint as a string: times are numbers here, whatever the store. */
function times(row: CampaignsTable): CampaignsTable {
  return { ...row, date_created: Number(row.date_created), date_updated: Number(row.date_updated) };
}
