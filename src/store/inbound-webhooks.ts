import type { Kysely } from 'kysely';
import type { Database } from './database';
import type { StoreSchema } from './schema';

/** What a claim on an inbound message found. */
export type Claim =
  /** Ours to deliver: mark it `taken` after, or `release` it when delivering failed. */
  | 'claimed'
  /**
   * Ours too, from a process that claimed it and died: it may have delivered the message before
   * it died, so whoever delivers again checks first.
   */
  | 'taken-over'
  /** Delivered before: a retry of Twilio's, answered as a duplicate. */
  | 'taken'
  /** Another request (maybe another API process) is delivering it right now. */
  | 'in-progress';

export interface InboundWebhookSettings {
  /** Twilio retries within minutes; a day is plenty. */
  readonly keepMs: number;
  /**
   * A claim older than this is taken over: the process that held it died before it delivered, or
   * before it said so. Well above one delivery, whose Temporal calls share a few seconds.
   */
  readonly leaseMs: number;
  /**
   * How long a duplicate waits for the claim another request holds to end (taken, released or
   * stale) before it answers "in progress" — Twilio's own webhook timeout is 15 s.
   */
  readonly waitMs: number;
}

/** How often a waiting duplicate looks at the claim again. */
const CLAIM_POLL_MS = 100;

export const DEFAULT_INBOUND_WEBHOOK_SETTINGS: InboundWebhookSettings = { keepMs: 24 * 60 * 60 * 1000, leaseMs: 30_000, waitMs: 5_000 };

/**
 * Inbound message webhooks by MessageSid: Twilio retries a webhook it thinks failed, perhaps to
 * another API process while the first still works on it, and a retry must not start a second
 * execution. Claiming is one insert that only one process can win (the MessageSid is the key),
 * so the check and the record are atomic across processes.
 */
export class InboundWebhooks {
  private readonly db: Kysely<StoreSchema>;

  constructor(
    database: Database,
    private readonly settings: InboundWebhookSettings = DEFAULT_INBOUND_WEBHOOK_SETTINGS,
    private readonly now: () => number = Date.now,
  ) {
    this.db = database.db;
  }

  /** Claims the message, waiting up to `waitMs` while another request holds it. */
  async claim(messageSid: string, flowSid: string): Promise<Claim> {
    const deadline = this.now() + this.settings.waitMs;
    for (;;) {
      const claim = await this.claimOnce(messageSid, flowSid);
      if (claim !== 'in-progress' || this.now() >= deadline) return claim;
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
    }
  }

  private async claimOnce(messageSid: string, flowSid: string): Promise<Claim> {
    // Twice at most: a claim released between our insert and our read is claimed again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const at = new Date(this.now()).toISOString();
      const inserted = await this.db
        .insertInto('inbound_webhooks')
        .values({ message_sid: messageSid, flow_sid: flowSid, received_at: at, state: 'claimed' })
        .onConflict((oc) => oc.column('message_sid').doNothing())
        .returning('message_sid')
        .executeTakeFirst();
      if (inserted) return 'claimed';
      const row = await this.db.selectFrom('inbound_webhooks').select(['state', 'received_at']).where('message_sid', '=', messageSid).executeTakeFirst();
      if (!row) continue;
      if (row.state === 'taken') return 'taken';
      if (Date.parse(row.received_at) > this.now() - this.settings.leaseMs) return 'in-progress';
      // A stale claim: taken over by whoever updates it first from the time it was read with.
      const taken = await this.db
        .updateTable('inbound_webhooks')
        .set({ received_at: at })
        .where('message_sid', '=', messageSid)
        .where('state', '=', 'claimed')
        .where('received_at', '=', row.received_at)
        .returning('message_sid')
        .executeTakeFirst();
      return taken ? 'taken-over' : 'in-progress';
    }
    return 'in-progress';
  }

  /** The claimed message was delivered: later retries are duplicates. Old rows go meanwhile. */
  async taken(messageSid: string): Promise<void> {
    await this.db.updateTable('inbound_webhooks').set({ state: 'taken' }).where('message_sid', '=', messageSid).execute();
    await this.db.deleteFrom('inbound_webhooks').where('received_at', '<', new Date(this.now() - this.settings.keepMs).toISOString()).execute();
  }

  /**
   * Delivering failed in a way that may have delivered it (a call to Temporal that did not
   * answer): the claim is left stale, so that the next retry takes it over at once and asks the
   * executions whether they have it — instead of finding it unclaimed and starting another.
   * Stale by one lease, not by years: the clean-up of old messages must not take it for one.
   */
  async abandon(messageSid: string): Promise<void> {
    const stale = new Date(this.now() - this.settings.leaseMs - 1).toISOString();
    await this.db.updateTable('inbound_webhooks').set({ received_at: stale }).where('message_sid', '=', messageSid).where('state', '=', 'claimed').execute();
  }

  /** Delivering was refused before anything was sent (a 429, no revision): Twilio's retry must find the message unclaimed. */
  async release(messageSid: string): Promise<void> {
    await this.db.deleteFrom('inbound_webhooks').where('message_sid', '=', messageSid).where('state', '=', 'claimed').execute();
  }
}
