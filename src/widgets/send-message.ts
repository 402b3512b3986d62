import { applies } from '../engine/host';
import type { JsonObject } from '../engine/json';
import type { WidgetBehaviour, WidgetOutcome } from '../engine/widget';
import { outboundMessage } from './message';
import { parseProperties } from './parse';
import { sendMessageProps } from './readers.generated';
import type { Infer } from './props';


/**
 * Send Message — sends one message and goes on without waiting. `sent` when the channel
 * accepted it (not handset delivery), with the Message resource in `outbound.*` (Twilio's widget
 * page: https://www.twilio.com/docs/studio/widget-library/send-message) and the same under
 * `message.*` (the Studio user guide's names: `widgets.<name>.message.Sid`, `.To`, `.From`,
 * `.Body`); `failed` when it refused it (Studio's 81011).
 *
 * @example
 * { "name": "reply", "type": "send-message", "transitions": [{ "event": "sent" }, { "event": "failed" }],
 *   "properties": { "from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}", "body": "Thanks!" } }
 */
export const sendMessage: WidgetBehaviour<Infer<typeof sendMessageProps>> = {
  type: 'send-message',
  parse: (properties) => parseProperties('send-message', sendMessageProps, properties),
  run: async (run): Promise<WidgetOutcome> => {
    const result = await run.host.sendMessage(outboundMessage(run));
    if (!result.ok) return { event: 'failed', outputs: {}, error: { code: result.code, message: result.message } };
    const outputs: JsonObject = { outbound: result.message };
    if (applies(run.host, 'send-message-output-alias')) outputs.message = result.message;
    return { event: 'sent', outputs };
  },
};
