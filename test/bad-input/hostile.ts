import fc from 'fast-check';
import type { JsonValue } from '../../src/engine/json';

/**
 * Shared fast-check generators of hostile input, for the property suites of every entry point
 * (REST bodies and queries, webhooks, page tokens, HTTP/function responses, Liquid inputs):
 *
 * - deeply nested JSON (arrays, objects, mixed), as text and as values, 1 to 50,000 levels,
 *   built without recursion (the generators must not overflow the stack they probe);
 * - huge strings at, around and past a given limit, in 1- to 4-byte characters;
 * - control characters: C0, DEL, C1, NUL, lone surrogates, U+2028/2029, bidi controls, BOM;
 * - quote, backslash and SQL/LIKE/visibility-query characters (' " \ ` % _ * ; -- /* …);
 * - channel addresses (sip:, whatsapp:, client:, …) with those inside;
 * - forged page tokens: random base64url, valid-looking `PT` tokens with altered JSON, tokens
 *   from another list.
 *
 * Every generated value is a `Hostile`: a short label (what fast-check prints as the
 * counterexample, instead of 60 KB of brackets) and the value itself.
 */
export class Hostile<T> {
  constructor(
    readonly label: string,
    readonly value: T,
  ) {}

  [fc.toStringMethod](): string {
    return `«${this.label}»`;
  }

  map<U>(f: (value: T) => U, label?: (l: string) => string): Hostile<U> {
    return new Hostile(label ? label(this.label) : this.label, f(this.value));
  }
}

/** A short, printable view of a string (escapes control characters and surrogates). */
export function preview(s: string, max = 60): string {
  const shown = JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
  return s.length > max ? `${shown} (${s.length} chars)` : shown;
}

// ---- deep nesting --------------------------------------------------------------------------------

export type NestShape = 'array' | 'object' | 'mixed';
export const NEST_SHAPES: readonly NestShape[] = ['array', 'object', 'mixed'];
export const MAX_DEPTH = 50_000;

function levelKind(shape: NestShape, level: number): 'array' | 'object' {
  return shape === 'mixed' ? (level % 2 === 0 ? 'array' : 'object') : shape;
}

/** JSON text nested `depth` levels (`[[[0]]]`, `{"a":{"a":0}}`, or alternating), without recursion. */
export function nestedJsonText(depth: number, shape: NestShape, leaf = '0', key = 'a'): string {
  const opens: string[] = [];
  const closes: string[] = [];
  const keyText = JSON.stringify(key);
  for (let level = 0; level < depth; level++) {
    const kind = levelKind(shape, level);
    opens.push(kind === 'array' ? '[' : `{${keyText}:`);
    closes.push(kind === 'array' ? ']' : '}');
  }
  return opens.join('') + leaf + closes.reverse().join('');
}

/** The same as a value (innermost first, so no recursion either way). */
export function nestedJsonValue(depth: number, shape: NestShape, leaf: JsonValue = 0, key = 'a'): JsonValue {
  let value: JsonValue = leaf;
  for (let level = depth - 1; level >= 0; level--) value = levelKind(shape, level) === 'array' ? [value] : { [key]: value };
  return value;
}

/** Nesting depths: mostly shallow, some in the thousands, a few at the depths that broke things. */
export function depths(maxDepth = MAX_DEPTH): fc.Arbitrary<number> {
  const notable = [1, 2, 64, 65, 100, 128, 500, 1_000, 2_000, 5_000, 6_000, 10_000, 12_000, 20_000, 30_000, 50_000].filter((d) => d <= maxDepth);
  return fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 1, max: Math.min(64, maxDepth) }) },
    { weight: 3, arbitrary: fc.constantFrom(...notable) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: maxDepth }) },
  );
}

const leaves = fc.constantFrom('0', 'null', '"x"', 'true', '[]', '{}', '-1e308', '"\\u0000"', '"\\ud800"');

/** Deeply nested JSON text: `{ label, value: text }`. */
export function deepJsonText(options: { maxDepth?: number; shapes?: readonly NestShape[] } = {}): fc.Arbitrary<Hostile<string>> {
  return fc
    .record({ depth: depths(options.maxDepth), shape: fc.constantFrom(...(options.shapes ?? NEST_SHAPES)), leaf: leaves, key: fc.constantFrom('a', '', '__proto__', "'", '"', '\\') })
    .map(({ depth, shape, leaf, key }) => new Hostile(`${shape} nested ${depth} deep, leaf ${leaf}${key === 'a' ? '' : `, key ${JSON.stringify(key)}`}`, nestedJsonText(depth, shape, leaf, key)));
}

