import { testCondition } from '../../src/engine/conditions';
import { CONDITION_TYPES, type ConditionType } from '../../src/flow/conditions';

/** One line per case: condition type, input, value, expected (goflow's router test style). */
const CASES: Array<[ConditionType, string, string, boolean]> = [
  ['equal_to', 'Yes', 'yes', true],
  ['equal_to', '  yes ', 'YES', true],
  ['equal_to', 'yes.', 'yes', false],
  ['equal_to', '', '', true],
  ['not_equal_to', 'no', 'yes', true],
  ['not_equal_to', 'YES', 'yes', false],
  ['matches_any_of', 'Y', 'Y, y, YES, yes', true],
  ['matches_any_of', 'yes', 'START, Start, start,', false],
  ['matches_any_of', 'start', 'START, Start, start,', true],
  ['matches_any_of', '', 'a,,b', false],
  ['matches_any_of', '7', '6, 7, 8, 9, 10', true],
  ['matches_any_of', '11', '6, 7, 8, 9, 10', false],
  ['does_not_match_any_of', 'maybe', 'yes,no', true],
  ['does_not_match_any_of', ' NO ', 'yes,no', false],
  ['is_blank', '   ', 'Is Blank', true],
  ['is_blank', 'x', 'Is Blank', false],
  ['is_not_blank', 'x', 'Is Not Blank', true],
  ['is_not_blank', '', 'Is Not Blank', false],
  ['regex', 'oh YES please', '.*yes.*', true],
  ['regex', 'yes', 'ye', false],
  ['regex', 'si', '(sí|si)', true],
  ['regex', 'sí', '(sí|si)', true],
  ['regex', 'no', '(sí|si)', false],
  ['regex', 'line1\nyes', '.*yes', true],
  ['regex', 'anything', '([unclosed', false],
  ['contains', 'I said Hello there', 'hello', true],
  ['contains', 'bye', 'hello', false],
  ['does_not_contain', 'bye', 'hello', true],
  ['does_not_contain', 'HELLO', 'hello', false],
  ['starts_with', 'Stop now', 'stop', true],
  ['starts_with', 'now stop', 'stop', false],
  ['does_not_start_with', 'now stop', 'stop', true],
  ['does_not_start_with', 'STOP', 'stop', false],
  ['less_than', '2', '3', true],
  ['less_than', '10', '9', false],
  ['less_than', '-1.5', '0', true],
  ['less_than', '3', '3', false],
  ['less_than', 'abc', '3', false],
  ['less_than', '', '3', false],
  ['greater_than', '10', '9', true],
  ['greater_than', ' 0 ', '0', false],
  ['greater_than', '1e3', '2', false],
  ['greater_than', '4', 'x', false],
  ['is_before_time', '09:30', '17:00', true],
  ['is_before_time', '17:00', '09:30', false],
  ['is_before_time', '2026-01-01T08:15:00Z', '09:00', true],
  ['is_before_time', '25:00', '23:00', false],
  ['is_after_time', '17:00:01', '17:00', true],
  ['is_after_time', 'noon', '12:00', false],
  ['is_before_date', '2026-01-01', '2026-06-30', true],
  ['is_before_date', '2026-06-30T23:59:00Z', '2026-06-30', false],
  ['is_after_date', '2026-07-01', '2026-06-30', true],
  ['is_after_date', 'tomorrow', '2026-06-30', false],
];

describe('split conditions', () => {
  it.each(CASES)('%s: %j against %j is %s', (type, input, value, expected) => {
    expect(testCondition(type, input, value)).toBe(expected);
  });

  it('covers every condition type Studio has', () => {
    expect(new Set(CASES.map(([type]) => type))).toEqual(new Set(CONDITION_TYPES));
  });
});

describe('regex conditions run in linear time (RE2), with JavaScript for lookarounds', () => {
  it('reads Java-style inline flags that Studio flows use', () => {
    expect(testCondition('regex', 'Yeah sure', '(?i)(.)*(y|ye|yes|yea|yeah)(.)*')).toBe(true);
  });

  it('runs lookarounds and backreferences on JavaScript’s engine', () => {
    expect(testCondition('regex', 'you are blocked by the Access Policy', '^(?=.*blocked)(?=.*Access Policy).*')).toBe(true);
    expect(testCondition('regex', 'abab', '(ab)\\1')).toBe(true);
  });

  it('a nested quantifier on a hostile input answers (no catastrophic backtracking)', () => {
    // JavaScript's engine would backtrack 2^5000 ways here; RE2 answers in one pass.
    expect(testCondition('regex', `${'a'.repeat(5_000)}!`, '(a+)+')).toBe(false);
    expect(testCondition('regex', 'a'.repeat(5_000), '(a+)+')).toBe(true);
  });

  it('an invalid pattern matches nothing', () => {
    expect(testCondition('regex', 'x', '(unclosed')).toBe(false);
  });
});
