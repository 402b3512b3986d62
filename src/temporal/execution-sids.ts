import { createHash, randomBytes } from 'node:crypto';

/**
 * Execution SIDs: `FN` + 32 lowercase hex digits, like every Twilio SID. The first 12 digits
 * are the millisecond (since the epoch) the SID was minted; the other 20 are random, or, for a
 * REST start with an idempotency token, a digest of the token and what it started.
 *
 * Why the time: an execution is found by SID through Temporal visibility, which is eventually
 * consistent — one started by another API process a moment ago may not be listed yet. The mint
 * time says whether that can be the case, so only a SID minted moments ago is worth waiting for;
 * any other unknown SID is answered after one query. (The workflow ID, which Temporal reads
 * strongly consistently, is `{FlowSid}:{contact}`: a SID cannot carry it.)
 */
const TIME_DIGITS = 12;
const PREFIX = 'FN';

function timePart(now: number): string {
  return Math.max(0, Math.floor(now)).toString(16).padStart(TIME_DIGITS, '0').slice(-TIME_DIGITS);
}

export function newExecutionSid(now = Date.now()): string {
  return `${PREFIX}${timePart(now)}${randomBytes(10).toString('hex')}`;
}

/** A SID whose last 20 digits are a function of `parts`: a retry with the same parts can recognise it. */
export function derivedExecutionSid(parts: readonly unknown[], now = Date.now()): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${PREFIX}${timePart(now)}${digest.slice(0, 32 - TIME_DIGITS)}`;
}

/** Whether two SIDs were derived from the same parts (whenever each was minted). */
export function sameDerivation(a: string, b: string): boolean {
  return a.slice(PREFIX.length + TIME_DIGITS) === b.slice(PREFIX.length + TIME_DIGITS);
}

/** When the SID says it was minted (epoch ms); meaningless for SIDs minted before this scheme. */
export function mintedAt(sid: string): number {
  return parseInt(sid.slice(PREFIX.length, PREFIX.length + TIME_DIGITS), 16);
}
