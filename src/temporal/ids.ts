import { randomBytes } from 'node:crypto';

/** A Twilio-shaped SID: two-letter prefix + 32 lowercase hex digits. */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** The task queue all execution workflows and their activities use. */
export const DEFAULT_TASK_QUEUE = 'flow-engine';
