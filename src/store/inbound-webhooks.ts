import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { StoreSchema } from './schema';

/**
 * Inbound message webhooks already taken, by MessageSid: Twilio retries a webhook it thinks
 * failed, and a retry must not start a second execution after the first one ended.
 */
export class InboundWebhooks {
  private readonly db: Kysely<StoreSchema>;

  constructor(
    database: Database,
    /** Twilio retries within minutes; a day is plenty. */
    private readonly keepMs = 24 * 60 * 60 * 1000,
  ) {
    this.db = database.db;
  }

  async seen(messageSid: string): Promise<boolean> {
    return (await this.db.selectFrom('inbound_webhooks').select('message_sid').where('message_sid', '=', messageSid).executeTakeFirst()) !== undefined;
  }

  async record(messageSid: string, flowSid: string, at: Date): Promise<void> {
    await this.db
      .insertInto('inbound_webhooks')
      .values({ message_sid: messageSid, flow_sid: flowSid, received_at: at.toISOString() })
      .onConflict((oc) => oc.column('message_sid').doNothing())
      .execute();
    await this.db.deleteFrom('inbound_webhooks').where('received_at', '<', new Date(at.getTime() - this.keepMs).toISOString()).execute();
  }
}
