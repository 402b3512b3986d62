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
  async save(message: LocalMessage): Promise<LocalMessage> {
    if (message.idempotency_key !== null) {
      const existing = await this.byKey(message.idempotency_key);
      if (existing) return existing;
    }
    try {
      await this.db.insertInto('local_messages').values(message).execute();
      return message;
    } catch (err) {
      // A concurrent save with the same key won the race: its message is the one.
      const existing = message.idempotency_key !== null ? await this.byKey(message.idempotency_key) : undefined;
      if (existing) return existing;
      throw err;
    }
  }

  /** Newest first; with `contact`, only messages to or from that address. */
  async list(accountSid: string, contact: string | undefined, limit: number): Promise<LocalMessage[]> {
    let query = this.db.selectFrom('local_messages').selectAll().where('account_sid', '=', accountSid);
    if (contact !== undefined) query = query.where((eb) => eb.or([eb('to_address', '=', contact), eb('from_address', '=', contact)]));
    return query.orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(limit).execute();
  }

  private byKey(key: string): Promise<LocalMessage | undefined> {
    return this.db.selectFrom('local_messages').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  }
}

export type LocalCall = Selectable<LocalCallsTable>;

/** Calls the local channel placed, for the local API to answer or decline as the callee. */
export class LocalCalls {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  async save(call: LocalCall): Promise<LocalCall> {
    if (call.idempotency_key !== null) {
      const existing = await this.db.selectFrom('local_calls').selectAll().where('idempotency_key', '=', call.idempotency_key).executeTakeFirst();
      if (existing) return existing;
    }
    await this.db.insertInto('local_calls').values(call).execute();
    return call;
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
