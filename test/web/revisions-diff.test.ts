import { collapse, compare, pretty, sideBySide, type LineRow } from '../../web/src/revisions/revision-diff';
import { corpusDefinition, corpusFiles, widgetNamed } from '../helpers/corpus';

const flow = (file = '001-ab-testing-ivr.json') => corpusDefinition(file);
const state = widgetNamed;

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
