import { z } from 'zod';
import { INBOUND_MESSAGE, MESSAGE_RESOURCE, under } from '../outputs';
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
  outputs: [...under('inbound', INBOUND_MESSAGE), ...under('outbound', MESSAGE_RESOURCE)],
  editor: {
    group: 'Messaging',
    namePrefix: 'send_and_reply',
    defaults: { from: '{{flow.channel.address}}', body: '', timeout: '3600' },
    labels: { body: 'Message Body', content_sid: 'Content Template SID' },
    multiline: ['body', 'attributes'],
    advanced: ['service', 'channel', 'attributes', 'shorten_urls'],
  },
  properties: z
    .looseObject({ ...messageFields, timeout: integerLike.optional() })
    .superRefine(messageContent),
});
