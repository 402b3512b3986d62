import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, hasLiquid, offset, oneOf, text } from '../values';

const CALLBACK_EVENTS = new Set(['in-progress', 'completed', 'absent']);

/** A space-separated subset of the recording status callback events, or Liquid. */
const callbackEvents = z
  .string()
  .refine(
    (v) => hasLiquid(v) || v.trim().split(/\s+/).filter(Boolean).every((e) => CALLBACK_EVENTS.has(e.toLowerCase())),
    'expected space-separated events from: in-progress, completed, absent',
  );

/** Call Recording — starts (`record_call: true`) or stops (`false`) recording the live call. */
export const recordCall = defineWidget({
  type: 'record-call',
  label: 'Call Recording',
  events: ['success', 'failed'],
  failureEvent: 'failed',
  outputs: ['Sid', 'CallSid', 'Status', 'Uri', 'Duration'],
  editor: {
    group: 'Voice',
  },
  properties: z.looseObject({
    record_call: booleanLike.optional(),
    recording_status_callback: text.optional(),
    recording_status_callback_method: oneOf(['GET', 'POST']).optional(),
    recording_status_callback_events: callbackEvents.optional(),
    recording_channels: oneOf(['mono', 'dual']).optional(),
    trim: oneOf(['trim-silence', 'do-not-trim']).optional(),
    offset: offset.optional(),
  }),
});
