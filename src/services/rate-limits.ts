import type { Admission } from '../store/rate-buckets';

/**
 * Studio's per-account limits on new executions: one token bucket per account and kind, holding
 * at most the rate (the burst) and refilling at the rate a second. The buckets live in the store
 * (`StoreRateBuckets`), shared by every API process.
 */

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

/** The bucket of one kind of new execution: a token per start, given back when nothing started. */
export interface NewExecutionLimiter {
  /** Takes one token for `accountSid`, or says how many whole seconds until one is there (≥ 1). */
  take(accountSid: string): Promise<Admission>;
  /** Gives back a token taken for something that turned out not to start (never above the burst). */
  refund(accountSid: string): Promise<void>;
}
