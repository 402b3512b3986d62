import { coverageOf, pathOf } from '../../src/flowtest/coverage';
import type { FlowDefinition } from '../../src/flow/definition';

const flow: FlowDefinition = {
  description: 'a split with two match branches',
  initial_state: 'Trigger',
  flags: { allow_concurrent_calls: true },
  states: [
    { name: 'Trigger', type: 'trigger', properties: {}, transitions: [{ event: 'incomingMessage', next: 'route' }, { event: 'incomingCall' }] },
    {
      name: 'route',
      type: 'split-based-on',
      properties: { input: '{{trigger.message.Body}}' },
      transitions: [
        { event: 'noMatch' },
        { event: 'match', next: 'a', conditions: [] },
        { event: 'match', next: 'b', conditions: [] },
      ],
    },
    { name: 'a', type: 'set-variables', properties: {}, transitions: [{ event: 'next' }] },
    { name: 'b', type: 'set-variables', properties: {}, transitions: [{ event: 'next' }] },
  ],
};

const hop = (transitioned_from: string, name: string, transitioned_to: string) => ({ transitioned_from, name, transitioned_to });

describe('coverage', () => {
  it('tells the match branches of a split apart by where they lead', () => {
    const walk = { steps: [hop('Trigger', 'incomingMessage', 'route'), hop('route', 'match', 'a'), hop('a', 'next', 'Ended')] };
    const coverage = coverageOf(flow, [walk]);
    expect(coverage.widgets).toMatchObject({ covered: 3, total: 4, percent: 75, missed: ['b'] });
    expect(coverage.transitions).toMatchObject({ covered: 2, total: 3, percent: 66, missed: [{ from: 'route', event: 'match', to: 'b' }] });
    expect(coverage.transitions.hits).toEqual({ 'Trigger.incomingMessage→route': 1, 'route.match→a': 1, 'a.next→Ended': 1 });
  });

  it('counts a widget an execution waits at, and each test once per widget', () => {
    const waiting = { steps: [hop('Trigger', 'incomingMessage', 'route')], current: 'route' };
    const looping = { steps: [hop('Trigger', 'incomingMessage', 'route'), hop('route', 'match', 'b'), hop('b', 'next', 'Ended')] };
    const coverage = coverageOf(flow, [waiting, looping]);
    expect(coverage.widgets.hits).toEqual({ Trigger: 2, route: 2, b: 1 });
    expect(coverage.transitions.percent).toBe(66);
  });

  it('reads the path of an execution, the trigger first and without "Ended"', () => {
    expect(pathOf({ status: 'ended', current: undefined, steps: [hop('Trigger', 'incomingMessage', 'route'), hop('route', 'match', 'a'), hop('a', 'next', 'Ended')] as never })).toEqual(['Trigger', 'route', 'a']);
    expect(pathOf({ status: 'active', current: 'Trigger', steps: [] })).toEqual(['Trigger']);
  });
});
