import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { integerLike, offset, text } from '../values';

/**
 * Send To Autopilot — hands the conversation to an Autopilot assistant. Autopilot is retired;
 * the widget only still imports and validates.
 */
export const sendToAutoPilot = defineWidget({
  type: 'send-to-auto-pilot',
  label: 'Send To Autopilot',
  events: ['sessionEnded', 'failure', 'timeout'],
  failureEvent: 'failure',
  timeoutEvent: 'timeout',
  legacy: true,
  movedHere: () => 'Autopilot is retired (Twilio ended it in 2024): here the widget takes failure',
  editor: {
    labels: { body: 'Message Body' },
    multiline: ['body'],
  },
  properties: z.looseObject({
    autopilot_assistant_sid: text.optional(),
    from: text.optional(),
    body: text.optional(),
    chat_channel: text.optional(),
    chat_service: text.optional(),
    timeout: integerLike.optional(),
    offset: offset.optional(),
  }),
});