/** Deeply nested JSON values (for JSON request bodies and `Parameters`). */
export function deepJsonValue(options: { maxDepth?: number; shapes?: readonly NestShape[] } = {}): fc.Arbitrary<Hostile<JsonValue>> {
  return fc
    .record({ depth: depths(options.maxDepth), shape: fc.constantFrom(...(options.shapes ?? NEST_SHAPES)) })
    .map(({ depth, shape }) => new Hostile(`${shape} value nested ${depth} deep`, nestedJsonValue(depth, shape)));
}

// ---- huge strings --------------------------------------------------------------------------------

/** Characters of 1 to 4 UTF-8 bytes, and some that need escaping. */
const HUGE_UNITS = ['x', 'é', '€', '😀', '\u0000', '"', '\\', "'", '\n'] as const;

/** `bytes` UTF-8 bytes (about) of `unit` repeated. */
export function hugeText(bytes: number, unit = 'x'): string {
  return unit.repeat(Math.max(1, Math.ceil(bytes / Buffer.byteLength(unit, 'utf8'))));
}

/**
 * Strings at, around and past `limit` UTF-8 bytes (and far past, ×2 and ×4): the off-by-ones of
 * a limit, and the same length in multi-byte characters (a character limit is not a byte limit).
 */
export function hugeString(limit: number, options: { maxFactor?: number } = {}): fc.Arbitrary<Hostile<string>> {
  const factor = options.maxFactor ?? 4;
  const size = fc.oneof(
    fc.constantFrom(limit - 1, limit, limit + 1, 2 * limit, factor * limit).filter((n) => n >= 1 && n <= factor * limit),
    fc.integer({ min: Math.max(1, Math.floor(limit / 2)), max: Math.ceil(limit * 1.5) }),
  );
  return fc.tuple(size, fc.constantFrom(...HUGE_UNITS)).map(([bytes, unit]) => {
    const s = hugeText(bytes, unit);
    return new Hostile(`${Buffer.byteLength(s, 'utf8')} bytes of ${JSON.stringify(unit)}`, s);
  });
}

// ---- control characters --------------------------------------------------------------------------

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** C0, DEL, C1, lone surrogates, line/paragraph separators, bidi controls, BOM, zero-width, non-characters. */
export const CONTROL_CHARS: readonly string[] = [
  ...range(0x00, 0x1f),
  '\u007f',
  ...range(0x80, 0x9f),
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u2028',
  '\u2029',
  ...range(0x202a, 0x202e),
  ...range(0x2066, 0x2069),
  '\u200e',
  '\u200f',
  '\u061c',
  '\ufeff',
  '\u200b',
  '\ufffe',
  '\uffff',
];

export const controlString: fc.Arbitrary<Hostile<string>> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CONTROL_CHARS) }, { weight: 1, arbitrary: fc.constantFrom('a', 'b', '1', ' ', '+', '@') }), { minLength: 1, maxLength: 40 })
  .map((units) => {
    const s = units.join('');
    return new Hostile(`control ${preview(s)}`, s);
  });

// ---- quotes, backslashes, SQL-ish --------------------------------------------------------------------

/** What breaks quoting: SQL and LIKE, Temporal's visibility query language, JSON, HTML, Liquid, shells. */
export const QUOTE_PIECES: readonly string[] = [
  "'",
  '"',
  '\\',
  '`',
  '%',
  '_',
  '*',
  ';',
  '--',
  '/*',
  '*/',
  "''",
  "\\'",
  '\\"',
  '\\\\',
  "' OR '1'='1",
  "' OR ExecutionSid != '",
  "') OR ('1'='1",
  '"; DROP TABLE flows; --',
  "'; DELETE FROM flows; --",
  '%00',
  '%27',
  '%22',
  '%5C',
  '%%',
  '\\u0000',
  '\\x00',
  '${x}',
  '{{x}}',
  '{%',
  '%}',
  '<script>',
  ']]>',
  '&amp;',
  '\r\n',
  'NULL',
  'null',
  '__proto__',
  'constructor',
  '$where',
  '*)(uid=*',
  '../',
  '..\\',
];

export const quoteString: fc.Arbitrary<Hostile<string>> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...QUOTE_PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { minLength: 1, maxLength: 12 })
  .map((pieces) => {
    const s = pieces.join('');
    return new Hostile(`quotes ${preview(s)}`, s);
  });

