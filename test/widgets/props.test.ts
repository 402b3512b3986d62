import { FlowError } from '../../src/engine/errors';
import { parseProperties } from '../../src/widgets/parse';
import { array, boolean, integer, nullValue, number, object, string, union, unknown, type Infer, type Issue, type Reader } from '../../src/widgets/props';

const scalar = union(string, number, boolean);

/** What `reader` makes of `value`: the value, or the issues as `path: message`. */
function read<T>(reader: Reader<T>, value: unknown): { value: T } | { issues: string[] } {
  const issues: Issue[] = [];
  const result = reader.read(value, issues);
  return issues.length === 0 ? { value: result } : { issues: issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}

describe('props readers', () => {
  const types: Array<[string, Reader<unknown>, unknown, Array<[unknown, string]>]> = [
    ['string', string, 'a', [[1, 'number'], [null, 'null'], [undefined, 'undefined']]],
    ['number', number, 1.5, [['1', 'string'], [Number.NaN, 'NaN']]],
    ['boolean', boolean, false, [['true', 'string'], [[], 'array']]],
    ['null', nullValue, null, [[undefined, 'undefined'], [{}, 'object']]],
  ];
  it.each(types)('%s takes its type only, with zod messages and no coercion', (expected, reader, good, bad) => {
    expect(read(reader, good)).toEqual({ value: good });
    for (const [value, received] of bad) expect(read(reader, value)).toEqual({ issues: [`: Invalid input: expected ${expected}, received ${received}`] });
  });

  it('names types as zod does', () => {
    expect(read(number, Infinity)).toEqual({ issues: [': Invalid input: expected number, received Infinity'] });
    expect(read(string, new Date(0))).toEqual({ issues: [': Invalid input: expected string, received Date'] });
    expect(read(string, Object.create(null))).toEqual({ issues: [': Invalid input: expected string, received object'] });
  });

  it('integers are safe whole numbers, as zod\'s int()', () => {
    expect(read(integer, 3)).toEqual({ value: 3 });
    expect(read(integer, 1.5)).toEqual({ issues: [': Invalid input: expected int, received number'] });
    expect(read(integer, 2 ** 60)).toEqual({ issues: [': Invalid input: expected int, received number'] });
    expect(read(integer, '3')).toEqual({ issues: [': Invalid input: expected int, received string'] });
  });

  it('unknown takes any value as it is', () => {
    const value = { any: ['thing'] };
    expect(read(unknown, value)).toEqual({ value });
    expect(read(unknown, undefined)).toEqual({ value: undefined });
  });

  it('unions take any of their types, else "Invalid input"', () => {
    for (const value of ['x', 2, true]) expect(read(scalar, value)).toEqual({ value });
    expect(read(scalar, null)).toEqual({ issues: [': Invalid input'] });
    expect(read(union(string, nullValue), null)).toEqual({ value: null });
  });

  it('arrays are read into new arrays, issues naming the index', () => {
    const input = ['a', 'b'];
    const result = read(array(string), input);
    expect(result).toEqual({ value: ['a', 'b'] });
    expect((result as { value: string[] }).value).not.toBe(input);
    expect(read(array(string), ['a', 1, null])).toEqual({ issues: ['1: Invalid input: expected string, received number', '2: Invalid input: expected string, received null'] });
    expect(read(array(string), 'a')).toEqual({ issues: [': Invalid input: expected array, received string'] });
  });

  describe('objects', () => {
    const schema = object({ url: string, method: string.default('GET'), timeout: scalar.optional(), tags: array(string).default([]) });

    it('are loose: shape keys first, then every other key as it is', () => {
      const extra = { nested: [1] };
      const result = read(schema, { extra, timeout: 5, url: 'u' }) as { value: Record<string, unknown> };
      expect(result.value).toEqual({ url: 'u', method: 'GET', timeout: 5, tags: [], extra });
      expect(Object.keys(result.value)).toEqual(['url', 'method', 'timeout', 'tags', 'extra']);
      expect(result.value.extra).toBe(extra);
    });

    it('leave absent optional keys absent, keep present ones, and fill in defaults afresh', () => {
      const first = read(schema, { url: 'u' }) as { value: Infer<typeof schema> };
      expect('timeout' in first.value).toBe(false);
      expect('timeout' in (read(schema, { url: 'u', timeout: undefined }) as { value: object }).value).toBe(true);
      const second = read(schema, { url: 'u' }) as { value: Infer<typeof schema> };
      expect(second.value.tags).toEqual([]);
      expect(second.value.tags).not.toBe(first.value.tags);
      expect(read(schema, { url: 'u', method: 'POST' })).toEqual({ value: { url: 'u', method: 'POST', tags: [] } });
    });

    it('check present values, defaults included, and refuse what is not an object', () => {
      expect(read(schema, { url: 'u', method: 1, timeout: null, tags: 'a' })).toEqual({
        issues: ['method: Invalid input: expected string, received number', 'timeout: Invalid input', 'tags: Invalid input: expected array, received string'],
      });
      expect(read(schema, {})).toEqual({ issues: ['url: Invalid input: expected string, received undefined'] });
      expect(read(schema, [])).toEqual({ issues: [': Invalid input: expected object, received array'] });
      expect(read(schema, null)).toEqual({ issues: [': Invalid input: expected object, received null'] });
    });

    it('name nested paths', () => {
      const nested = object({ variables: array(object({ key: string.min(1, 'a variable needs a key'), value: scalar.optional() })) });
      expect(read(nested, { variables: [{ key: 'a' }, { key: '', value: {} }, { value: 1 }] })).toEqual({
        issues: ['variables.1.key: a variable needs a key', 'variables.1.value: Invalid input', 'variables.2.key: Invalid input: expected string, received undefined'],
      });
    });

    it('never copy a __proto__ key', () => {
      const input = JSON.parse('{"url": "u", "__proto__": {"polluted": true}}') as unknown;
      const result = (read(schema, input) as { value: Record<string, unknown> }).value;
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(result.polluted).toBeUndefined();
    });
  });

  it('min counts code points, and also checks a wrong-typed value with a length (as zod)', () => {
    const key = string.min(2, 'too short');
    expect(read(key, 'ab')).toEqual({ value: 'ab' });
    expect(read(key, '😀')).toEqual({ issues: [': too short'] });
    expect(read(key, ['a'])).toEqual({ issues: [': Invalid input: expected string, received array', ': too short'] });
    expect(read(key, 5)).toEqual({ issues: [': Invalid input: expected string, received number'] });
  });

  it('infer precise types', () => {
    const schema = object({ url: string.default(''), timeout: union(string, number).optional(), list: array(object({ key: string })) });
    type Props = Infer<typeof schema>;
    const props: Props = { url: 'u', list: [{ key: 'k' }], other: 1 };
    const url: string = props.url;
    const timeout: string | number | undefined = props.timeout;
    // @ts-expect-error the timeout may be absent
    const required: string | number = props.timeout;
    // @ts-expect-error url is text
    const wrong: Props = { url: 1, list: [] };
    // @ts-expect-error list is required
    const missing: Props = { url: 'u' };
    expect(read(schema, props)).toEqual({ value: props });
    expect([url, timeout, required, wrong, missing]).toHaveLength(5);
  });
});

describe('parseProperties', () => {
  const schema = object({ noun: string, to: string.optional() });

  it('returns what the reader read', () => {
    expect(parseProperties('connect-call-to', schema, { noun: 'number', offset: { x: 1 } })).toEqual({ noun: 'number', offset: { x: 1 } });
  });

  it('throws one FlowError listing every issue', () => {
    const error = (() => {
      try {
        parseProperties('connect-call-to', schema, { to: 5 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({
      code: 'widget:invalid-properties',
      message: 'Invalid connect-call-to properties: noun: Invalid input: expected string, received undefined; to: Invalid input: expected string, received number',
    });
    expect(() => parseProperties('x', schema, [] as unknown as Record<string, unknown>)).toThrow('Invalid x properties: (properties): Invalid input: expected object, received array');
  });
});
