import { z } from 'zod';
import { VIRTUAL_AGENT } from '../outputs';
import { defineWidget } from '../widget-spec';
import { integerLike, keyValueList, offset, oneOf, text } from '../values';

/**
 * Connect Virtual Agent — hands the call (or conversation) to a Dialogflow CX agent through
 * `connector_name` until it completes, asks for a live agent, or fails.
 */
export const connectVirtualAgentV2 = defineWidget({
  type: 'connect-virtual-agent-v2',
  label: 'Connect Virtual Agent',
  events: ['completed', 'live-agent-handoff', 'hangup', 'failed', 'paused', 'timeout'],
  failureEvent: 'failed',
  timeoutEvent: 'timeout',
  onCall: true,
  outputs: [...VIRTUAL_AGENT],
  movedHere: (p) => (p.channel === 'conversations' ? "on the conversations channel it takes failed (virtual-agent:unsupported-channel): Studio hands the chat to Twilio's Dialogflow CX integration for Conversations, a Flex beta with no public API" : undefined),
  editor: {
    group: 'Voice',
  },
  properties: z.looseObject({
    channel: oneOf(['voice', 'conversations']).optional(),
    connector_name: text.optional(),
    session_behavior: text.optional(),
    resume_session_identification_method: text.optional(),
    status_callback: text.optional(),
    status_callback_method: oneOf(['GET', 'POST']).optional(),
    timeout: integerLike.optional(),
    configurations: keyValueList.optional(),
    parameters: keyValueList.optional(),
    offset: offset.optional(),
  }),
});
