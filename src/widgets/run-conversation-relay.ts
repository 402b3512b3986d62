import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { runConversationRelayProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, parameterNodes, voiceOutcome } from './voice';


/**
 * Run ConversationRelay — connects the call to the customer's WebSocket (`url`) with
 * `<Connect><ConversationRelay>`; `parameters` reach the WebSocket app in its setup message.
 * The flow waits until the session ends and Twilio calls back: `SessionStatus` `completed` or
 * `ended` is `success`, anything else `failed`, with `SessionId`, `SessionDuration`,
 * `HandoffData` and the call's parameters as outputs.
 *
 * @example
 * { "name": "ai_agent", "type": "run-conversation-relay", "transitions": [{ "event": "success", "next": "agent" }, { "event": "failed" }],
 *   "properties": { "url": "wss://example.test/relay", "welcome_greeting": "Hi! How can I help?", "tts_provider": "ElevenLabs",
 *     "language": "en-US", "interruptible": "true", "parameters": [{ "key": "caller", "value": "{{contact.channel.address}}" }] } }
 */
export const runConversationRelay: WidgetBehaviour<Infer<typeof runConversationRelayProps>> = {
  type: 'run-conversation-relay',
  parse: (properties) => parseProperties('run-conversation-relay', runConversationRelayProps, properties),
  run: async ({ name, stepSid, props, render, host, limits }) => {
    const relay: TwimlNode = {
      verb: 'ConversationRelay',
      attributes: attributes({
        url: attribute(props.url, render),
        welcomeGreeting: attribute(props.welcome_greeting, render),
        ttsProvider: attribute(props.tts_provider, render),
        voice: attribute(props.voice, render),
        language: attribute(props.language, render),
        transcriptionProvider: attribute(props.transcription_provider, render),
        speechModel: attribute(props.speech_model, render),
        dtmfDetection: attribute(props.dtmf_detection, render),
        interruptible: attribute(props.interruptible, render),
      }),
      children: parameterNodes(props.parameters, render, limits),
    };
    const connect: TwimlNode = { verb: 'Connect', attributes: { action: CALLBACK_URL, method: 'POST' }, children: [relay] };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [connect], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => {
      const status = typeof params.SessionStatus === 'string' ? params.SessionStatus.toLowerCase() : '';
      return { event: status === 'completed' || status === 'ended' ? 'success' : 'failed', outputs: callParams(params) };
    });
  },
};
