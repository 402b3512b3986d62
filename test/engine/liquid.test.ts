import { FlowError } from '../../src/engine/errors';
import { resolveLimits } from '../../src/engine/limits';
import { TemplateRenderer } from '../../src/engine/liquid';
import { createLiquid, renderWithin } from '../../src/flow/liquid';
import { ChargedEmitter, LiquidBudget } from '../../src/flow/liquid-budget';

const context = { flow: { variables: { name: 'Ada', list: [1, 2, 3] } }, widgets: { w: { Body: 'hi' } } };

function render(template: string, limits = {}) {
  return new TemplateRenderer(resolveLimits(limits)).render(template, context);
}

function failure(template: string, limits = {}): FlowError {
  try {
    render(template, limits);
  } catch (err) {
    if (err instanceof FlowError) return err;
    throw err;
  }
  throw new Error(`expected ${template} to fail`);
}

describe('TemplateRenderer', () => {
  it.each([
    ['Hello {{flow.variables.name}}', 'Hello Ada'],
    ['[{{flow.variables.missing}}]', '[]'],
    ['[{{nothing.at.all}}]', '[]'],
    ['{{widgets.w.Body | upcase}}', 'HI'],
    ['{% for i in flow.variables.list %}{{i}}{% endfor %}', '123'],
    ['no template here', 'no template here'],
    // Studio shows dates in US Pacific time (test/engine/liquid-studio.json has the cases)
    ['{{ "2026-03-04T05:06:07Z" | date: "%Y-%m-%d %H:%M" }}', '2026-03-03 21:06'],
  ])('renders %j as %j', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it.each(['{% include "x" %}', '{% render "x" %}', '{% layout "x" %}'])('refuses the file tag in %j', (template) => {
    expect(failure(template)).toMatchObject({ code: 'template:render', twilioCode: 84003 });
  });

  it('refuses unknown filters instead of passing the value through', () => {
    expect(failure('{{ flow.variables.name | no_such_filter }}').message).toMatch(/no_such_filter/);
  });

  it('reports syntax errors with their position', () => {
    expect(failure('line one\n{{ unclosed').message).toMatch(/line:2/);
  });

  it('stops every loop after 15 iterations, as Studio does, keeping limit/offset/else', () => {
    expect(render('{% for i in (1..100) %}{{i}},{% endfor %}')).toBe('1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,');
    expect(render('{% for i in (1..100) limit: 3 %}{{i}}{% endfor %}')).toBe('123');
    expect(render('{% for i in (1..100) offset: 90 %}{{i}} {% endfor %}')).toBe('91 92 93 94 95 96 97 98 99 100 ');
    expect(render('{% for i in (1..20) %}{{ forloop.length }}{% break %}{% endfor %}')).toBe('15');
    expect(render('{% for i in flow.variables.none %}x{% else %}empty{% endfor %}')).toBe('empty');
    expect(render('{% for i in (1..100) %}{{i}}{% endfor %}', { maxLiquidLoopIterations: 2 })).toBe('12');
  });

  it('caps the rendered output', () => {
    expect(render('{{ "x" | append: "yz" }}', { maxRenderedChars: 3 })).toBe('xyz');
    expect(failure('{{ "x" | append: "yzw" }}', { maxRenderedChars: 3 })).toMatchObject({ code: 'template:too-long' });
  });

  it('stops templates that try to build huge strings', () => {
    const bomb = '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign s = s | append: s %}{% endfor %}{% endfor %}{{ s | size }}';
    expect(failure(bomb)).toMatchObject({ code: 'template:limit', twilioCode: 84003 });
    const capture = '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% for j in (1..15) %}{% capture s %}{{s}}{{s}}{% endcapture %}{% endfor %}{% endfor %}{{ s | size }}';
    expect(failure(capture).code).toBe('template:limit');
  });

  it('refuses a huge range before building it', () => {
    expect(failure('{{ (1..9999999) | append: "x" }}')).toMatchObject({ code: 'template:limit', message: expect.stringContaining('5000000 units') });
    expect(failure('{% for i in (1..9999999) %}{% endfor %}').code).toBe('template:limit');
  });

  it('charges loop iterations and nodes: nested loops with empty bodies stop', () => {
    const nested = (depth: number) => '{% for i in (1..15) %}'.repeat(depth) + '{% endfor %}'.repeat(depth);
    expect(render(nested(3))).toBe('');
    expect(failure(nested(6)).code).toBe('template:limit');
    // The same holds for tablerow, which is capped like for.
    expect(render('{% tablerow i in (1..100) cols: 100 %}{% endtablerow %}').match(/<td/g)).toHaveLength(15);
    expect(failure('{% tablerow a in (1..15) %}'.repeat(6) + '{% endtablerow %}'.repeat(6), { maxRenderedChars: 1e9 }).code).toBe('template:limit');
  });

  it('a negative loop limit runs no iteration rather than escaping the cap', () => {
    expect(render('{% for i in (1..100) limit: -1 %}{{i}}{% endfor %}')).toBe('');
  });

  it('charges filters and operators for the arrays and text they walk', () => {
    const big = 'ab '.repeat(20_000);
    const walk = (body: string) => `{% for i in (1..15) %}{% for j in (1..15) %}${body}{% endfor %}{% endfor %}`;
    const r = new TemplateRenderer(resolveLimits({}));
    const ctx = { big, nums: Array.from({ length: 1000 }, (_, i) => i) };
    for (const body of ['{% if big contains "zz" %}{% endif %}', '{% assign z = big | url_encode %}', '{% assign z = nums | where_exp: "n", "n > 3" %}', '{% assign z = nums | sort %}']) {
      r.waited();
      expect(() => r.render(walk(body), ctx)).toThrow(expect.objectContaining({ code: 'template:limit' }));
    }
  });

  it('stops writing at maxRenderedChars instead of building the text first', () => {
    const err = failure('{% for i in (1..15) %}{{ "abcdefghij" }}{% endfor %}', { maxRenderedChars: 100 });
    expect(err).toMatchObject({ code: 'template:too-long', message: 'Rendered template is over the 100 character limit' });
  });

  it('refuses to parse a template longer than it may parse, without parsing it', () => {
    // Unclosed at the end: parsing would report a syntax error; the limit answers first.
    const long = '{{ x }}'.repeat(10_000) + '{{ unclosed';
    expect(failure(long, { liquidWorkPerTemplate: 1_000_000 }).code).toBe('template:limit');
    expect(failure(long, { liquidWorkPerTemplate: 100_000_000, liquidWorkBetweenWaits: 100_000_000 }).code).toBe('template:render');
  });

  it('bounds the work of all renders between two waits, and starts again after a wait', () => {
    const renderer = new TemplateRenderer(resolveLimits({ liquidWorkPerTemplate: 800_000, liquidWorkBetweenWaits: 1_000_000 }));
    const template = '{{ (1..5000) | join: "," | size }}';
    expect(renderer.render(template, context)).toBe('23892');
    expect(() => renderer.render(template, context)).toThrow(expect.objectContaining({ code: 'template:limit', message: expect.stringContaining('since the execution last waited') }));
    renderer.waited();
    expect(renderer.render(template, context)).toBe('23892');
  });

  it('stops a bomb at the same point every time: a count, not a clock', () => {
    const bomb = '{% for i in (1..15) %}{% for j in (1..15) %}{% for k in (1..15) %}{% for l in (1..15) %}{{ i }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}';
    const written = [1, 2, 3].map(() => {
      const liquid = createLiquid({ parseLimit: 100_000, maxLoopIterations: 15 });
      const budget = new LiquidBudget(2_000_000, 2_000_000);
      const emitter = new ChargedEmitter(budget.asLimiter());
      budget.beginRender();
      expect(() => renderWithin(liquid, liquid.parse(bomb), {}, budget, emitter)).toThrow(/memory alloc limit exceeded/);
      expect(budget.breach).toBe('render');
      return emitter.buffer.length;
    });
    expect(written[0]).toBeGreaterThan(1000);
    expect(new Set(written).size).toBe(1);
  });

  it('charges a filter for the work it does, not for what its arguments ask for', () => {
    // slice copies at most its input, whatever length it is asked for.
    expect(render('{{ "abc" | slice: 0, 999999999 }}')).toBe('abc');
    expect(render('{{ flow.variables.list | slice: 1, 999999999 | join: "," }}')).toBe('2,3');
    expect(render('{{ "abc" | truncate: 999999999 }}, {{ "a b c" | truncatewords: 999999999 }}')).toBe('abc, a b c');
    // first, last, size and default read a length or one element: a long input costs them nothing more.
    const big = Array.from({ length: 60_000 }, (_, i) => i);
    const r = new TemplateRenderer(resolveLimits({}));
    expect(r.render('{{ big | size }} {{ big | first }} {{ big | last }} {{ big | default: "none" | size }}', { big })).toBe('60000 0 59999 60000');
    // A loop pays for the iterations it runs, not for the cap it could reach.
    expect(render('{% for i in flow.variables.list %}{{i}}{% endfor %}', { maxLiquidLoopIterations: 1_000_000 })).toBe('123');
    expect(render('{% tablerow i in flow.variables.list %}{{i}}{% endtablerow %}', { maxLiquidLoopIterations: 1_000_000 })).toMatch(/^<tr class="row1"><td class="col1">1<\/td>/);
  });

  it('still stops slices, loops and to_json that do a lot of work', () => {
    expect(failure('{{ (1..9999999) | slice: 0, 3 }}').code).toBe('template:limit');
    const slices = '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign s = s | append: s | slice: 0, 999999999 %}{% endfor %}{% endfor %}';
    expect(failure(slices).code).toBe('template:limit');
    // A cap far above the collection: its iterations are charged one by one as they run.
    expect(failure('{% for i in (1..4000000) %}{% endfor %}', { maxLiquidLoopIterations: 1_000_000_000 }).code).toBe('template:limit');
    // to_json pays for the text it builds: stringifying a large context in loops stops.
    const flow = { items: Array.from({ length: 5_000 }, (_, id) => ({ id, name: 'x'.repeat(80) })) };
    const loops = '{% for i in (1..15) %}{% for j in (1..15) %}{% for k in (1..15) %}{% assign z = flow | to_json %}{% endfor %}{% endfor %}{% endfor %}';
    expect(() => new TemplateRenderer(resolveLimits({})).render(loops, { flow })).toThrow(expect.objectContaining({ code: 'template:limit' }));
  });
});
