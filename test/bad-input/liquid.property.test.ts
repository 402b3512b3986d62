import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { FlowError } from '../../src/engine/errors';
import type { JsonObject, JsonValue } from '../../src/engine/json';
import { DEFAULT_LIMITS } from '../../src/engine/limits';
import { TemplateRenderer } from '../../src/engine/liquid';

/**
 * B4/B5/B11: Studio's Liquid under the engine's limits. For any template built from Liquid-ish
 * tokens (loops over huge ranges, nested loops, doubling `append` chains, `times`, `raw`,
 * unclosed tags, file tags, prototype probes) and any JSON context, `render` returns text within
 * `maxRenderedChars` or throws a FlowError — never another error. How long a render may take is
 * not asserted here (tests never time): the renderer counts Liquid work against
 * `liquidWorkPerTemplate` and `liquidWorkBetweenWaits`, and the longest stretch those allow is
 * measured by `npm run bench -- --only=liquid` (bench/scenarios/liquid-work.ts).
 */
const renderer = new TemplateRenderer(DEFAULT_LIMITS);

interface Outcome {
  readonly output?: string;
  readonly error?: unknown;
}

function render(template: string, context: JsonObject, with_: TemplateRenderer = renderer): Outcome {
  // LIQUID_TRACE=file logs each template before rendering: the last line names a render that never returns.
  if (process.env.LIQUID_TRACE) appendFileSync(process.env.LIQUID_TRACE, `${JSON.stringify(template)}\n`);
  // Each render stands for a step after a wait: the work limit between waits starts again.
  with_.waited();
  try {
    const output = with_.render(template, context);
    return { output };
  } catch (error) {
    return { error };
  }
}

function checkOutcome(o: Outcome): void {
  if (o.error !== undefined) {
    if (!(o.error instanceof FlowError)) throw new Error(`render threw a non-FlowError: ${o.error instanceof Error ? o.error.message : JSON.stringify(o.error)}`, { cause: o.error });
    expect(o.error.code).toMatch(/^template:/);
    expect(o.error.twilioCode).toBe(84003);
  } else {
    expect(typeof o.output).toBe('string');
    expect(o.output!.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxRenderedChars);
  }
}

// ---- templates ---------------------------------------------------------------------------------

const variable = fc.oneof(
  fc.constantFrom('x', 's', 'n', 'items', 'flow.data.x', 'flow.data.items', 'contact.channel.address', 'missing.deeply.nested', 'items.first', 'items.size', 'items[0]', 'forloop.index'),
  fc.constantFrom('a.constructor', '__proto__', 'x.__proto__', 'items.constructor.name', 'x.toString', 'flow["__proto__"]', 'this', 'globalThis'),
  fc.stringMatching(/^[a-z_][a-z0-9_.]{0,12}$/),
);

const literal = fc.oneof(
  fc.constantFrom('"abc"', "'x'", '42', '-1', '0', '1e308', '3.14', 'nil', 'true', 'false', 'empty', 'blank', '"' + 'y'.repeat(2_000) + '"'),
  fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
);

const range = fc.oneof(
  fc.constantFrom('(1..100000000)', '(1..1000000)', '(0..3)', '(-5..5)', '(1..n)', '(x..y)', '(100000000..1)', '(1..1e9)'),
  fc.tuple(fc.integer({ min: -10, max: 1e8 }), fc.integer({ min: -10, max: 1e8 })).map(([a, b]) => `(${a}..${b})`),
);

const filter = fc.oneof(
  fc.constantFrom(
    '| upcase',
    '| size',
    '| join: ","',
    '| split: ""',
    '| first',
    '| reverse',
    '| to_json',
    '| json',
    '| escape',
    '| strip_html',
    '| url_encode',
    '| date: "%Y-%m-%d %H:%M"',
    '| date: "%999999999Y"',
    '| divided_by: 0',
    '| modulo: 0',
    '| plus: 1e308',
    '| times: 1000000000',
    '| times: x',
    '| slice: 0, 100000000',
    '| truncate: 100000000',
    '| valueOf',
    '| constructor',
    '| no_such_filter',
    '| append:',
    '| default: "d"',
    '| sort',
    '| uniq',
    '| map: "a"',
    '| where: "a", 1',
  ),
  literal.map((l) => `| append: ${l}`),
  fc.tuple(fc.constantFrom('append', 'prepend', 'replace', 'remove', 'times', 'plus', 'minus'), fc.oneof(variable, literal)).map(([f, a]) => `| ${f}: ${a}`),
);

/** Ranges used as values (`{{ (1..n) | append: x }}`), small to far over the work limit. */
const valueRange = fc
  .tuple(fc.integer({ min: -10, max: 1_000 }), fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 100_000_000 })))
  .map(([a, n]) => `(${a}..${a + n})`);

const expression = fc.tuple(fc.oneof(variable, literal, valueRange), fc.array(filter, { maxLength: 6 })).map(([e, fs]) => `${e} ${fs.join(' ')}`);

const output = expression.map((e) => `{{ ${e} }}`);

/** `{% assign s = "xxxx" %}` then `s = s | append: s` k times: 2^k growth. */
const doubling = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 30 })).map(
  ([seed, k]) => `{% assign s = "${'x'.repeat(seed)}" %}${'{% assign s = s | append: s %}'.repeat(k)}{{ s }}`,
);

