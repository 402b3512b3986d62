import { randomBytes } from 'node:crypto';

/** A Twilio-shaped SID: two-letter prefix + 32 lowercase hex digits (the store, the API and the channels make them). */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}
