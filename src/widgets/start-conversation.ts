import type { WidgetBehaviour, WidgetOutcome } from '../engine/widget';
import { attach, refusal, rendered, unsupportedBefore } from './conversation';
import { parseProperties } from './parse';
import { startConversationProps } from './readers.generated';
import type { Infer } from './props';


/**
 * Start Conversation — in an execution triggered by the REST API, creates a Conversation in
 * `conversation_service_sid` with the contact as its single participant and a webhook that
 * brings the contact's messages back to this execution; later Send Message and Send & Wait For
 * Reply widgets send into it. `failed` outside a REST execution, when the execution already has
 * a Conversation (one per execution), or when Twilio refuses
 * (https://www.twilio.com/docs/studio/widget-library/start-conversation).
 *
 * @example
 * { "name": "open_chat", "type": "start-conversation",
 *   "transitions": [{ "event": "created", "next": "ask" }, { "event": "failed" }],
 *   "properties": { "conversation_service_sid": "IS00000000000000000000000000000001", "friendly_name": "Support {{contact.channel.address}}" } }
 */
export const startConversation: WidgetBehaviour<Infer<typeof startConversationProps>> = {
  type: 'start-conversation',
  parse: (properties) => parseProperties('start-conversation', startConversationProps, properties),
  run: async (run): Promise<WidgetOutcome> => {
    unsupportedBefore(run, 'start-conversation');
    const refused = refusal(run);
    if (refused) return { event: 'failed', outputs: {}, error: refused };
    const friendlyName = rendered(run, run.props.friendly_name);
    const attributes = rendered(run, run.props.attributes);
    return attach(
      run,
      {
        action: 'start',
        serviceSid: rendered(run, run.props.conversation_service_sid) ?? '',
        ...(friendlyName !== undefined ? { friendlyName } : {}),
        ...(attributes !== undefined ? { attributes } : {}),
      },
      'created',
    );
  },
};
