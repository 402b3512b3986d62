import type { ConversationRequest, ConversationResult, FlexHandoff, FlexHandoffResult, OutboundMessage, OutgoingCall, PlaceCallResult, RecordingRequest, RecordingResult, SendResult } from '../engine/effects';

/** A message as a channel sends it: the widget's message plus where delivery news goes. */
export interface ChannelMessage extends OutboundMessage {
  /** Where the provider reports delivery (Twilio's StatusCallback). */
  readonly statusCallback?: string;
  /** When the send's first attempt was scheduled (ms): a retry's own accepted message is not older. */
  readonly firstAttemptAt?: number;
  /** Messages the execution sent before this one: never this send's accepted message. */
  readonly alreadySent?: readonly string[];
}

/**
 * How outbound messages leave: the local inbox or Twilio. `send` returns a refusal as a result;
 * it throws {@link TransientChannelError} for what a retry may fix (provider 5xx, network),
 * and must not send twice for one idempotency key.
 */
export interface MessageChannel {
  send(message: ChannelMessage, attempt: number): Promise<SendResult>;
  /** Places a call that fetches `url` when answered and reports to `statusCallback`. */
  placeCall(call: OutgoingCall & { readonly url: string; readonly statusCallback: string }, attempt: number): Promise<PlaceCallResult>;
  recordCall(request: RecordingRequest): Promise<RecordingResult>;
  handoffToFlex(request: FlexHandoff): Promise<FlexHandoffResult>;
  /** Start / Resume Conversation: the Conversation, its participant, and a webhook to `webhookUrl` for its new messages. */
  conversation(request: ConversationRequest & { readonly webhookUrl: string }): Promise<ConversationResult>;
}

/** The author our channel posts conversation messages as; their webhooks are our own echo. */
export const CONVERSATION_AUTHOR = 'system';

export class TransientChannelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientChannelError';
  }
}

/** `account_sid` → `AccountSid`: Studio shows Twilio resources with PascalCase keys. */
export function pascalCaseKeys(resource: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(resource).map(([key, value]) => [key.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join(''), value]),
  );
}
