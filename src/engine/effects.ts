import type { FailureReason } from './errors';
import type { JsonObject } from './json';
import type { SubflowRun } from './state';

/**
 * The side effects widgets ask the host for. The engine decides what to send; the host (the
 * workflow, through activities) does it. Results are data: a failed call is a result, not a
 * thrown error, so the widget can take its failure transition.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  /** The widget making the call, for logs and the activity summary. */
  readonly widget: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Authenticate with the account's credentials (Make HTTP Request's `add_twilio_auth`). */
  readonly twilioAuth?: boolean;
  /** The whole call, redirects included. */
  readonly timeoutMs: number;
  /** Response body bytes; more fails the call. */
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  /** Response headers to hand back (lower-case names), when the response has them. */
  readonly keepHeaders?: readonly string[];
}

export type HttpErrorCode = 'http:timeout' | 'http:too-large' | 'http:blocked' | 'http:invalid-url' | 'http:network' | 'http:redirects';

/** A response arrived (any status), or the call failed before one did. */
export type HttpResult =
  /** `headers`: the `keepHeaders` the response had (absent in results recorded before it existed). */
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly body: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly code: HttpErrorCode; readonly message: string };

/** Which revision of a subflow to run: a number, or Studio's two names. */
export type RevisionChoice = number | 'LatestPublished' | 'LatestRevision';

export interface SubflowRequest {
  readonly widget: string;
  /** The Run Subflow step, the child's `trigger.parent.step_sid`. */
  readonly stepSid: string;
  readonly flowSid: string;
  readonly revision: RevisionChoice;
  readonly parameters: JsonObject;
}

export type SubflowResult =
  | { readonly ok: true; readonly run: SubflowRun }
  | { readonly ok: false; readonly failure: FailureReason; readonly run?: SubflowRun };

/** A message to send (Send Message, Send & Wait For Reply). */
export interface OutboundMessage {
  readonly widget: string;
  /** Execution SID + step SID: the same on every retry and replay, so a message is sent once. */
  readonly idempotencyKey: string;
  readonly to: string;
  /** A phone number, a Messaging Service SID (`MG…`) or a channel address. */
  readonly from: string;
  readonly body?: string;
  readonly mediaUrls: readonly string[];
  readonly contentSid?: string;
  readonly contentVariables?: JsonObject;
  /** JSON text: message attributes (Chat/Conversations). */
  readonly attributes?: string;
  /** Send into this conversation (executions started by an incoming conversation message). */
  readonly conversationSid?: string;
  /**
   * Studio's `shorten_urls`: Twilio shortens the links in the body (Messages API `ShortenUrls`,
   * Messaging Services with Link Shortening only).
   */
  readonly shortenUrls?: boolean;
  /** With `shortenUrls` and a sender that is not itself a Messaging Service: the service to name. */
  readonly messagingServiceSid?: string;
}

/** The created message (Studio's `outbound.*`, PascalCase), or why it could not be sent. */
export type SendResult =
  | { readonly ok: true; readonly message: JsonObject }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** What ended a wait for the contact's reply. */
export type ReplyOutcome =
  | { readonly kind: 'reply'; readonly message: JsonObject }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'deliveryFailure'; readonly status: JsonObject };

/** An outgoing call (Make Outgoing Call). */
export interface OutgoingCall {
  readonly widget: string;
  readonly stepSid: string;
  readonly idempotencyKey: string;
  readonly to: string;
  readonly from: string;
  /** Twilio's Calls API options, with its names: Timeout, Record, MachineDetection, SendDigits, … */
  readonly options: Readonly<Record<string, string>>;
}

export type PlaceCallResult = { readonly ok: true; readonly call: JsonObject } | { readonly ok: false; readonly code: string; readonly message: string };

/** Start or stop recording the execution's call (Call Recording). */
export interface RecordingRequest {
  readonly widget: string;
  readonly idempotencyKey: string;
  readonly callSid: string;
  readonly start: boolean;
  readonly options: Readonly<Record<string, string>>;
}

export type RecordingResult = { readonly ok: true; readonly recording: JsonObject } | { readonly ok: false; readonly code: string; readonly message: string };

/** A hand-off of a messaging execution to Flex (Send to Flex outside a call). */
export interface FlexHandoff {
  readonly widget: string;
  readonly idempotencyKey: string;
  readonly workflowSid: string;
  readonly channelSid: string;
  readonly attributes: string;
  readonly priority?: string;
  readonly timeout?: string;
  readonly contact: string;
  readonly channelAddress: string;
}

export type FlexHandoffResult = { readonly ok: true; readonly task: JsonObject } | { readonly ok: false; readonly code: string; readonly message: string };

/** Start a Conversation for the contact, or attach an existing one (Start / Resume Conversation). */
export interface ConversationRequest {
  readonly widget: string;
  readonly idempotencyKey: string;
  readonly action: 'start' | 'resume';
  /** The Conversations Service (`IS…`) the conversation lives in. */
  readonly serviceSid: string;
  /** `resume`: the Conversation (`CH…`) to attach. */
  readonly conversationSid?: string;
  readonly friendlyName?: string;
  /** JSON text: the conversation's attributes. */
  readonly attributes?: string;
  /** The contact (the single participant) and our address (its proxy address). */
  readonly contact: string;
  readonly channelAddress: string;
}

/** The Conversation (PascalCase, as Studio shows resources) and the webhook that resumes the execution. */
export type ConversationResult =
  | { readonly ok: true; readonly conversation: JsonObject; readonly webhookSid: string }
  | { readonly ok: false; readonly code: string; readonly message: string };
