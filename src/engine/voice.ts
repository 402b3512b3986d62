import type { JsonObject } from './json';

/**
 * TwiML as data. Voice widgets describe the TwiML a call gets; the API renders it with the
 * `twilio` library's builder (Node-only, so not here). A node is one verb or noun:
 * `{ verb: 'Say', attributes: { voice: 'alice' }, text: 'Hi' }`, `{ verb: 'Gather', children: […] }`.
 * Verb names are TwiML's (`Say`, `Play`, `Gather`, `Dial`, `Number`, `Record`, `Enqueue`,
 * `Task`, `Pay`, `Parameter`, `Redirect`, `Start`, `Stream`, `Connect`, …).
 */
export interface TwimlNode {
  readonly verb: string;
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
  readonly text?: string;
  readonly children?: readonly TwimlNode[];
}

/**
 * Stands for the URL Twilio must call back for this step (a `Gather` action, a `Redirect`
 * target): the API replaces it with the flow webhook URL, carrying the execution and the step.
 */
export const CALLBACK_URL = '$callback';

/** What Twilio reported for a widget's TwiML: its callback's parameters, or that the call ended. */
export type VoiceCallback = { readonly kind: 'callback'; readonly params: JsonObject } | { readonly kind: 'hangup'; readonly params: JsonObject };

export interface VoiceRequest {
  readonly widget: string;
  readonly stepSid: string;
  readonly twiml: readonly TwimlNode[];
  /**
   * `true`: answer the call with this TwiML and wait for its callback. `false`: keep it for the
   * next answer and go on at once (Fork Stream's `<Start>`).
   */
  readonly awaitCallback: boolean;
  /** Wait at most this long for the callback (TwiML Redirect's `timeout`); none by default. */
  readonly timeoutSeconds?: number;
}

/** A `timeout` result, for widgets whose wait is bounded. */
export type VoiceOutcome = VoiceCallback | { readonly kind: 'timeout' } | { readonly kind: 'no-call' };

/** The call's own parameters Studio publishes with most voice widgets' outputs. */
export function callParams(params: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(params)) {
    if (!['FlowEvent', 'WorkflowId', 'StepSid'].includes(key)) out[key] = value;
  }
  return out;
}
