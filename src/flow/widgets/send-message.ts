import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, keyValueList, messageContent, offset, oneOf, text } from '../values';

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
    .looseObject({
      body: text.optional(),
      from: text.optional(),
      to: text.optional(),
      media_url: text.optional(),
      service: text.optional(),
      channel: text.optional(),
      attributes: text.optional(),
      message_type: oneOf(['custom', 'content_template']).optional(),
      content_sid: text.optional(),
      content_variables: keyValueList.optional(),
      shorten_urls: booleanLike.optional(),
      offset: offset.optional(),
    })
    .superRefine(messageContent),
});
