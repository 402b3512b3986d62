import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, keyValueList, offset, text } from '../values';

/**
 * Run ConversationRelay — connects the live call to a WebSocket (`url`) through
 * ConversationRelay; the flow pauses until that session ends.
 */
export const runConversationRelay = defineWidget({
  type: 'run-conversation-relay',
  label: 'Run ConversationRelay',
  events: ['success', 'failed'],
  failureEvent: 'failed',
  onCall: true,
  outputs: ['HandoffData', 'SessionId', 'SessionStatus', 'SessionDuration'],
  editor: {
    group: 'Voice',
    multiline: ['welcome_greeting'],
  },
  properties: z.looseObject({
    url: text.optional(),
    welcome_greeting: text.optional(),
    tts_provider: text.optional(),
    voice: text.optional(),
    language: text.optional(),
    transcription_provider: text.optional(),
    speech_model: text.optional(),
    dtmf_detection: booleanLike.optional(),
    // ConversationRelay takes "true"/"false" or a mode such as "speech" or "dtmf".
    interruptible: text.optional(),
    parameters: keyValueList.optional(),
    offset: offset.optional(),
  }),
});
