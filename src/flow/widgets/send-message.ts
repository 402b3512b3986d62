import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { messageContent, messageFields, text } from '../values';

const { body, from, ...otherMessageFields } = messageFields;

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
    // `to` beside `from`: the editor's form follows the schema's key order.
    .looseObject({ body, from, to: text.optional(), ...otherMessageFields })
    .superRefine(messageContent),
});
