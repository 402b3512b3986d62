import type { Kysely, Selectable } from 'kysely';
import type { Database } from './database';
import type { LocalCallsTable, LocalMessagesTable, StoreSchema } from './schema';

export type LocalMessage = Selectable<LocalMessagesTable>;

/**
 * The local channel's inbox: what flows sent and what was answered as the contact. A message
 * saved twice with one idempotency key is the same message.
 */
export class LocalMessages {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  /** Saves a message; with an idempotency key already used, returns the message saved then. */
  save(message: LocalMessage): Promise<LocalMessage> {
    return saveOnce(
      message,
      (key) => this.db.selectFrom('local_messages').selectAll().where('idempotency_key', '=', key).executeTakeFirst(),
      () => this.db.insertInto('local_messages').values(message).execute(),
    );
  }

  /** Newest first; with `contact`, only messages to or from that address. */
  async list(accountSid: string, contact: string | undefined, limit: number): Promise<LocalMessage[]> {
    let query = this.db.selectFrom('local_messages').selectAll().where('account_sid', '=', accountSid);
    if (contact !== undefined) query = query.where((eb) => eb.or([eb('to_address', '=', contact), eb('from_address', '=', contact)]));
    return query.orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(limit).execute();
  }
}

export type LocalCall = Selectable<LocalCallsTable>;

/** Calls the local channel placed, for the local API to answer or decline as the callee. */
export class LocalCalls {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  /** Saves a call; with an idempotency key already used, returns the call saved then. */
  save(call: LocalCall): Promise<LocalCall> {
    return saveOnce(
      call,
      (key) => this.db.selectFrom('local_calls').selectAll().where('idempotency_key', '=', key).executeTakeFirst(),
      () => this.db.insertInto('local_calls').values(call).execute(),
    );
  }

  get(accountSid: string, sid: string): Promise<LocalCall | undefined> {
    return this.db.selectFrom('local_calls').selectAll().where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
  }

  async setStatus(sid: string, status: string): Promise<void> {
    await this.db.updateTable('local_calls').set({ status }).where('sid', '=', sid).execute();
  }

  list(accountSid: string, limit: number): Promise<LocalCall[]> {
    return this.db.selectFrom('local_calls').selectAll().where('account_sid', '=', accountSid).orderBy('date_created', 'desc').limit(limit).execute();
  }
}

/**
 * The one idempotent insert of both tables: a row whose key was used before is the row saved
 * then, checked before inserting and again after a failed insert (a concurrent save with the
 * same key won the race; the key's unique index refused ours). Rows without a key (what the
 * local API posts as the contact) are always new.
 */
async function saveOnce<Row extends { readonly idempotency_key: string | null }>(
  row: Row,
  byKey: (key: string) => Promise<Row | undefined>,
  insert: () => Promise<unknown>,
): Promise<Row> {
  const key = row.idempotency_key;
  if (key !== null) {
    const existing = await byKey(key);
    if (existing) return existing;
  }
  try {
    await insert();
    return row;
  } catch (err) {
    const existing = key !== null ? await byKey(key) : undefined;
    if (existing) return existing;
    throw err;
  }
}
