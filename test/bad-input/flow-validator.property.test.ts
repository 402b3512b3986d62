import fc from 'fast-check';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import type { FlowIssue } from '../../src/flow/issues';
import { validateFlow, type FlowValidation } from '../../src/flow/validate';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';

/**
 * B1/B2/B11: the flow validator is total. Whatever JSON it is handed — random values, or a
 * valid flow with keys dropped, renamed or retyped, huge strings, deep nesting, unknown widget
 * types, dangling transitions, broken Liquid — it returns issues instead of throwing, every
 * issue names a JSON Pointer and says what is wrong, and a valid result stays valid.
 */

const POINTER = /^#(\/([^~/]|~[01])*)*$/;
const CODE = /^[a-z]+:[a-z-]+$/;

/** A flow that passes validation and uses several widget kinds, Liquid and split conditions. */
const VALID_FLOW: FlowDefinition = flowOf(
  triggerState({ incomingMessage: 'vars', incomingRequest: 'lookup' }),
  setVariablesState('vars', [{ key: 'greeting', value: 'Hi {{trigger.message.Body | upcase}}' }], 'split'),
  {
    name: 'split',
    type: 'split-based-on',
    properties: { input: '{{flow.variables.greeting}}' },
    transitions: [
      { event: 'noMatch', next: 'say' },
      { event: 'match', next: 'lookup', conditions: [{ friendly_name: 'hi', arguments: ['{{flow.variables.greeting}}'], type: 'contains', value: 'HI' }] },
    ],
  },
  {
    name: 'lookup',
    type: 'make-http-request',
    properties: { method: 'GET', url: 'https://example.test/{{flow.data.id}}', content_type: 'application/json' },
    transitions: [{ event: 'success', next: 'say' }, { event: 'failed' }],
  },
  {
    name: 'say',
    type: 'send-message',
    properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: '{% for i in (1..3) %}{{i}}{% endfor %}' },
    transitions: [{ event: 'sent' }, { event: 'failed' }],
  } satisfies FlowState,
);

function checkShape(result: FlowValidation): void {
  const all: FlowIssue[] = [...result.schemaErrors, ...result.errors, ...result.warnings];
  for (const issue of all) {
    expect(issue.property_path).toMatch(POINTER);
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.code).toMatch(CODE);
  }
  // schema errors are errors; valid means no errors at all
  for (const s of result.schemaErrors) expect(result.errors).toContainEqual(s);
  expect(result.valid).toBe(result.errors.length === 0);
  if (result.valid) expect(result.definition).toBeDefined();
}

/** A valid result re-validates (after a JSON round trip, as stored) as valid with the same warnings. */
function checkIdempotent(result: FlowValidation): void {
  if (!result.valid) return;
  const again = validateFlow(JSON.parse(JSON.stringify(result.definition)));
  expect(again.valid).toBe(true);
  expect(again.warnings).toEqual(result.warnings);
}

function validate(input: unknown): FlowValidation {
  let result: FlowValidation | undefined;
  expect(() => (result = validateFlow(input))).not.toThrow();
  return result!;
}

// ---- mutations of a valid flow ---------------------------------------------------------------

type Path = ReadonlyArray<string | number>;

