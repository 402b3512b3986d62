import type { JsonObject } from './json';
import type { TwimlNode } from './voice';

/** A webhook of a call, asking for TwiML: the call itself, a widget's callback, an answered outgoing call, … */
export interface VoiceTurn {
  /** Unique per webhook (retries of one webhook share it). */
  readonly id: string;
  readonly kind: 'call' | 'callback' | 'answered' | 'return' | 'poll';
  /** The step whose TwiML called back (callbacks, answered outgoing calls). */
  readonly stepSid?: string;
  /** For `poll`: the turn whose answer the caller is still waiting for. */
  readonly of?: string;
  readonly params: JsonObject;
}

/** The TwiML for a turn, and the step it belongs to (so callbacks can name it). */
export interface VoiceAnswer {
  readonly twiml: readonly TwimlNode[];
  readonly stepSid?: string;
}

/**
 * The call side of an execution: the webhooks waiting for TwiML, the callbacks received, TwiML
 * kept for the next answer, and whether the call has ended. Plain data (continue-as-new).
 */
export interface CallState {
  callSid?: string;
  /** The call's final status once it ended (completed, busy, no-answer, failed, canceled). */
  endedStatus?: string;
  /** Turns waiting for an answer, oldest first. */
  unanswered: VoiceTurn[];
  /** Callbacks not yet taken by a widget. */
  callbacks: VoiceTurn[];
  /** TwiML that rides along with the next answer (Fork Stream). */
  buffer: TwimlNode[];
  /** Answers by turn id, kept for retried webhooks and polls (recent ones only). */
  answers: Record<string, VoiceAnswer>;
  /** Status callbacks by call SID (outgoing calls that end unanswered). */
  statuses: Record<string, JsonObject>;
}

export function newCallState(callSid?: string): CallState {
  return { ...(callSid ? { callSid } : {}), unanswered: [], callbacks: [], buffer: [], answers: {}, statuses: {} };
}

const ANSWERS_KEPT = 50;

/** Answers a turn; older answers beyond the last few are forgotten. */
export function answer(call: CallState, turnId: string, value: VoiceAnswer): void {
  call.answers[turnId] = value;
  const ids = Object.keys(call.answers);
  for (const id of ids.slice(0, Math.max(0, ids.length - ANSWERS_KEPT))) delete call.answers[id];
}

export const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
