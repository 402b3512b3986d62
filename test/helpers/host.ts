import type {
  ConversationRequest,
  ConversationResult,
  FlexHandoff,
  FlexHandoffResult,
  HttpRequest,
  HttpResult,
  OutboundMessage,
  OutgoingCall,
  PlaceCallResult,
  RecordingRequest,
  RecordingResult,
  ReplyOutcome,
  SendResult,
  SubflowRequest,
  SubflowResult,
} from '../../src/engine/effects';
import type { VoiceOutcome, VoiceRequest } from '../../src/engine/voice';
import type { EngineHost } from '../../src/engine/host';

export interface ScriptedEffects {
  http?: (request: HttpRequest) => HttpResult | Promise<HttpResult>;
  subflow?: (request: SubflowRequest) => SubflowResult | Promise<SubflowResult>;
  send?: (message: OutboundMessage) => SendResult | Promise<SendResult>;
  reply?: (request: { widget: string; timeoutSeconds: number; outboundSid?: string }) => ReplyOutcome | Promise<ReplyOutcome>;
  voice?: (request: VoiceRequest) => VoiceOutcome | Promise<VoiceOutcome>;
  call?: (call: OutgoingCall) => (PlaceCallResult & { status?: string }) | Promise<PlaceCallResult & { status?: string }>;
  recording?: (request: RecordingRequest) => RecordingResult | Promise<RecordingResult>;
  flex?: (request: FlexHandoff) => FlexHandoffResult | Promise<FlexHandoffResult>;
  conversation?: (request: ConversationRequest) => ConversationResult | Promise<ConversationResult>;
}

/**
 * A deterministic host for engine tests: time advances one second per call from a fixed start,
 * ids count up, and effects answer from a script (recording what was asked).
 */
export function scriptedHost(
  effects: ScriptedEffects = {},
  start = Date.UTC(2026, 0, 1),
): EngineHost & {
  readonly sids: string[];
  readonly http: HttpRequest[];
  readonly subflows: SubflowRequest[];
  readonly sent: OutboundMessage[];
  readonly waits: Array<{ widget: string; timeoutSeconds: number; outboundSid?: string }>;
  readonly voices: VoiceRequest[];
  readonly calls: OutgoingCall[];
  readonly recordings: RecordingRequest[];
  readonly handoffs: FlexHandoff[];
  readonly conversations: ConversationRequest[];
} {
  let tick = 0;
  const sids: string[] = [];
  const http: HttpRequest[] = [];
  const subflows: SubflowRequest[] = [];
  const sent: OutboundMessage[] = [];
  const waits: Array<{ widget: string; timeoutSeconds: number; outboundSid?: string }> = [];
  const voices: VoiceRequest[] = [];
  const calls: OutgoingCall[] = [];
  const recordings: RecordingRequest[] = [];
  const handoffs: FlexHandoff[] = [];
  const conversations: ConversationRequest[] = [];
  const unexpected = (what: string) => Promise.reject(new Error(`unexpected ${what}`));
  return {
    voices,
    calls,
    recordings,
    handoffs,
    conversations,
    sids,
    http,
    subflows,
    sent,
    waits,
    now: () => new Date(start + 1000 * tick++),
    newSid: (prefix) => {
      const sid = `${prefix}${(sids.length + 1).toString(16).padStart(32, '0')}`;
      sids.push(sid);
      return sid;
    },
    httpRequest: async (request) => {
      http.push(request);
      if (!effects.http) throw new Error(`unexpected HTTP request to ${request.url}`);
      return effects.http(request);
    },
    runSubflow: async (request) => {
      subflows.push(request);
      if (!effects.subflow) throw new Error(`unexpected subflow ${request.flowSid}`);
      return effects.subflow(request);
    },
    sendMessage: async (message) => {
      sent.push(message);
      if (!effects.send) throw new Error(`unexpected message to ${message.to}`);
      return effects.send(message);
    },
    waitForReply: async (request) => {
      waits.push(request);
      if (!effects.reply) throw new Error(`unexpected wait in ${request.widget}`);
      return effects.reply(request);
    },
    voice: async (request) => {
      voices.push(request);
      if (!request.awaitCallback) return { kind: 'callback', params: {} };
      return effects.voice ? effects.voice(request) : unexpected(`TwiML from ${request.widget}`);
    },
    placeCall: async (call) => {
      calls.push(call);
      return effects.call ? effects.call(call) : unexpected(`call to ${call.to}`);
    },
    recordCall: async (request) => {
      recordings.push(request);
      return effects.recording ? effects.recording(request) : unexpected('recording');
    },
    handoffToFlex: async (request) => {
      handoffs.push(request);
      return effects.flex ? effects.flex(request) : unexpected('Flex hand-off');
    },
    conversation: async (request) => {
      conversations.push(request);
      return effects.conversation ? effects.conversation(request) : unexpected(`conversation ${request.action}`);
    },
  };
}
