import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, integerLike, offset, oneOf, text } from '../values';

/**
 * Make Outgoing Call (legacy) — the first version of the outbound-call widget, replaced by
 * `make-outgoing-call-v2`. Its exact property set is undocumented, so nothing is required.
 */
export const makeOutgoingCallV1 = defineWidget({
  type: 'make-outgoing-call-v1',
  label: 'Make Outgoing Call (legacy)',
  events: ['answered', 'busy', 'noAnswer', 'failed', 'answeredByMachine', 'hangup'],
  failureEvent: 'failed',
  legacy: true,
  outputs: ['CallSid', 'CallStatus', 'AnsweredBy', 'MachineDetectionDuration', 'Direction', 'To', 'From'],
  properties: z.looseObject({
    from: text.optional(),
    to: text.optional(),
    record: booleanLike.optional(),
    detect_answering_machine: booleanLike.optional(),
    machine_detection: oneOf(['Enable', 'DetectMessageEnd']).optional(),
    send_digits: text.optional(),
    timeout: integerLike.optional(),
    offset: offset.optional(),
  }),
});
