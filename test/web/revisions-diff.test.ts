import fs from 'node:fs';
import path from 'node:path';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { collapse, compare, pretty, sideBySide, summarize, type LineRow } from '../../web/src/revisions/revision-diff';
import { CORPUS_DIR, corpusFiles } from '../helpers/corpus';

/** A real Studio export, fresh each time so a test may mutate it. */
function flow(file = '001-ab-testing-ivr.json'): FlowDefinition {
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8')) as FlowDefinition;
}

function state(def: FlowDefinition, name: string): FlowState {
  const found = def.states.find((s) => s.name === name);
  if (!found) throw new Error(`no widget ${name}`);
  return found;
}

/** Renames a widget the way the editor does: the widget and every transition into it. */
function rename(def: FlowDefinition, from: string, to: string): void {
  for (const s of def.states) {
    if (s.name === from) s.name = to;
    for (const t of s.transitions) if (t.next === from) t.next = to;
  }
}

const lines = (text: string) => text.split('\n').slice(0, -1);

/** Both sides of the rows, read back: each must be its whole text, in order, numbered from 1. */
function expectFaithful(rows: readonly LineRow[], before: string, after: string) {
  const left = rows.flatMap((r) => (r.left ? [r.left] : []));
  const right = rows.flatMap((r) => (r.right ? [r.right] : []));
  expect(left.map((l) => l.text)).toEqual(lines(before));
  expect(right.map((l) => l.text)).toEqual(lines(after));
  expect(left.map((l) => l.number)).toEqual(left.map((_, i) => i + 1));
  expect(right.map((l) => l.number)).toEqual(right.map((_, i) => i + 1));
  // Checked in bulk: one expect per row makes big flows slow.
  expect(rows.filter((r) => (!r.changed && r.left?.text !== r.right?.text) || (!r.left && !r.right))).toEqual([]);
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
    expect(s.changed).toEqual([{ name: 'say_long', parts: ['properties'] }]);
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
      { name: 'function_track_POSITIVE', parts: ['transitions'] },
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

describe('sideBySide', () => {
  it('pairs a replaced block row by row and pads the shorter side', () => {
    const rows = sideBySide('a\nb\nc\nd\n', 'a\nX\nd\ne\n');
    expect(rows.map((r) => [r.changed, r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      [false, 'a', 'a'],
      [true, 'b', 'X'],
      [true, 'c', null],
      [false, 'd', 'd'],
      [true, null, 'e'],
    ]);
    expectFaithful(rows, 'a\nb\nc\nd\n', 'a\nX\nd\ne\n');
  });

  it('puts one changed widget body on one row, at the same line on both sides', () => {
    const after = flow();
    state(after, 'say_long').properties.say = 'A shorter message';
    const rows = sideBySide(pretty(flow()), pretty(after));
    const changed = rows.filter((r) => r.changed);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.left?.text).toContain('"say": "');
    expect(changed[0]!.right?.text.trim()).toBe('"say": "A shorter message"');
    expect(changed[0]!.left?.number).toBe(changed[0]!.right?.number);
    expectFaithful(rows, pretty(flow()), pretty(after));
  });

  it('keeps both sides whole and in step for edits of real flows', () => {
    for (const file of corpusFiles().slice(0, 12)) {
      const before = flow(file);
      const after = flow(file);
      after.states.splice(1, 1);
      after.states.push({ name: 'added_widget', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [] } });
      after.description = `${after.description ?? ''} (edited)`;
      const rows = sideBySide(pretty(before), pretty(after));
      expectFaithful(rows, pretty(before), pretty(after));
      expect(rows.some((r) => r.changed && r.left && !r.right)).toBe(true);
    }
  });
});

describe('collapse', () => {
  const rowsOf = (n: number, changedAt: number[]): LineRow[] =>
    Array.from({ length: n }, (_, i) => ({ kind: 'line', changed: changedAt.includes(i), left: { number: i + 1, text: `l${i}` }, right: { number: i + 1, text: `r${i}` } }));

  it('keeps a few rows of context around each change and folds the rest', () => {
    const out = collapse(rowsOf(30, [10, 12]), 3);
    expect(out.map((r) => (r.kind === 'gap' ? `gap${r.rows.length}` : r.left?.number))).toEqual(['gap7', 8, 9, 10, 11, 12, 13, 14, 15, 16, 'gap14']);
    // Nothing is lost: unfolding every gap gives back the rows.
    expect(out.flatMap((r) => (r.kind === 'gap' ? r.rows : [r]))).toEqual(rowsOf(30, [10, 12]));
  });

  it('does not fold a single line, and folds everything when nothing changed', () => {
    const out = collapse(rowsOf(9, [0, 8]), 3);
    expect(out.every((r) => r.kind === 'line')).toBe(true);
    const same = collapse(rowsOf(5, []), 3);
    expect(same).toHaveLength(1);
    expect(same[0]!.kind).toBe('gap');
  });

  it('folds most of a real flow with one edit', () => {
    const after = flow('003-accfb-foodnow-sms-voice-bot.json');
    after.states[60]!.properties.offset = { x: -1, y: -1 };
    const { summary, rows } = compare(flow('003-accfb-foodnow-sms-voice-bot.json'), after, 2);
    expect(summary.changed).toEqual([{ name: after.states[60]!.name, parts: ['position'] }]);
    const shown = rows.filter((r) => r.kind === 'line');
    expect(rows.filter((r) => r.kind === 'gap')).toHaveLength(2);
    expect(shown.filter((r) => r.changed)).toHaveLength(2);
    expect(shown.length).toBeLessThanOrEqual(2 + 2 * 2);
  });
});
