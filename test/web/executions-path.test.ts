import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { executionPath, orderSteps, transitionIndex, type PathStep } from '../../web/src/executions/path';

/**
 * Trigger → ask (send-and-wait) → split: "yes" → thanks, "no" → back to ask (a loop), no match → bye.
 * The split's two `match` branches share an event: only `next` tells them apart.
 */
const state = (name: string, type: string, transitions: FlowState['transitions']): FlowState => ({ name, type, properties: {}, transitions });
const match = (name: string, next: string) => ({ event: 'match', next, conditions: [{ friendly_name: name, arguments: ['{{widgets.ask.inbound.Body}}'], type: 'equal_to', value: name }] });
const definition: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    state('Trigger', 'trigger', [{ event: 'incomingMessage', next: 'ask' }, { event: 'incomingCall' }, { event: 'incomingRequest', next: 'ask' }]),
    state('ask', 'send-and-wait-for-reply', [{ event: 'incomingMessage', next: 'split' }, { event: 'timeout' }, { event: 'deliveryFailure' }]),
    state('split', 'split-based-on', [{ event: 'noMatch', next: 'bye' }, match('yes', 'thanks'), match('no', 'ask')]),
    state('thanks', 'send-message', [{ event: 'sent' }, { event: 'failed' }]),
    state('bye', 'send-message', [{ event: 'sent' }, { event: 'failed' }]),
  ],
};

const at = (second: number) => `2025-01-01T00:00:${String(second).padStart(2, '0')}Z`;
const step = (from: string, name: string, to: string, second: number, parent: string | null = null): PathStep => ({ transitioned_from: from, name, transitioned_to: to, date_created: at(second), parent_step_sid: parent });

/** One run through the loop: "no", then "yes". Oldest first, one second apart. */
const loop: PathStep[] = [
  step('Trigger', 'incomingMessage', 'ask', 1),
  step('ask', 'incomingMessage', 'split', 2),
  step('split', 'match', 'ask', 3),
  step('ask', 'incomingMessage', 'split', 4),
  step('split', 'match', 'thanks', 5),
  step('thanks', 'sent', 'Ended', 6),
];

const expectedVisits = { Trigger: [0], ask: [1, 3], split: [2, 4], thanks: [5] };
const expectedTaken = ['Trigger#0', 'ask#0', 'split#1', 'split#2', 'thanks#0'];

function summary(steps: readonly PathStep[]) {
  const path = executionPath(steps, definition, 'Execution FN1');
  return { visits: Object.fromEntries(path.visits), taken: [...path.taken].sort(), current: path.current, title: path.title };
}

describe('executionPath', () => {
  it('numbers the trigger 0 and each step 1-based; a loop gives a widget several numbers', () => {
    expect(summary(loop)).toEqual({ visits: expectedVisits, taken: expectedTaken, current: 'thanks', title: 'Execution FN1' });
  });

  it('tells the split branches apart by where the step went', () => {
    const onlyNo = summary(loop.slice(0, 3));
    expect(onlyNo.taken).toContain('split#2');
    expect(onlyNo.taken).not.toContain('split#1');
    expect(onlyNo.current).toBe('ask');
  });

  it('falls back to the first transition of the event when none leads where the step went', () => {
    expect(transitionIndex(definition, step('split', 'match', 'renamed', 1))).toBe(1);
    expect(transitionIndex(definition, step('split', 'noMatch', 'bye', 1))).toBe(0);
    expect(transitionIndex(definition, step('split', 'noSuchEvent', 'bye', 1))).toBeUndefined();
  });

  it('reads newest-first lists the same (dates differ)', () => {
    expect(summary([...loop].reverse())).toEqual(summary(loop));
  });

  it('reads newest-first lists the same when every step has the same second (from how steps chain)', () => {
    const sameSecond = loop.map((s) => ({ ...s, date_created: at(7) }));
    expect(summary([...sameSecond].reverse())).toEqual(summary(loop));
    expect(summary(sameSecond)).toEqual(summary(loop));
  });

  it('keeps list order among steps of the same second, and sorts by date otherwise', () => {
    const mixed = [loop[0]!, { ...loop[1]!, date_created: at(3) }, { ...loop[2]!, date_created: at(3) }, loop[3]!, loop[4]!, loop[5]!];
    const shuffled = [mixed[5]!, mixed[4]!, mixed[3]!, mixed[2]!, mixed[1]!, mixed[0]!];
    expect(orderSteps(shuffled)).toEqual(mixed);
    expect(orderSteps(mixed)).toEqual(mixed);
  });

  it('ignores widgets the definition does not have, and subflow steps', () => {
    const steps = [
      loop[0]!,
      step('ask', 'incomingMessage', 'ghost', 2),
      step('ghost', 'next', 'phantom', 3),
      step('inner', 'sent', 'split', 3, 'FTparent'),
    ];
    const path = summary(steps);
    expect(path.visits).toEqual({ Trigger: [0], ask: [1] });
    // ask's incomingMessage transition was still the one taken (it led to a widget since removed).
    expect(path.taken).toEqual(['Trigger#0', 'ask#0']);
    expect(path.current).toBe('ask');
  });

  it('shows a fresh execution at its trigger', () => {
    expect(summary([])).toEqual({ visits: { Trigger: [0] }, taken: [], current: 'Trigger', title: 'Execution FN1' });
  });
});