/** Any of the above, with control characters and quotes mixed, and plain unicode. */
export function hostileString(options: { hugeLimit?: number; maxDepth?: number } = {}): fc.Arbitrary<Hostile<string>> {
  const mixed = fc.tuple(controlString, quoteString).map(([c, q]) => new Hostile(`${q.label} + ${c.label}`, q.value + c.value));
  return fc.oneof(
    { weight: 4, arbitrary: controlString },
    { weight: 4, arbitrary: quoteString },
    { weight: 2, arbitrary: mixed },
    { weight: 2, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }).map((s) => new Hostile(`unicode ${preview(s)}`, s)) },
    { weight: 1, arbitrary: fc.constant(new Hostile('empty', '')) },
    { weight: 1, arbitrary: hugeString(options.hugeLimit ?? 4_096) },
    { weight: 1, arbitrary: deepJsonText({ maxDepth: options.maxDepth ?? 2_000 }) },
  );
}

// ---- addresses -----------------------------------------------------------------------------------

/** Addresses that once slipped through or broke something, and their relatives. */
export const NOTABLE_ADDRESSES: readonly string[] = [
  "sip:o'brien@example.com",
  'sip:a\u0000b@example.com',
  'sip:"quoted"@example.com',
  'sip:a\\b@example.com',
  'sip:%27%22@example.com',
  "sip:a'--@example.com",
  "sip:';DROP@example.com",
  "sip:' OR ExecutionSid != '@example.com",
  'sip:a`b@example.com',
  'sip:x%_*@example.com',
  'sip:\u202eevil@example.com',
  'sip:\ud800@example.com',
  'sip:a\u2028b@example.com',
  'sip:a\u007fb@example.com',
  'sip:a\u0085b@example.com',
  "client:o'brien",
  'client:a\\b',
  'whatsapp:+14155550100\u0000',
  "messenger:1'2",
  "rcs:o'brien",
  `sip:${'a'.repeat(64)}@${'b'.repeat(253)}`,
  `sip:${'\u0000'.repeat(64)}@example.com`,
  `client:${'é'.repeat(121)}`,
];

/** Channel addresses with hostile characters inside (many still match the address forms). */
export function hostileAddress(options: { maxLength?: number } = {}): fc.Arbitrary<Hostile<string>> {
  const inner = fc.oneof(quoteString, controlString, fc.constantFrom("o'brien", 'a\u0000b', '"', '\\', "'", '%', '_', '*').map((c) => new Hostile(preview(c), c)));
  const max = options.maxLength ?? 2_000;
  const wrapped = fc
    .tuple(inner, fc.constantFrom('sip:{}@example.com', 'sip:{}', 'sip:a@{}', 'client:{}', 'whatsapp:+1415555{}', 'messenger:{}', 'rcs:{}', '+1415555{}', '{}', '{}:+14155550100', 'sip:{}@example.com:5060'))
    .map(([s, form]) => {
      const address = form.replace('{}', () => s.value);
      return new Hostile(`address ${preview(address)}`, address);
    });
  const long = fc
    .tuple(fc.integer({ min: 50, max: max }), fc.constantFrom('sip:{}@example.com', 'client:{}', '+1{}', '{}'), fc.constantFrom('a', '5', "'", '\u0000', 'é'))
    .map(([n, form, unit]) => {
      const address = form.replace('{}', () => unit.repeat(n));
      return new Hostile(`address ${form} with ${n} × ${JSON.stringify(unit)} (${Buffer.byteLength(address)} bytes)`, address);
    });
  return fc.oneof(
    { weight: 3, arbitrary: wrapped },
    { weight: 2, arbitrary: fc.constantFrom(...NOTABLE_ADDRESSES).map((a) => new Hostile(`address ${preview(a)}`, a)) },
    { weight: 1, arbitrary: long },
  );
}

// ---- page tokens --------------------------------------------------------------------------------

export function base64url(text: string | Uint8Array): string {
  return (typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text)).toString('base64url');
}

/** A token in the app's format (`PT` + base64url of JSON text). */
export function pageToken(json: string): string {
  return `PT${base64url(json)}`;
}

/**
 * Forged page tokens: random base64url with and without the prefix, `PT` tokens whose JSON is
 * altered (the keys of every list: `t` executions, `d`/`s` flows, `r` revisions, `i` steps,
 * `a`/`f` event streams) to wrong types, hostile strings, huge and deep values, and tokens taken
 * from another list (`realTokens`), truncated or with a character changed.
 */
