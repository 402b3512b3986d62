import { jsonTextTooDeep, jsonValueTooDeep, parseJsonWithin } from '../../src/engine/json';

describe('JSON depth checks (LIMIT_MAX_JSON_DEPTH)', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it.each([
    ['{}', 1],
    ['[]', 1],
    ['"plain"', 0],
    ['{"a":[1,{"b":[]}]}', 4],
    // Brackets inside strings, escaped quotes and escaped backslashes are text, not nesting.
    ['"[[[[{{{{"', 0],
    ['{"a":"\\"[[[[","b":"\\\\"}', 1],
    ['["\\\\\\"[[["]', 1],
    [deep(50_000), 50_000],
  ])('%s nests %i deep', (text, depth) => {
    expect(jsonTextTooDeep(text, depth)).toBe(false);
    if (depth > 0) expect(jsonTextTooDeep(text, depth - 1)).toBe(true);
    if (depth <= 10) expect(jsonValueTooDeep(JSON.parse(text), depth)).toBe(false);
    if (depth > 0 && depth <= 10) expect(jsonValueTooDeep(JSON.parse(text), depth - 1)).toBe(true);
  });

  it('measures a parsed value 100,000 deep without recursing', () => {
    const value = JSON.parse(deep(100_000)) as unknown;
    expect(jsonValueTooDeep(value, 64)).toBe(true);
    expect(jsonValueTooDeep(value, 100_000)).toBe(false);
  });

  it('parses within the depth, and says why it would not', () => {
    expect(parseJsonWithin('{"a":[1]}', 2)).toEqual({ ok: true, value: { a: [1] } });
    expect(parseJsonWithin(deep(65), 64)).toEqual({ ok: false, reason: 'depth', message: 'it nests arrays or objects more than 64 levels deep' });
    expect(parseJsonWithin('{"a":', 64)).toMatchObject({ ok: false, reason: 'syntax' });
  });
});