const fixed = fc.constantFrom(
  '{{',
  '}}',
  '{%',
  '%}',
  '{{ x',
  '{% for %}',
  '{% for i in %}',
  '{% endfor %}',
  '{% endif %}',
  '{% raw %}',
  '{% endraw %}',
  '{% raw %}{{ x }}{% for %}{% endraw %}',
  '{% include "/etc/passwd" %}',
  '{% render "x" %}',
  '{% layout "x" %}',
  '{% block b %}{% endblock %}',
  '{% increment c %}',
  '{% decrement c %}',
  '{% cycle "a", "b" %}',
  '{% tablerow i in (1..100000000) %}{{ i }}{% endtablerow %}',
  '{% liquid assign y = 1\necho y %}',
  '{% echo x | append: x %}',
  '{% comment %}{{ x }}{% endcomment %}',
  '{%- if x -%}a{%- else -%}b{%- endif -%}',
  '{% case x %}{% when 1 %}a{% else %}b{% endcase %}',
  '{% unless x %}u{% endunless %}',
  '{% break %}',
  '{% continue %}',
  '{{{{}}}}',
  '{{ "a" | append: "b" | append: "c" }}',
  '{% assign big = "x" | append: "y" %}',
);

type Template = string;

const template: fc.Arbitrary<Template> = fc.letrec<{ t: Template; block: Template }>((tie) => ({
  t: fc.array(
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string({ maxLength: 20 }),
      output,
      fixed,
      doubling,
      tie('block'),
    ),
    { maxLength: 5 },
  ).map((parts) => parts.join('')),
  block: fc.oneof(
    fc.tuple(fc.oneof(range, variable), tie('t'), fc.boolean(), fc.constantFrom('', ' limit: 100000000', ' offset: 5', ' reversed', ' limit: -1', ' offset: 1e9')).map(
      ([over, body, closed, opts]) => `{% for i in ${over}${opts} %}${body}${closed ? '{% endfor %}' : ''}`,
    ),
    fc.tuple(fc.constantFrom('c', 's', 'x'), tie('t')).map(([name, body]) => `{% capture ${name} %}${body}{% endcapture %}`),
    fc.tuple(expression, tie('t'), tie('t')).map(([cond, a, b]) => `{% if ${cond} %}${a}{% else %}${b}{% endif %}`),
    tie('t').map((body) => `{% raw %}${body}{% endraw %}`),
  ),
})).t;

const context: fc.Arbitrary<JsonObject> = fc
  .record({
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
    x: fc.jsonValue({ maxDepth: 2 }),
    y: fc.jsonValue({ maxDepth: 1 }),
    n: fc.oneof(fc.integer(), fc.constant(100_000_000), fc.double()),
    items: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 30 }),
  })
  .map(({ extra, x, y, n, items }): JsonObject => ({
    ...(extra as JsonObject),
    x: x as JsonValue,
    y: y as JsonValue,
    n: Number.isFinite(n) ? n : 0,
    items: items as JsonValue[],
    flow: { data: { x: x as JsonValue, items: items as JsonValue[] }, channel: { address: '+15005550006' } },
    contact: { channel: { address: '+14155550100' } },
  }));

describe('Liquid renderer: properties over bad templates (fast-check)', () => {
  it('returns text within maxRenderedChars or throws FlowError (numRuns 400)', () => {
    fc.assert(
      fc.property(template, context, (t, ctx) => {
        checkOutcome(render(t, ctx));
      }),
      { numRuns: 400, endOnFailure: true },
    );
  });

  it('the same holds with a fresh renderer (no parse cache) (numRuns 100)', () => {
    fc.assert(
      fc.property(template, context, (t, ctx) => {
        checkOutcome(render(t, ctx, new TemplateRenderer(DEFAULT_LIMITS)));
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });

  it('loop bombs (huge ranges, nested loops, tablerow) stay within limits (numRuns 100)', () => {
    const bomb = fc.tuple(fc.integer({ min: 1, max: 3 }), range, fc.oneof(output, fc.constant('x'.repeat(100)), doubling)).map(([depth, r, inner]) => {
      let body = inner;
      for (let d = 0; d < depth; d++) body = `{% for i${d} in ${r} %}${body}{% endfor %}`;
      return body;
    });
    fc.assert(
      fc.property(bomb, context, (t, ctx) => {
        checkOutcome(render(t, ctx));
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });

  it('append/times doubling chains end in template:too-long or a FlowError, never a huge string (numRuns 100)', () => {
    const chain = fc.tuple(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 0, max: 40 }), fc.constantFrom('append', 'prepend')).map(
      ([seed, k, f]) => `{% assign s = "${'z'.repeat(seed)}" %}${`{% assign s = s | ${f}: s %}`.repeat(k)}{{ s }}{{ 9 | times: 9 | times: 9 | times: 1e300 }}`,
    );
    fc.assert(
      fc.property(chain, (t) => {
        const o = render(t, {});
        checkOutcome(o);
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });

  it('escape attempts never show files or object internals (numRuns 200)', () => {
    const probe = fc
      .array(
        fc.constantFrom(
          '{{ a.constructor }}',
          '{{ x.constructor.name }}',
          '{{ __proto__ }}',
          '{{ items.__proto__ }}',
          '{{ x | valueOf }}',
          '{{ "" | constructor }}',
          '{% include "/etc/passwd" %}',
          '{% render "/etc/passwd" %}',
          '{{ x.toString }}',
          '{{ items.constructor.constructor }}',
          '{{ flow.hasOwnProperty }}',
          '{{ this }}',
          '{{ process.env }}',
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((p) => p.join(' '));
    fc.assert(
      fc.property(probe, context, (t, ctx) => {
        const o = render(t, ctx);
        checkOutcome(o);
        if (o.output !== undefined) {
          expect(o.output).not.toMatch(/\[native code\]|function |root:x:0|\[object Object\]|Object\(\)|PATH=/);
        }
      }),
      { numRuns: 200, endOnFailure: true },
    );
  });
});