export function forgedPageToken(realTokens: readonly string[] = []): fc.Arbitrary<Hostile<string>> {
  const str = hostileString({ hugeLimit: 200, maxDepth: 100 }).map((h) => h.value);
  const bytes = fc.uint8Array({ maxLength: 64 });
  const positions: fc.Arbitrary<Hostile<string>> = fc.oneof(
    fc.constantFrom('{"t":"AAAA"}', '{"t":""}', '{"t":1}', '{"t":null}', '{}', 'null', '[]', '"x"', '1', '{"r":-1}', '{"r":1e308}', '{"r":9007199254740993}', '{"r":1.5}', '{"r":"1"}', '{"i":-1}', '{"i":1e9}', '{"i":9007199254740993}', '{"d":"9999-12-31","s":"FW' + 'f'.repeat(32) + '"}', '{"a":"","f":{}}', '{"a":"x","f":{"__proto__":"x"}}', '{"a":"x","f":{"Status":"deleted"}}', '{"a":"x","f":{"InUse":"maybe"}}', '{"t":"AAAA","extra":1}', '{"t":"AAAA"', 'not json'),
    bytes.map((b) => JSON.stringify({ t: base64url(b) })),
    str.map((s) => JSON.stringify({ t: s })),
    fc.tuple(str, str).map(([d, s]) => JSON.stringify({ d, s })),
    fc.tuple(str, str, str).map(([a, k, v]) => JSON.stringify({ a, f: { [k]: v } })),
    fc.tuple(fc.constantFrom('Status', 'SinkSid', 'InUse', 'SchemaId'), str).map(([k, v]) => JSON.stringify({ a: 'DG', f: { [k]: v } })),
    deepJsonText({ maxDepth: 5_000 }).map((h) => h.value),
    fc.integer({ min: 100, max: 2_000 }).map((n) => JSON.stringify({ t: 'A'.repeat(n) })),
  ).map((json) => new Hostile(`PT+base64url(${preview(json, 40)})`, pageToken(json)));
  const raw: fc.Arbitrary<Hostile<string>> = fc.oneof(
    bytes.map((b) => new Hostile('random base64url', base64url(b))),
    bytes.map((b) => new Hostile('PT + random base64url', `PT${base64url(b)}`)),
    bytes.map((b) => new Hostile('PT + standard base64', `PT${Buffer.from(b).toString('base64')}`)),
    fc.constantFrom('PT', 'PT=', 'PT==', 'pt' + base64url('{"t":"AAAA"}'), ' PT' + base64url('{}'), 'PT%00', 'PT\u0000', 'PT\ud800', `PT${'A'.repeat(499)}`, `PT${'A'.repeat(600)}`).map((t) => new Hostile(`raw ${preview(t, 30)}`, t)),
    str.map((s) => new Hostile(`raw PT+${preview(s, 30)}`, `PT${s}`)),
  );
  const arbitraries: Array<fc.WeightedArbitrary<Hostile<string>>> = [
    { weight: 4, arbitrary: positions },
    { weight: 2, arbitrary: raw },
  ];
  if (realTokens.length > 0) {
    const real = fc.constantFrom(...realTokens);
    const fromReal: Array<fc.Arbitrary<Hostile<string>>> = [
      real.map((t) => new Hostile(`a real token (from some list): ${preview(t, 30)}`, t)),
      fc.tuple(real, fc.nat()).map(([t, n]) => new Hostile('a real token, truncated', t.slice(0, Math.max(2, n % t.length)))),
      fc.tuple(real, fc.nat()).map(([t, n]) => {
        const at = 2 + (n % Math.max(1, t.length - 2));
        return new Hostile('a real token, one character changed', t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1));
      }),
      real.map((t) => new Hostile('a real token + junk', `${t}AAAA`)),
    ];
    arbitraries.push({ weight: 2, arbitrary: fc.oneof(...fromReal) });
  }
  return fc.oneof(...arbitraries);
}

// ---- JSON values and HTTP response bodies --------------------------------------------------------------

/**
 * JSON values a client or a server may send: deep, huge, wide, hostile keys and strings. Values
 * are for `JSON.stringify`, which recurses: keep `maxDepth` (default 2,000) well under the
 * stack's reach, and use `deepJsonText` for deeper nesting.
 */
