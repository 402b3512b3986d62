import { z } from 'zod';
import { MESSAGE_RESOURCE, under } from '../outputs';
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
  outputs: [...under('outbound', MESSAGE_RESOURCE), ...under('message', MESSAGE_RESOURCE)],
  editor: {
    group: 'Messaging',
    namePrefix: 'send_message',
    defaults: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: '' },
    labels: { body: 'Message Body', content_sid: 'Content Template SID' },
    multiline: ['body', 'attributes'],
    advanced: ['service', 'channel', 'attributes', 'shorten_urls'],
  },
  properties: z
    // `to` beside `from`: the editor's form follows the schema's key order.
    .looseObject({ body, from, to: text.optional(), ...otherMessageFields })
    .superRefine(messageContent),
});
