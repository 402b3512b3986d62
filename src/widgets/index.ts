import type { WidgetRegistry } from '../engine/widget';
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
import { resumeConversation } from './resume-conversation';
import { recordVoicemail } from './record-voicemail';
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

/** Every widget the engine runs, by Studio type id. One line per widget. */
export const WIDGETS: WidgetRegistry = {
  [trigger.type]: trigger,
  [splitBasedOn.type]: splitBasedOn,
  [setVariables.type]: setVariables,
  [makeHttpRequest.type]: makeHttpRequest,
  [runFunction.type]: runFunction,
  [runSubflow.type]: runSubflow,
  [sendMessage.type]: sendMessage,
  [sendAndWaitForReply.type]: sendAndWaitForReply,
  [sendToAutoPilot.type]: sendToAutoPilot,
  [sayPlay.type]: sayPlay,
  [gatherInputOnCall.type]: gatherInputOnCall,
  [connectCallTo.type]: connectCallTo,
  [makeOutgoingCallV2.type]: makeOutgoingCallV2,
  [makeOutgoingCallV1.type]: makeOutgoingCallV1,
  [recordVoicemail.type]: recordVoicemail,
  [recordCall.type]: recordCall,
  [enqueueCall.type]: enqueueCall,
  [capturePayments.type]: capturePayments,
  [forkStream.type]: forkStream,
  [connectVirtualAgent.type]: connectVirtualAgent,
  [connectVirtualAgentV2.type]: connectVirtualAgentV2,
  [addTwimlRedirect.type]: addTwimlRedirect,
  [sendToFlex.type]: sendToFlex,
  [runConversationRelay.type]: runConversationRelay,
  [startConversation.type]: startConversation,
  [resumeConversation.type]: resumeConversation,
};
