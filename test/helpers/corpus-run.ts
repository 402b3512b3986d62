import type { Client } from '@temporalio/client';
import type { ExecutionState } from '../../src/engine/state';
import type { FlowDefinition } from '../../src/flow/definition';
import { endExecution, executionSnapshot } from '../../workflows/messages';

export type Settled = { kind: 'ended'; state: ExecutionState } | { kind: 'waiting'; state: ExecutionState; widget: string };

/**
 * Waits until an execution has ended, or is waiting for the contact (Send & Wait For Reply), and
 * ends a waiting one so that nothing is left running.
 */
export async function settle(client: Client, workflowId: string, definition: FlowDefinition): Promise<Settled> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await handle.query(executionSnapshot);
    if (state.status === 'ended') return { kind: 'ended', state };
    const current = definition.states.find((s) => s.name === state.current);
    const waiting = current?.type === 'send-and-wait-for-reply' && state.steps.at(-1)?.transitioned_to === current.name;
    if (waiting) {
      // Give the send a moment, then end the wait: the question went out, that is the answer.
      await new Promise((r) => setTimeout(r, 200));
      await handle.signal(endExecution);
      await handle.result();
      return { kind: 'waiting', state: await handle.query(executionSnapshot), widget: current.name };
    }
    if (Date.now() > deadline) throw new Error(`${workflowId} neither ended nor waited within 20 s (at ${state.current})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "ended cleanly", "waiting at X", or the failure; every widget is implemented, so any failure is unexpected. */
export function describeOutcome(settled: Settled, definition: FlowDefinition): { text: string; unexpected: boolean } {
  const failure = settled.state.failure;
  if (settled.kind === 'waiting') return { text: `waiting for a reply at ${settled.widget} (ended by the test)`, unexpected: false };
  if (!failure) return { text: `ended after ${settled.state.steps.length} steps`, unexpected: false };
  const type = definition.states.find((s) => s.name === failure.widget)?.type ?? '?';
  return { text: `${failure.code} at ${failure.widget ?? '?'} (${type})`, unexpected: true };
}