/** Paths to mutate; stops at depth 8 so earlier deep-nesting mutations stay cheap to walk. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length >= 8) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function deepNest(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

const LIQUID_FRAGMENTS = [
  '{{',
  '}}',
  '{{ x',
  '{% for i in (1..100000000) %}',
  '{% for %}',
  '{% if x %}',
  '{% endfor %}',
  '{% raw %}',
  '{% raw %}{{ x }}',
  '{% include "/etc/passwd" %}',
  '{% render "x" %}',
  '{{ x | no_such_filter }}',
  '{{ a.constructor }}',
  '{{ __proto__ }}',
  '{% capture c %}',
  '{%- comment -%}',
  '{{ "a" | append: }}',
  '{% assign = %}',
  '{{{{}}}}',
];

const replacement: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...LIQUID_FRAGMENTS),
  fc.array(fc.constantFrom(...LIQUID_FRAGMENTS, 'text ', '{{ flow.data.x }}'), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.integer({ min: 100, max: 3_000 }), fc.boolean()).map(([d, asArray]) => deepNest(d, 'leaf', asArray)),
  fc.constantFrom('hang-up', 'send-message ', 'SEND-MESSAGE', '', '__proto__', 'constructor', 'toString', 'trigger'),
  fc.constantFrom('nowhere', '', 'Trigger', 'say', '__proto__', 'a/b~c', 'x'.repeat(200)),
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}, [[]], { event: 'next' }),
);

type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'rename'; readonly at: number; readonly to: string }
  | { readonly kind: 'set'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'add-widget'; readonly type: string; readonly next: string }
  | { readonly kind: 'duplicate'; readonly at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), to: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'Name', 'type ', '')) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: replacement }),
  fc.record({
    kind: fc.constant('add-widget' as const),
    type: fc.oneof(fc.constantFrom('send-message', 'set-variables', 'split-based-on', 'run-subflow', 'trigger', 'make-http-request', 'nope'), fc.string({ maxLength: 20 })),
    next: fc.oneof(fc.constantFrom('say', 'vars', 'ghost'), fc.string({ maxLength: 10 })),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let v = root;
  for (const key of path.slice(0, -1)) v = (v as Record<string | number, unknown>)[key];
  return v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>) : undefined;
}

function apply(root: { value: unknown }, m: Mutation): void {
  if (m.kind === 'add-widget') {
    // An earlier `set` on the root may have left a non-object (null, a number) there.
    if (root.value === null || typeof root.value !== 'object') return;
    const states = (root.value as { states?: unknown }).states;
    if (Array.isArray(states)) states.push({ name: `w${states.length}`, type: m.type, properties: {}, transitions: [{ event: 'next', next: m.next }] });
    return;
  }
  const paths = pathsOf(root.value);
  const path = paths[m.at % paths.length]!;
  if (path.length === 0) {
    if (m.kind === 'set') root.value = m.value;
    return;
  }
  const parent = parentOf(root.value, path);
  const key = path[path.length - 1]!;
  if (!parent) return;
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.kind === 'rename') {
    if (Array.isArray(parent)) return;
    const v = parent[key];
    delete parent[key];
    Object.defineProperty(parent, m.to, { value: v, enumerable: true, writable: true, configurable: true });
  } else if (m.kind === 'set') {
    parent[key] = m.value;
  } else if (Array.isArray(parent)) {
    // By reference: a value from the "deep" mutation is too deep for structuredClone's recursion.
    parent.push(parent[key as number]);
  } else {
    parent[`${String(key)}_copy`] = parent[key];
  }
}

const mutatedFlow = fc.array(mutation, { minLength: 1, maxLength: 5 }).map((mutations) => {
  const root = { value: structuredClone(VALID_FLOW) as unknown };
  for (const m of mutations) apply(root, m);
  return root.value;
});

describe('flow validator: properties over bad input (fast-check)', () => {
  it('the base flow is valid', () => {
    const r = validateFlow(structuredClone(VALID_FLOW));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('never throws on arbitrary JSON values; issues are well formed (numRuns 500)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = validate(value);
        checkShape(r);
        checkIdempotent(r);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary objects shaped a little like a flow (numRuns 300)', () => {
    const state = fc.record(
      { name: fc.oneof(fc.string(), fc.jsonValue()), type: fc.oneof(fc.constantFrom('trigger', 'send-message', 'set-variables', 'split-based-on'), fc.string()), properties: fc.jsonValue(), transitions: fc.jsonValue() },
      { requiredKeys: [] },
    );
    const flowish = fc.record(
      { initial_state: fc.oneof(fc.constant('Trigger'), fc.jsonValue()), states: fc.oneof(fc.array(state, { maxLength: 6 }), fc.jsonValue()), flags: fc.jsonValue(), description: fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(flowish, (value) => {
        const r = validate(value);
        checkShape(r);
        checkIdempotent(r);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutations of a valid flow (drop/rename/retype/huge/deep/unknown type/dangling next/Liquid) (numRuns 400)', () => {
    fc.assert(
      fc.property(mutatedFlow, (value) => {
        const r = validate(value);
        checkShape(r);
        checkIdempotent(r);
      }),
      { numRuns: 400 },
    );
  });

  it('reports a dangling transition target and an unknown widget type with their paths (numRuns 100)', () => {
    const ident = fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/);
    fc.assert(
      fc.property(ident, ident, (ghost, type) => {
        fc.pre(!['vars', 'split', 'lookup', 'say', 'Trigger'].includes(ghost));
        const flow = structuredClone(VALID_FLOW);
        flow.states[4]!.transitions[1] = { event: 'failed', next: ghost };
        const dangling = validate(flow);
        expect(dangling.valid).toBe(false);
        expect(dangling.errors).toContainEqual(expect.objectContaining({ property_path: '#/states/4/transitions/1/next', code: 'transition:unknown-target' }));

        const unknown = structuredClone(VALID_FLOW);
        unknown.states[2]!.type = `x-${type}`;
        const r = validate(unknown);
        expect(r.schemaErrors).toContainEqual(expect.objectContaining({ property_path: '#/states/2/type', code: 'widget:unknown-type' }));
      }),
      { numRuns: 100 },
    );
  });

  // Found by the mutation property: WIDGET_SPECS[type] used to find Object.prototype members and throw.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('refuses widget type %p as unknown instead of throwing', (type) => {
    const flow = structuredClone(VALID_FLOW);
    flow.states[1]!.type = type;
    expect(validate(flow).schemaErrors).toContainEqual(expect.objectContaining({ property_path: '#/states/1/type', code: 'widget:unknown-type' }));
  });

  it('reports broken Liquid in a property as liquid:syntax at that property, never throws (numRuns 200)', () => {
    const template = fc.array(fc.constantFrom(...LIQUID_FRAGMENTS, 'plain ', '{{ x }}', '{% endif %}', '{% endraw %}'), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(template, (body) => {
        const flow = structuredClone(VALID_FLOW);
        (flow.states[4]!.properties as { body: string }).body = body;
        const r = validate(flow);
        checkShape(r);
        checkIdempotent(r);
        for (const issue of r.errors) expect(issue.property_path).toBe('#/states/4/properties/body');
      }),
      { numRuns: 200 },
    );
  });
});
