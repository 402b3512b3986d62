/**
 * Studio's per-account limits on new executions, as token buckets: one bucket per account and
 * kind, holding at most `perSecond` tokens (the burst) and refilling at `perSecond` tokens a
 * second. Pure and in memory (one process's share of the limit); the clock is injectable so
 * tests need not sleep.
 */
export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Thrown when a new execution would exceed its account's rate; the API answers 429 (20429). */
export class RateLimited extends Error {
  constructor(
    readonly kind: 'rest' | 'inbound',
    readonly retryAfterSeconds: number,
  ) {
    super(`Too Many Requests: more than the account's rate of new ${kind === 'rest' ? 'REST-triggered' : 'inbound-triggered'} executions per second`);
    this.name = 'RateLimited';
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full (idle) ones are dropped; a full bucket is the same as no bucket. */
const PRUNE_ABOVE = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new Error(`a rate must be above 0 (got ${perSecond})`);
  }

  /** Takes one token from `key`'s bucket, or says how many whole seconds until one is there (≥ 1). */
  take(key: string): Admission {
    const bucket = this.fill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
  }

  /** Gives back a token taken for something that turned out not to start (never above the burst). */
  refund(key: string): void {
    const bucket = this.fill(key);
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + 1);
  }

  private fill(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { tokens: this.perSecond, at: now };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + elapsed * this.perSecond);
    bucket.at = now;
    return bucket;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond >= this.perSecond) this.buckets.delete(key);
    }
  }
}

/** The two limits Studio sets per account: REST-triggered and inbound-triggered new executions. */
export interface ExecutionRateLimits {
  readonly rest: TokenBuckets;
  readonly inbound: TokenBuckets;
}

export function executionRateLimits(limits: { maxNewRestExecutionsPerSecond: number; maxNewInboundExecutionsPerSecond: number }, now: () => number = Date.now): ExecutionRateLimits {
  return { rest: new TokenBuckets(limits.maxNewRestExecutionsPerSecond, now), inbound: new TokenBuckets(limits.maxNewInboundExecutionsPerSecond, now) };
}
