import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { StoreSchema } from './schema';

export interface ApiKey {
  sid: string;
  accountSid: string;
  friendlyName: string;
  dateCreated: string;
  dateUpdated: string;
}

/** SHA-256 suffices: secrets are 32 random bytes, so there is nothing to guess by brute force. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * API keys, by account. Every check reads the store, so a key deleted by any process sharing the
 * database stops working at once.
 */
export class ApiKeyStore {
  private readonly db: Kysely<StoreSchema>;

  constructor(database: Database) {
    this.db = database.db;
  }

  /** A new key and its secret: the only time the secret exists outside the caller. */
  async create(accountSid: string, friendlyName: string, at: Date): Promise<ApiKey & { secret: string }> {
    const sid = `SK${randomBytes(16).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    const when = at.toISOString();
    await this.db
      .insertInto('api_keys')
      .values({ sid, account_sid: accountSid, friendly_name: friendlyName, secret_hash: hashSecret(secret), date_created: when, date_updated: when })
      .execute();
    return { sid, accountSid, friendlyName, dateCreated: when, dateUpdated: when, secret };
  }

  async get(accountSid: string, sid: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return row && toKey(row);
  }

  /** A page of an account's keys, oldest first. */
  async list(accountSid: string, offset: number, limit: number): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('account_sid', '=', accountSid)
      .orderBy('date_created')
      .orderBy('sid')
      .offset(offset)
      .limit(limit)
      .execute();
    return rows.map(toKey);
  }

  async rename(accountSid: string, sid: string, friendlyName: string, at: Date): Promise<ApiKey | undefined> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ friendly_name: friendlyName, date_updated: at.toISOString() })
      .where('account_sid', '=', accountSid)
      .where('sid', '=', sid)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? this.get(accountSid, sid) : undefined;
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The key when `secret` is its secret (compared in constant time), else undefined. */
  async verify(sid: string, secret: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('sid', '=', sid).executeTakeFirst();
    if (!row) return undefined;
    const given = Buffer.from(hashSecret(secret), 'hex');
    return timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex')) ? toKey(row) : undefined;
  }
}

function toKey(row: StoreSchema['api_keys']): ApiKey {
  return { sid: row.sid, accountSid: row.account_sid, friendlyName: row.friendly_name, dateCreated: row.date_created, dateUpdated: row.date_updated };
}
