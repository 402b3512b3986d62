import { sql, type Kysely } from 'kysely';
import type { Database } from './database';
import type { StoreSchema } from './schema';

/** A token taken, or how many whole seconds until one is there (≥ 1). */
export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Token buckets in the store, so every API process draws from one bucket per account and kind:
 * a burst split over two processes admits the limit once, not twice. A bucket holds at most
 * `perSecond` tokens (the burst) and refills at `perSecond` a second. Taking a token is one
 * statement (an upsert whose update only happens when a token is there), atomic in PostgreSQL
 * and SQLite alike, so there is no read-then-write race between processes.
 *
 * Time is each API process's clock (injectable for tests); the stored time only moves forward,
 * so a host a little behind the others never refills a bucket twice. Rows are one per account
 * and kind, a handful, and are kept.
 */
export class StoreRateBuckets {
  private readonly db: Kysely<StoreSchema>;

  constructor(
    database: Database,
    /** `rest` or `inbound`: one bucket per account of each. */
    private readonly kind: string,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new Error(`a rate must be above 0 (got ${perSecond})`);
    this.db = database.db;
  }

  async take(accountSid: string): Promise<Admission> {
    const bucket = this.bucket(accountSid);
    const now = Math.floor(this.now());
    const burst = sql`CAST(${this.perSecond} AS double precision)`;
    const at = sql`CAST(${now} AS bigint)`;
    // The tokens there now: what was left plus the refill since, never above the burst.
    const refill = sql`rate_buckets.tokens + (CASE WHEN ${at} > rate_buckets.at_ms THEN ${at} - rate_buckets.at_ms ELSE 0 END) * CAST(${this.perSecond / 1000} AS double precision)`;
    const available = sql`(CASE WHEN ${refill} > ${burst} THEN ${burst} ELSE ${refill} END)`;
    const taken = await sql<{ tokens: number }>`
      INSERT INTO rate_buckets (bucket, tokens, at_ms) VALUES (${bucket}, ${burst} - 1, ${at})
      ON CONFLICT (bucket) DO UPDATE SET
        tokens = ${available} - 1,
        at_ms = CASE WHEN ${at} > rate_buckets.at_ms THEN ${at} ELSE rate_buckets.at_ms END
      WHERE ${available} >= 1
      RETURNING tokens`.execute(this.db);
    if (taken.rows.length > 0) return { allowed: true };
    // Refused: how long until a token is back, read after the fact (a hint, so no lock for it).
    const row = await this.db.selectFrom('rate_buckets').select(['tokens', 'at_ms']).where('bucket', '=', bucket).executeTakeFirst();
    const tokens = row ? Math.min(this.perSecond, row.tokens + (Math.max(0, now - Number(row.at_ms)) * this.perSecond) / 1000) : 0;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perSecond)) };
  }

  async refund(accountSid: string): Promise<void> {
    const burst = sql`CAST(${this.perSecond} AS double precision)`;
    await sql`UPDATE rate_buckets SET tokens = CASE WHEN tokens + 1 > ${burst} THEN ${burst} ELSE tokens + 1 END WHERE bucket = ${this.bucket(accountSid)}`.execute(this.db);
  }

  private bucket(accountSid: string): string {
    return `${this.kind}:${accountSid}`;
  }
}

/** The two limits Studio sets per account: REST-triggered and inbound-triggered new executions. */
export function executionRateLimits(
  database: Database,
  limits: { maxNewRestExecutionsPerSecond: number; maxNewInboundExecutionsPerSecond: number },
  now: () => number = Date.now,
): { readonly rest: StoreRateBuckets; readonly inbound: StoreRateBuckets } {
  return {
    rest: new StoreRateBuckets(database, 'rest', limits.maxNewRestExecutionsPerSecond, now),
    inbound: new StoreRateBuckets(database, 'inbound', limits.maxNewInboundExecutionsPerSecond, now),
  };
}
