import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { offset, text } from '../values';

/**
 * Resume Conversation — in a REST-triggered execution, attaches an existing Conversation
 * (`conversation_sid`) so later messaging widgets send into it.
 */
export const resumeConversation = defineWidget({
  type: 'resume-conversation',
  label: 'Resume Conversation',
  events: ['resumed', 'failed'],
  failureEvent: 'failed',
  restOnly: true,
  outputs: ['conversation', 'webhook_sid'],
  movedHere: () => "fetches the Conversation from the Twilio account whose credentials this server has and adds a webhook to this server (Studio uses its own studio target)",
  editor: {
    group: 'Messaging',
  },
  properties: z.looseObject({
    conversation_service_sid: text.min(1, 'a conversation needs a conversation_service_sid'),
    conversation_sid: text.optional(),
    offset: offset.optional(),
  }),
});
