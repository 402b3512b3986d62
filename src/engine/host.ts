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
} from './effects';
import type { VoiceOutcome, VoiceRequest } from './voice';

/**
 * Behaviour changes made after executions began running: an execution recorded before one must
 * replay as it ran. Under Temporal each is a `patched()` id (a marker in new histories).
 */
export type BehaviourChange =
  /** Send Message also publishes `message.*` (the seed guide's names) beside `outbound.*`. */
  | 'send-message-output-alias'
  /** TwiML Redirect with no call to speak to takes `fail` instead of ending the execution. */
  | 'twiml-redirect-no-call-fail'
  /** Run Function publishes the response `headers`. */
  | 'run-function-headers'
  /** Gather Input On Call's `stop_gather: false` means no finish key (`finishOnKey=""`). */
  | 'gather-stop-gather'
  /** Set Variables stores an unquoted numeric value as a number and strips a quoted value's quotes. */
  | 'set-variables-types'
  /** Liquid's integer `divided_by`, zero divisors, and `date` in US Pacific time, as Studio renders them. */
  | 'liquid-studio-semantics'
  /** Start Conversation and Resume Conversation run (before, they ended the execution `widget:unsupported`). */
  | 'conversation-widgets';

/** Whether a behaviour change applies to this execution: always, unless the host says otherwise. */
export function applies(host: EngineHost, change: BehaviourChange): boolean {
  return host.applies?.(change) ?? true;
}

/**
 * Everything the interpreter needs from outside, so that the engine itself stays pure and
 * deterministic. The Temporal workflow implements it with workflow time, `uuid4()`,
 * activities and child workflows; tests implement it with a scripted clock, ids and effects.
 */
export interface EngineHost {
  /** The current time (workflow time under Temporal: frozen within an activation). */
  now(): Date;
  /** A new Twilio-shaped SID: `prefix` + 32 lowercase hex digits. */
  newSid(prefix: string): string;
  /** An outbound HTTP call (Make HTTP Request, Run Function). */
  httpRequest(request: HttpRequest): Promise<HttpResult>;
  /** Runs another flow to its end as part of this execution (Run Subflow). */
  runSubflow(request: SubflowRequest): Promise<SubflowResult>;
  /** Sends a message through the channel (Send Message, Send & Wait For Reply). */
  sendMessage(message: OutboundMessage): Promise<SendResult>;
  /**
   * Waits for the contact's next message, at most `timeoutSeconds`; a failed delivery of
   * `outboundSid` (a status callback) ends the wait too. Messages that arrived before the
   * widget started are not replies: Studio ignores them.
   */
  waitForReply(request: { readonly widget: string; readonly timeoutSeconds: number; readonly outboundSid?: string }): Promise<ReplyOutcome>;
  /**
   * Gives the call TwiML and, with `awaitCallback`, waits for Twilio's callback or the end of the
   * call. `no-call` when the execution has no call to speak to.
   */
  voice(request: VoiceRequest): Promise<VoiceOutcome>;
  /**
   * Places a call and waits until it is answered (the call's first webhook, after which voice
   * widgets speak to it) or ends unanswered (`busy`, `no-answer`, `failed`, `canceled`).
   */
  placeCall(call: OutgoingCall): Promise<PlaceCallResult & { readonly status?: string }>;
  /** Starts or stops recording the call (Calls API). */
  recordCall(request: RecordingRequest): Promise<RecordingResult>;
  /** Hands a messaging execution to Flex (creates the task). */
  handoffToFlex(request: FlexHandoff): Promise<FlexHandoffResult>;
  /**
   * Creates or attaches a Conversation with the contact as its participant and a webhook that
   * sends its new messages to this execution (Start / Resume Conversation).
   */
  conversation(request: ConversationRequest): Promise<ConversationResult>;
  /** Whether `change` applies to this execution (absent: it does). Read it through `applies()`. */
  applies?(change: BehaviourChange): boolean;
}
