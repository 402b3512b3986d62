import type { WidgetSpec } from '../widget-spec';
import { addTwimlRedirect } from './add-twiml-redirect';
import { capturePayments } from './capture-payments';
import { connectCallTo } from './connect-call-to';
import { connectVirtualAgent } from './connect-virtual-agent';
import { connectVirtualAgentV2 } from './connect-virtual-agent-v2';
import { enqueueCall } from './enqueue-call';
import { forkStream } from './fork-stream';
import { gatherInputOnCall } from './gather-input-on-call';
import { makeHttpRequest } from './make-http-request';
import { makeOutgoingCallV1 } from './make-outgoing-call-v1';
import { makeOutgoingCallV2 } from './make-outgoing-call-v2';
import { recordCall } from './record-call';
import { recordVoicemail } from './record-voicemail';
import { resumeConversation } from './resume-conversation';
import { runConversationRelay } from './run-conversation-relay';
import { runFunction } from './run-function';
import { runSubflow } from './run-subflow';
import { sayPlay } from './say-play';
import { sendAndWaitForReply } from './send-and-wait-for-reply';
import { sendMessage } from './send-message';
import { sendToAutoPilot } from './send-to-auto-pilot';
import { sendToFlex } from './send-to-flex';
import { setVariables } from './set-variables';
import { splitBasedOn } from './split-based-on';
import { startConversation } from './start-conversation';
import { trigger } from './trigger';

/**
 * Every widget type of the Flow JSON contract, by Studio type id. One line per widget, in the
 * order of Studio's widget library (the palette shows them so), retired types last. A
 * null-prototype object: a widget `type` of `constructor`, `__proto__` or `toString` must look
 * up nothing, not an `Object.prototype` member.
 */
export const WIDGET_SPECS: Readonly<Record<string, WidgetSpec>> = Object.assign(Object.create(null) as Record<string, WidgetSpec>, {
  [trigger.type]: trigger,
  [splitBasedOn.type]: splitBasedOn,
  [setVariables.type]: setVariables,
  [runSubflow.type]: runSubflow,
  [sendMessage.type]: sendMessage,
  [sendAndWaitForReply.type]: sendAndWaitForReply,
  [startConversation.type]: startConversation,
  [resumeConversation.type]: resumeConversation,
  [sayPlay.type]: sayPlay,
  [gatherInputOnCall.type]: gatherInputOnCall,
  [connectCallTo.type]: connectCallTo,
  [makeOutgoingCallV2.type]: makeOutgoingCallV2,
  [recordVoicemail.type]: recordVoicemail,
  [recordCall.type]: recordCall,
  [enqueueCall.type]: enqueueCall,
  [capturePayments.type]: capturePayments,
  [forkStream.type]: forkStream,
  [addTwimlRedirect.type]: addTwimlRedirect,
  [runConversationRelay.type]: runConversationRelay,
  [connectVirtualAgentV2.type]: connectVirtualAgentV2,
  [runFunction.type]: runFunction,
  [makeHttpRequest.type]: makeHttpRequest,
  [sendToFlex.type]: sendToFlex,
  [makeOutgoingCallV1.type]: makeOutgoingCallV1,
  [connectVirtualAgent.type]: connectVirtualAgent,
  [sendToAutoPilot.type]: sendToAutoPilot,
});
