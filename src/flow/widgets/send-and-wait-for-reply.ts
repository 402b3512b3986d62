import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { integerLike, messageContent, messageFields } from '../values';

/**
 * Send & Wait For Reply — sends a message to the contact, then pauses the execution until
 * the contact replies or `timeout` seconds pass.
 */
export const sendAndWaitForReply = defineWidget({
  type: 'send-and-wait-for-reply',
  label: 'Send & Wait For Reply',
  events: ['incomingMessage', 'timeout', 'deliveryFailure'],
  timeoutEvent: 'timeout',
  waitsForReply: true,
  properties: z
    .looseObject({ ...messageFields, timeout: integerLike.optional() })
    .superRefine(messageContent),
});
