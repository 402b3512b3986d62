import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { offset, text } from '../values';

/**
 * Start Conversation — in a REST-triggered execution, creates a Conversation for the contact
 * so later messaging widgets send into it. Only documented second-hand: `participants` and
 * `timers` are kept unchecked.
 */
export const startConversation = defineWidget({
  type: 'start-conversation',
  label: 'Start Conversation',
  events: ['created', 'failed'],
  failureEvent: 'failed',
  restOnly: true,
  outputs: ['conversation', 'webhook_sid'],
  movedHere: () => "creates the Conversation in the Twilio account whose credentials this server has, with a webhook to this server (Studio uses its own studio target): the conversation service SID must be that account's",
  editor: {
    group: 'Messaging',
    multiline: ['attributes'],
  },
  properties: z.looseObject({
    conversation_service_sid: text.min(1, 'a conversation needs a conversation_service_sid'),
    friendly_name: text.optional(),
    attributes: text.optional(),
    offset: offset.optional(),
  }),
});
