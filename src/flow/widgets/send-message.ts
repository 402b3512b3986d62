import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { messageContent, messageFields, text } from '../values';

/**
 * Send Message — sends one message (freeform `body` or a content template) to the contact and
 * continues without waiting for a reply.
 */
export const sendMessage = defineWidget({
  type: 'send-message',
  label: 'Send Message',
  events: ['sent', 'failed'],
  failureEvent: 'failed',
  properties: z
    .looseObject({ ...messageFields, to: text.optional() })
    .superRefine(messageContent),
});
