import { condition, getExternalWorkflowHandle, isCancellation } from '@temporalio/workflow';
import type { LentCall, LentCallAnswer } from '../src/engine/call';
import type { CallState } from '../src/engine/call';
import { lentCallAnswer, lentCallNews } from './messages';

/**
 * The workflow side of a call lent to a subflow (see `LentCall`): the lender relays, the
 * subflow answers back. Signals, because a workflow can neither update nor query another.
 */

/** In a subflow: gives the lender the answer to its waiting webhook. */
export async function answerLender(lent: LentCall, answer: LentCallAnswer): Promise<void> {
  try {
    await getExternalWorkflowHandle(lent.lender).signal(lentCallAnswer, answer);
  } catch (err) {
    // The lender ended (its own end answered every webhook it held): nobody waits for this one.
    if (isCancellation(err)) throw err;
  }
}

/**
 * In the lender, while the subflow runs: relays each new turn once, and the call's end, until
 * `done()`. Callbacks move to the subflow (they belong to its steps); every turn stays in the
 * lender's `unanswered` until an answer comes back, so one the subflow leaves goes on to the
 * lender's next voice widget. A relay that fails (the subflow just ended) loses nothing.
 */
export async function relayToSubflow(call: CallState, subflowId: string, lent: LentCall, done: () => boolean): Promise<void> {
  const relayed = new Set(lent.turns.map((t) => t.id));
  let endedStatus = lent.endedStatus;
  const fresh = () => call.unanswered.filter((t) => !relayed.has(t.id));
  const subflow = getExternalWorkflowHandle(subflowId);
  for (;;) {
    await condition(() => done() || fresh().length > 0 || call.endedStatus !== endedStatus);
    if (done()) return;
    const turns = fresh();
    for (const turn of turns) relayed.add(turn.id);
    call.callbacks = call.callbacks.filter((c) => !relayed.has(c.id));
    endedStatus = call.endedStatus;
    try {
      await subflow.signal(lentCallNews, { turns, ...(endedStatus !== undefined ? { endedStatus } : {}) });
    } catch (err) {
      if (isCancellation(err)) throw err;
      return;
    }
  }
}
