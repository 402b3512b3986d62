import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, integerLike, keyValueList, messageContent, offset, oneOf, text } from '../values';

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
    .looseObject({
      body: text.optional(),
      from: text.optional(),
      timeout: integerLike.optional(),
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
