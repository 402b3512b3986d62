import { condition } from '@temporalio/workflow';
import { answer, FINAL_CALL_STATUSES, type VoiceAnswer, type VoiceTurn } from '../src/engine/call';
import type { JsonObject } from '../src/engine/json';
import type { ExecutionState } from '../src/engine/state';

/**
 * The call side of the execution workflow. A webhook that needs TwiML arrives as the
 * `voiceTurn` update and waits until a voice widget answers it (or the execution ends);
 * callbacks go to the widget waiting for them.
 */

/** Synchronous: refuses turns of another call (Studio runs one call per execution) without touching history. */
export function validateTurn(state: ExecutionState, turn: VoiceTurn): void {
  const callSid = turn.params.CallSid;
  if (turn.kind === 'call' && state.call.callSid && typeof callSid === 'string' && callSid !== state.call.callSid) {
    throw new Error(`This execution serves call ${state.call.callSid}, not ${callSid}`);
  }
}

export async function acceptTurn(state: ExecutionState, turn: VoiceTurn): Promise<VoiceAnswer> {
  const { call } = state;
  const known = answerOf(state, turn.kind === 'poll' ? (turn.of ?? turn.id) : turn.id);
  if (known) return known;
  if (turn.kind !== 'poll' && !call.unanswered.some((t) => t.id === turn.id)) {
    if (turn.kind === 'call' && typeof turn.params.CallSid === 'string') call.callSid ??= turn.params.CallSid;
    if (turn.kind !== 'call') call.callbacks.push(turn);
    // The execution already ended: nothing will speak again.
    if (state.status === 'ended') return { twiml: [...call.buffer.splice(0), { verb: 'Hangup' }] };
    call.unanswered.push(turn);
  }
  const id = turn.kind === 'poll' ? (turn.of ?? turn.id) : turn.id;
  await condition(() => answerOf(state, id) !== undefined);
  return answerOf(state, id)!;
}

function answerOf(state: ExecutionState, id: string): VoiceAnswer | undefined {
  return state.call.answers[id];
}

/** A call status callback: a final status ends the call for every waiting widget. */
export function recordCallStatus(state: ExecutionState, status: JsonObject): void {
  const value = typeof status.CallStatus === 'string' ? status.CallStatus : '';
  const callSid = typeof status.CallSid === 'string' ? status.CallSid : undefined;
  if (!FINAL_CALL_STATUSES.has(value)) return;
  if (callSid) state.call.statuses[callSid] = status;
  if (!callSid || callSid === state.call.callSid) state.call.endedStatus = value;
}

/** The execution is over: any webhook still waiting gets what was buffered and a hangup. */
export function hangUpUnanswered(state: ExecutionState): void {
  const { call } = state;
  for (const turn of call.unanswered.splice(0)) answer(call, turn.id, { twiml: [...call.buffer.splice(0), { verb: 'Hangup' }] });
}
