import type { FlowDefinition } from '../../src/flow/definition';
import { summarize, summaryLines } from '../../src/flow/flow-diff';
import { corpusDefinition, widgetNamed } from '../helpers/corpus';

/**
 * The semantic diff of the shared core: what the editor's "Compare revisions" dialog and
 * `open-studio flows diff` both show.
 */

const flow = (file = '001-ab-testing-ivr.json') => corpusDefinition(file);
const state = widgetNamed;

/** Renames a widget the way the editor does: the widget and every transition into it. */
function rename(def: FlowDefinition, from: string, to: string): void {
  for (const s of def.states) {
    if (s.name === from) s.name = to;
    for (const t of s.transitions) if (t.next === from) t.next = to;
  }
}

describe('summarize', () => {
  it('finds nothing between a flow and itself', () => {
    const s = summarize(flow(), flow());
    expect(s).toMatchObject({ same: true, added: [], removed: [], renamed: [], changed: [], flags: [] });
    expect(s.description).toBeUndefined();
  });

  it("names a widget whose body changed, and only the part that changed", () => {
    const after = flow();
    state(after, 'say_long').properties.say = 'A shorter message';
    const s = summarize(flow(), after);
    expect(s.same).toBe(false);
    expect(s.changed).toEqual([{ name: 'say_long', parts: ['properties'], properties: [{ path: 'say', before: state(flow(), 'say_long').properties.say, after: 'A shorter message' }] }]);
    expect([...s.added, ...s.removed, ...s.renamed]).toEqual([]);
  });

  it('tells a move, a type change and a transition change apart', () => {
    const after = flow();
    state(after, 'say_goodbye').properties.offset = { x: 999, y: 999 };
    state(after, 'say_short').type = 'play-audio';
    state(after, 'function_track_POSITIVE').transitions[1]!.next = 'say_goodbye';
    const s = summarize(flow(), after);
    expect(s.changed).toEqual([
      { name: 'say_short', parts: ['type'] },
      { name: 'say_goodbye', parts: ['position'] },
      { name: 'function_track_POSITIVE', parts: ['transitions'], transitions: [{ event: 'failed', after: 'say_goodbye' }] },
    ]);
  });

  it('ignores key order', () => {
    const after = flow();
    const s = state(after, 'gather_survey_score');
    s.properties = Object.fromEntries(Object.entries(s.properties).reverse());
    expect(summarize(flow(), after)).toMatchObject({ same: true, changed: [] });
  });

  it('finds added and removed widgets, and the widgets whose transitions pointed at them', () => {
    const after = flow();
    after.states = after.states.filter((s) => s.name !== 'say_goodbye');
    for (const s of after.states) for (const t of s.transitions) if (t.next === 'say_goodbye') delete t.next;
    after.states.push({ name: 'send_thanks', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Thanks!', offset: { x: 0, y: 900 } } });
    const s = summarize(flow(), after);
    expect(s.added).toEqual(['send_thanks']);
    expect(s.removed).toEqual(['say_goodbye']);
    expect(s.changed.map((c) => c.name).sort()).toEqual(['function_track_NEGATIVE', 'function_track_POSITIVE']);
    expect(s.changed.every((c) => c.parts.join() === 'transitions')).toBe(true);
  });

  it('sees a rename as a rename, with the references that follow it not counted as edits', () => {
    const after = flow();
    rename(after, 'say_goodbye', 'say_bye');
    const s = summarize(flow(), after);
    expect(s.renamed).toEqual([{ from: 'say_goodbye', name: 'say_bye', parts: [] }]);
    expect([...s.added, ...s.removed]).toEqual([]);
    expect(s.changed).toEqual([]);
  });

  it('reports a renamed widget that was also edited, but not a different widget as a rename', () => {
    const after = flow();
    rename(after, 'say_goodbye', 'say_bye');
    state(after, 'say_bye').properties.offset = { x: 1, y: 2 };
    expect(summarize(flow(), after).renamed).toEqual([{ from: 'say_goodbye', name: 'say_bye', parts: ['position'] }]);

    const other = flow();
    rename(other, 'say_goodbye', 'say_bye');
    state(other, 'say_bye').properties.say = 'Something else entirely';
    const s = summarize(flow(), other);
    expect(s.renamed).toEqual([]);
    expect(s.added).toEqual(['say_bye']);
    expect(s.removed).toEqual(['say_goodbye']);
  });

  it('reports description, initial state and flag changes', () => {
    const after = flow();
    after.description = 'IVR with A/B test';
    after.flags = { allow_concurrent_calls: false };
    after.initial_state = 'Start';
    const s = summarize(flow(), after);
    expect(s.description).toEqual({ before: 'A New Flow', after: 'IVR with A/B test' });
    expect(s.initialState).toEqual({ before: 'Trigger', after: 'Start' });
    expect(s.flags).toEqual([{ flag: 'allow_concurrent_calls', before: true, after: false }]);
  });
});


describe('the detail of a change', () => {
  it('names each property leaf that changed, deep in arrays and objects', () => {
    const after = flow();
    const http = state(after, 'function_track_POSITIVE');
    const parameters = http.properties.parameters as Array<{ key: string; value: string }>;
    parameters[0]!.value = '{{trigger.call.To}}';
    http.properties.method = 'GET';
    http.properties.timeout = 5;
    const [change] = summarize(flow(), after).changed;
    expect(change).toEqual({
      name: 'function_track_POSITIVE',
      parts: ['properties'],
      properties: [
        { path: 'method', before: 'POST', after: 'GET' },
        { path: 'parameters/0/value', before: '{{trigger.call.From}}', after: '{{trigger.call.To}}' },
        { path: 'timeout', after: 5 },
      ],
    });
  });

  it("names a split branch by its condition's name when it is rewired or its conditions change", () => {
    const after = flow();
    const split = state(after, 'split_based_on_survey_response');
    split.transitions[1]!.next = 'function_track_POSITIVE';
    split.transitions[2]!.conditions![0]!.value = '3, 4';
    split.transitions.push({ event: 'match', next: 'say_goodbye', conditions: [{ friendly_name: 'If value equal_to 9', arguments: ['{{widgets.gather_survey_score.Digits}}'], type: 'equal_to', value: '9' }] });
    const [change] = summarize(flow(), after).changed;
    expect(change!.transitions).toEqual([
      { event: 'match', branch: 'If value matches_any_of 1,2', before: 'function_track_NEGATIVE', after: 'function_track_POSITIVE' },
      { event: 'match', branch: 'If value matches_any_of 3, 4, 5', before: 'function_track_POSITIVE', after: 'function_track_POSITIVE', conditionsChanged: true },
      { event: 'match', branch: 'If value equal_to 9', after: 'say_goodbye', conditionsChanged: true },
    ]);
  });

  it('reads as lines: added, removed, renamed, changed with its detail, one line for moves', () => {
    const after = flow();
    rename(after, 'say_goodbye', 'say_bye');
    state(after, 'say_short').properties.say = 'Hi';
    state(after, 'say_long').properties.offset = { x: 0, y: 0 };
    state(after, 'function_track_NEGATIVE').transitions[1]!.next = 'say_bye';
    after.states = after.states.filter((s) => s.name !== 'gather_survey_score');
    after.states.push({ name: 'send_thanks', type: 'send-message', transitions: [{ event: 'sent' }], properties: { body: 'Thanks!' } });
    after.flags = { allow_concurrent_calls: false };
    expect(summaryLines(summarize(flow(), after)).map((l) => `${l.kind}: ${l.text}`)).toEqual([
      'added: Added widget send_thanks',
      'removed: Removed widget gather_survey_score',
      'changed: Renamed say_goodbye → say_bye',
      `changed: Changed say_short: say "${(state(flow(), 'say_short').properties.say as string).slice(0, 58)}… → "Hi"`,
      'changed: Changed function_track_NEGATIVE: rewired failed → say_bye (was (end))',
      'moved: Moved widget: say_long',
      'changed: Flag allow_concurrent_calls true → false',
    ]);
  });
});
