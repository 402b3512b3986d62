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
  /** Turns answered so far (absent in state recorded before it was counted). */
  answered?: number;
}

export function newCallState(callSid?: string): CallState {
  return { ...(callSid ? { callSid } : {}), unanswered: [], callbacks: [], buffer: [], answers: {}, statuses: {} };
}

const ANSWERS_KEPT = 50;

/** Answers a turn; older answers beyond the last few are forgotten. */
export function answer(call: CallState, turnId: string, value: VoiceAnswer): void {
  call.answers[turnId] = value;
  call.answered = (call.answered ?? 0) + 1;
  const ids = Object.keys(call.answers);
  for (const id of ids.slice(0, Math.max(0, ids.length - ANSWERS_KEPT))) delete call.answers[id];
}

export const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * A parent's call lent to the subflow it runs (Studio runs voice widgets in subflows of call
 * flows). Webhooks keep arriving at the parent, which stays the owner of every turn: it relays
 * each new turn and the call's end to the child, and a child's answer comes back to the parent,
 * which answers the waiting webhook. So a turn is never lost between the two, whenever either ends.
 */
export interface LentCall {
  /** The workflow that owns the call and receives the answers. */
  readonly lender: string;
  readonly callSid?: string;
  readonly endedStatus?: string;
  /** Webhooks waiting for TwiML when the subflow starts. */
  readonly turns: readonly VoiceTurn[];
  /** TwiML kept for the next answer (Fork Stream), which the subflow now gives. */
  readonly buffer: readonly TwimlNode[];
}

/** News of the lent call for the subflow: turns that arrived since, and its end. */
export interface LentCallNews {
  readonly turns: readonly VoiceTurn[];
  readonly endedStatus?: string;
}

/** A subflow's answer to one of the lender's turns. */
export interface LentCallAnswer {
  readonly turnId: string;
  readonly answer: VoiceAnswer;
}

export function hasCall(call: CallState): boolean {
  return call.callSid !== undefined || call.unanswered.length > 0;
}

/** What the subflow starts with; the buffered TwiML moves to it (the rest is copied). */
export function lendCall(call: CallState, lender: string): LentCall {
  return {
    lender,
    ...(call.callSid ? { callSid: call.callSid } : {}),
    ...(call.endedStatus ? { endedStatus: call.endedStatus } : {}),
    turns: [...call.unanswered],
    buffer: call.buffer.splice(0),
  };
}

/** The subflow's call state at its start. */
export function borrowedCallState(lent: LentCall): CallState {
  const call = newCallState(lent.callSid);
  call.unanswered.push(...lent.turns);
  call.buffer.push(...lent.buffer);
  if (lent.endedStatus) call.endedStatus = lent.endedStatus;
  return call;
}

/** In the subflow: turns relayed by the lender (each once), and the call's end. */
export function receiveLentNews(call: CallState, news: LentCallNews): void {
  for (const turn of news.turns) {
    if (call.answers[turn.id] !== undefined || call.unanswered.some((t) => t.id === turn.id)) continue;
    call.unanswered.push(turn);
    if (turn.kind !== 'call') call.callbacks.push(turn);
  }
  if (news.endedStatus !== undefined) call.endedStatus = news.endedStatus;
}

/** In the lender: a subflow answered one of its turns. */
export function takeLentAnswer(call: CallState, lent: LentCallAnswer): void {
  call.unanswered = call.unanswered.filter((t) => t.id !== lent.turnId);
  answer(call, lent.turnId, lent.answer);
}

/** TwiML the subflow kept and never gave (Fork Stream as its last voice widget) rides with the lender's next answer. */
export function takeBackBuffer(call: CallState, childCall: CallState): void {
  call.buffer.push(...childCall.buffer);
}