export function hostileJsonValue(options: { maxDepth?: number; hugeLimit?: number; maxWidth?: number } = {}): fc.Arbitrary<Hostile<JsonValue>> {
  const hugeLimit = options.hugeLimit ?? 16 * 1024;
  const maxWidth = options.maxWidth ?? 20_000;
  const key = fc.oneof(quoteString, controlString, fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a.b', '[0]', 'toString').map((k) => new Hostile(k, k)));
  return fc.oneof(
    { weight: 3, arbitrary: deepJsonValue({ maxDepth: options.maxDepth ?? 2_000 }) },
    { weight: 2, arbitrary: hostileString({ hugeLimit: Math.min(2_048, hugeLimit), maxDepth: Math.min(200, options.maxDepth ?? 200) }) },
    { weight: 1, arbitrary: hugeString(hugeLimit) },
    { weight: 2, arbitrary: fc.array(fc.tuple(key, hostileString({ hugeLimit: 256, maxDepth: 50 })), { minLength: 1, maxLength: 6 }).map((entries) => new Hostile(`object with keys ${entries.map(([k]) => k.label).join(', ')}`, Object.fromEntries(entries.map(([k, v]) => [k.value, v.value])) as JsonValue)) },
    { weight: 1, arbitrary: fc.integer({ min: Math.min(1_000, maxWidth), max: maxWidth }).map((n) => new Hostile(`array of ${n} zeros`, Array.from({ length: n }, () => 0))) },
    { weight: 1, arbitrary: fc.constantFrom<JsonValue>(1e308, -0, Number.MAX_SAFE_INTEGER + 2, null, true, [], {}).map((v) => new Hostile(`scalar ${JSON.stringify(v)}`, v)) },
  );
}

/** Nesting as deep as fits in `limitBytes` (and a quarter of that up to it): deep, yet under a size limit. */
export function deepWithin(limitBytes: number): fc.Arbitrary<Hostile<string>> {
  const perLevel: Record<NestShape, number> = { array: 2, object: 6, mixed: 4 };
  return fc
    .tuple(fc.constantFrom(...NEST_SHAPES), fc.double({ min: 0.25, max: 1, noNaN: true }))
    .map(([shape, share]) => {
      const depth = Math.max(1, Math.floor((Math.floor((limitBytes - 16) / perLevel[shape]) * share)));
      const text = nestedJsonText(depth, shape);
      return new Hostile(`${shape} nested ${depth} deep (${text.length} bytes, within ${limitBytes})`, text);
    });
}

export interface HostileBody {
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly status: number;
}

/**
 * What a hostile HTTP server (or Twilio Function) answers: deep JSON text up to 50,000 levels,
 * bodies at and past the response limit, control characters raw and escaped, hostile keys,
 * wide arrays, odd numbers, a BOM, invalid UTF-8.
 */
export function hostileResponse(limitBytes = 64 * 1024): fc.Arbitrary<Hostile<HostileBody>> {
  const json = (label: string, body: string | Buffer, status = 200, contentType = 'application/json') => new Hostile(label, { contentType, body, status });
  return fc.oneof(
    { weight: 3, arbitrary: deepJsonText().map((h) => json(h.label, h.value)) },
    { weight: 3, arbitrary: deepWithin(limitBytes).map((h) => json(h.label, h.value)) },
    { weight: 2, arbitrary: hugeString(limitBytes, { maxFactor: 2 }).map((h) => json(`{"s": ${h.label}}`, JSON.stringify({ s: h.value }))) },
    { weight: 1, arbitrary: hugeString(limitBytes, { maxFactor: 2 }).map((h) => json(`text/plain ${h.label}`, h.value, 200, 'text/plain')) },
    { weight: 2, arbitrary: controlString.map((h) => json(`{"s": ${h.label}} (escaped)`, JSON.stringify({ s: h.value, [h.value]: 1 }))) },
    { weight: 1, arbitrary: controlString.map((h) => json(`{"s": ${h.label}} (raw, invalid JSON)`, `{"s":"${h.value}"}`)) },
    { weight: 1, arbitrary: controlString.map((h) => json(`text/plain ${h.label}`, h.value, 200, 'text/plain')) },
    { weight: 2, arbitrary: hostileJsonValue({ maxDepth: 2_000, hugeLimit: limitBytes / 2 }).map((h) => json(`JSON ${h.label}`, JSON.stringify(h.value))) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 8_000 }).map((n) => json(`object with ${n} keys`, JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))))) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('1e400', '-0', '123456789012345678901234567890', 'NaN', '"\\ud800"', '\ufeff{"a":1}', '{"__proto__":{"x":1},"constructor":{"prototype":{}}}', '{"a":1,"a":2}', '', ' ', 'null', '[]')
        .map((b) => json(`body ${preview(b)}`, b)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => json('invalid UTF-8 bytes', Buffer.concat([Buffer.from('{"s":"'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(b), Buffer.from('"}')]))) },
    { weight: 1, arbitrary: deepJsonText({ maxDepth: 5_000 }).map((h) => json(`error status 500 with ${h.label}`, h.value, 500)) },
  );
}
