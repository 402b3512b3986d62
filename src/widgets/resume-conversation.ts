import type { WidgetBehaviour, WidgetOutcome } from '../engine/widget';
import { attach, refusal, rendered, unsupportedBefore } from './conversation';
import { parseProperties } from './parse';
import { resumeConversationProps } from './readers.generated';
import type { Infer } from './props';


/**
 * Resume Conversation — in an execution triggered by the REST API, attaches the existing
 * Conversation `conversation_sid` as Start Conversation attaches a new one: a webhook brings
 * its messages back to this execution and later messaging widgets send into it. `resumed`, or
 * `failed` outside a REST execution, with a Conversation already attached, without a
 * `conversation_sid`, or when Twilio refuses
 * (https://www.twilio.com/docs/studio/widget-library/resume-conversation).
 *
 * @example
 * { "name": "reopen", "type": "resume-conversation",
 *   "transitions": [{ "event": "resumed", "next": "ask" }, { "event": "failed" }],
 *   "properties": { "conversation_service_sid": "IS00000000000000000000000000000001", "conversation_sid": "{{flow.data.conversation}}" } }
 */
export const resumeConversation: WidgetBehaviour<Infer<typeof resumeConversationProps>> = {
  type: 'resume-conversation',
  parse: (properties) => parseProperties('resume-conversation', resumeConversationProps, properties),
  run: async (run): Promise<WidgetOutcome> => {
    unsupportedBefore(run, 'resume-conversation');
    const refused = refusal(run);
    if (refused) return { event: 'failed', outputs: {}, error: refused };
    const conversationSid = rendered(run, run.props.conversation_sid);
    if (conversationSid === undefined) return { event: 'failed', outputs: {}, error: { code: 'conversation:missing-sid', message: 'Resume Conversation needs a conversation_sid' } };
    return attach(run, { action: 'resume', serviceSid: rendered(run, run.props.conversation_service_sid) ?? '', conversationSid }, 'resumed');
  },
};
