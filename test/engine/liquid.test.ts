import { FlowError } from '../../src/engine/errors';
import { resolveLimits } from '../../src/engine/limits';
import { TemplateRenderer } from '../../src/engine/liquid';

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
    ['{{ "2026-03-04T05:06:07Z" | date: "%Y-%m-%d %H:%M" }}', '2026-03-04 05:06'],
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
    expect(failure(bomb).code).toBe('template:render');
  });
});
