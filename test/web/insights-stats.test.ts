import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { busiestPath, canvasInsights, defaultFunnel, dropOff, edgeLabel, fillDays, percent, scopeQuery, strokeWidth } from '../../web/src/insights/stats';
import { insightEdges } from '../../web/src/insights/edges';
import { edgesOf } from '../../web/src/editor/graph';

/**
 * Trigger → ask (send-and-wait) → check: "yes" → say_yes, anything else → say_no; ask's timeout
 * ends the flow. Two split branches lead to say_no, one by `match`, one by `noMatch`.
 */
const state = (name: string, type: string, transitions: FlowState['transitions']): FlowState => ({ name, type, properties: {}, transitions });
const match = (value: string, next: string) => ({ event: 'match', next, conditions: [{ friendly_name: value, arguments: ['{{widgets.ask.inbound.Body}}'], type: 'equal_to', value }] });
const definition: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    state('Trigger', 'trigger', [{ event: 'incomingMessage' }, { event: 'incomingRequest', next: 'ask' }]),
    state('ask', 'send-and-wait-for-reply', [{ event: 'incomingMessage', next: 'check' }, { event: 'timeout' }, { event: 'deliveryFailure' }]),
    state('check', 'split-based-on', [{ event: 'noMatch', next: 'say_no' }, match('yes', 'say_yes'), match('no', 'say_no')]),
    state('say_yes', 'send-message', [{ event: 'sent' }, { event: 'failed' }]),
    state('say_no', 'send-message', [{ event: 'sent' }, { event: 'failed' }]),
  ],
};

/** 8 started; 6 replied (4 yes, 2 other), 1 timed out, 1 still waits. */
const widgets = [
  { widget: 'Trigger', reached: 8, waiting: 0, ended: 0 },
  { widget: 'ask', reached: 8, waiting: 1, ended: 1 },
  { widget: 'check', reached: 6, waiting: 0, ended: 0 },
  { widget: 'say_no', reached: 2, waiting: 0, ended: 2 },
  { widget: 'say_yes', reached: 4, waiting: 0, ended: 4 },
];
const transitions = [
  { widget: 'Trigger', event: 'incomingRequest', next: 'ask', taken: 8 },
  { widget: 'ask', event: 'incomingMessage', next: 'check', taken: 6 },
  { widget: 'ask', event: 'timeout', next: 'Ended', taken: 1 },
  { widget: 'check', event: 'match', next: 'say_yes', taken: 4 },
  { widget: 'check', event: 'noMatch', next: 'say_no', taken: 2 },
  { widget: 'say_no', event: 'sent', next: 'Ended', taken: 2 },
  { widget: 'say_yes', event: 'sent', next: 'Ended', taken: 4 },
];

describe('the Insights view of a flow', () => {
  it('counts drop-off as the share of those who reached a widget that ended or wait there', () => {
    expect(dropOff({ reached: 8, waiting: 1, ended: 1 })).toBe(0.25);
    expect(dropOff({ reached: 6, waiting: 0, ended: 0 })).toBe(0);
    expect(dropOff({ reached: 0, waiting: 0, ended: 0 })).toBeNull();
    // Waiting is now, whatever the date range: it never makes more than all of them.
    expect(dropOff({ reached: 1, waiting: 3, ended: 0 })).toBe(1);
  });

  it('gives each transition its share of the steps leaving its widget, those to Ended included', () => {
    const insights = canvasInsights(definition, widgets, transitions);
    expect(insights.widgets.get('ask')).toEqual({ reached: 8, waiting: 1, ended: 1, dropOff: 0.25 });
    expect(Object.fromEntries(insights.edges)).toEqual({
      'Trigger#0': { taken: 0, share: 0 },
      'Trigger#1': { taken: 8, share: 1 },
      'ask#0': { taken: 6, share: 6 / 7 },
      // Unconnected: the steps that ended the execution there.
      'ask#1': { taken: 1, share: 1 / 7 },
      'ask#2': { taken: 0, share: 0 },
      'check#0': { taken: 2, share: 2 / 6 },
      'check#1': { taken: 4, share: 4 / 6 },
      // The "no" branch was never taken: its edge is drawn with nothing on it.
      'check#2': { taken: 0, share: 0 },
      'say_no#0': { taken: 2, share: 1 },
      'say_no#1': { taken: 0, share: 0 },
      'say_yes#0': { taken: 4, share: 1 },
      'say_yes#1': { taken: 0, share: 0 },
    });
  });

  it('leaves the executions migrated at a widget out of its traffic', () => {
    const migrated = canvasInsights(definition, widgets, [...transitions, { widget: 'ask', event: 'migrated', next: 'ask', taken: 3 }]);
    expect(migrated.edges).toEqual(canvasInsights(definition, widgets, transitions).edges);
  });

  it('labels and weighs the edges by share', () => {
    expect(percent(0.625)).toBe('63%');
    expect(edgeLabel({ taken: 4, share: 4 / 6 })).toBe('67% (4)');
    expect([strokeWidth(0), strokeWidth(0.5), strokeWidth(1), strokeWidth(2)]).toEqual([1, 4, 7, 7]);
    const edges = insightEdges(edgesOf(definition), canvasInsights(definition, widgets, transitions));
    expect(edges.map((e) => [e.id, e.label, e.className])).toEqual([
      ['Trigger#1', '100% (8)', 'insight'],
      ['ask#0', '86% (6)', 'insight'],
      ['check#0', '33% (2)', 'insight'],
      ['check#1', '67% (4)', 'insight'],
      ['check#2', '0% (0)', 'insight idle'],
    ]);
  });

  it('draws a flow nobody ran as idle, and opens its funnel at the first widget', () => {
    const idle = canvasInsights(definition, [], []);
    expect(idle.edges.size).toBe(0);
    expect(insightEdges(edgesOf(definition), idle).every((e) => e.className === 'insight idle' && e.label === undefined)).toBe(true);
    expect(defaultFunnel(definition, [])).toEqual({ from: 'Trigger', to: 'ask' });
  });

  it('follows the busiest path for the default funnel, and stops at a loop', () => {
    expect(busiestPath(transitions)).toEqual(['Trigger', 'ask', 'check', 'say_yes']);
    expect(defaultFunnel(definition, transitions)).toEqual({ from: 'Trigger', to: 'say_yes' });
    const loop = [...transitions.filter((t) => t.widget !== 'check'), { widget: 'check', event: 'match', next: 'ask', taken: 9 }];
    expect(busiestPath(loop)).toEqual(['Trigger', 'ask', 'check']);
  });

  it('fills the days without executions with zeros', () => {
    expect(fillDays([])).toEqual([]);
    expect(fillDays([{ date: '2025-02-27', started: 3, ended: 1 }, { date: '2025-03-02', started: 1, ended: 2 }])).toEqual([
      { date: '2025-02-27', started: 3, ended: 1 },
      { date: '2025-02-28', started: 0, ended: 0 },
      { date: '2025-03-01', started: 0, ended: 0 },
      { date: '2025-03-02', started: 1, ended: 2 },
    ]);
  });

  it('asks for whole UTC days, the last one included', () => {
    expect(scopeQuery({ revision: undefined, from: '', to: '' })).toEqual({});
    expect(scopeQuery({ revision: 2, from: '2025-01-01', to: '2025-01-31' })).toEqual({ Revision: 2, StartDate: '2025-01-01T00:00:00.000Z', EndDate: '2025-02-01T00:00:00.000Z' });
    expect(scopeQuery({ revision: undefined, from: 'garbage', to: '2024-12-31' })).toEqual({ EndDate: '2025-01-01T00:00:00.000Z' });
  });
});
