import type { Liquid } from 'liquidjs';
import { allowsConcurrentCalls, type FlowDefinition, type FlowState } from './definition';
import { pointer, type FlowIssue } from './issues';
import { checkTemplate, createLiquid, type LiquidProblem, type TemplateCheck } from './liquid';
import { hasLiquid } from './values';
import { WIDGET_SPECS } from './widgets';

/**
 * Checks across widgets, run once the document has the right shape: names, the graph, and
 * the Liquid in every template.
 */
export function semanticErrors(flow: FlowDefinition): FlowIssue[] {
  return [...nameErrors(flow), ...graphErrors(flow), ...flow.states.flatMap((state, i) => templateErrors(state, i))];
}

function nameErrors(flow: FlowDefinition): FlowIssue[] {
  const seen = new Set<string>();
  const issues: FlowIssue[] = [];
  flow.states.forEach((state, i) => {
    if (seen.has(state.name)) {
      issues.push({ property_path: pointer('states', i, 'name'), message: `duplicate widget name "${state.name}"`, code: 'widget:duplicate-name' });
    }
    seen.add(state.name);
  });
  return issues;
}

function graphErrors(flow: FlowDefinition): FlowIssue[] {
  const names = new Set(flow.states.map((s) => s.name));
  const issues: FlowIssue[] = [];
  const triggers = flow.states.filter((s) => s.type === 'trigger').length;
  if (triggers !== 1) {
    issues.push({ property_path: pointer('states'), message: `a flow has exactly one trigger widget (found ${triggers})`, code: 'flow:trigger-count' });
  }
  if (!names.has(flow.initial_state)) {
    issues.push({ property_path: pointer('initial_state'), message: `initial_state "${flow.initial_state}" is not a widget of this flow`, code: 'flow:unknown-initial-state' });
  }
  flow.states.forEach((state, i) => issues.push(...transitionErrors(state, i, names)));
  return [...issues, ...restOnlyErrors(flow)];
}

/**
 * Start / Resume Conversation "can only be used in flows triggered by the REST API" (Studio
 * refuses to publish otherwise, 81022): each is an error where another trigger reaches it.
 */
function restOnlyErrors(flow: FlowDefinition): FlowIssue[] {
  const trigger = flow.states.find((s) => s.type === 'trigger');
  const starts = (trigger?.transitions ?? []).filter((t) => t.event !== 'incomingRequest' && t.next).map((t) => t.next!);
  if (starts.length === 0) return [];
  const reachable = reachableFrom(flow, starts);
  return flow.states.flatMap((state, i) =>
    WIDGET_SPECS[state.type]?.restOnly && reachable.has(state.name)
      ? [{ property_path: pointer('states', i), message: `"${state.name}" can only be used in flows triggered by the REST API, but another trigger reaches it`, code: 'flow:rest-only-widget' }]
      : [],
  );
}

function transitionErrors(state: FlowState, index: number, names: ReadonlySet<string>): FlowIssue[] {
  const repeatable = WIDGET_SPECS[state.type]?.repeatableEvents ?? [];
  const seen = new Set<string>();
  const issues: FlowIssue[] = [];
  state.transitions.forEach((transition, t) => {
    const at = (...rest: Array<string | number>) => pointer('states', index, 'transitions', t, ...rest);
    if (transition.next && !names.has(transition.next)) {
      issues.push({ property_path: at('next'), message: `transition to "${transition.next}", which is not a widget of this flow`, code: 'transition:unknown-target' });
    }
    if (seen.has(transition.event) && !repeatable.includes(transition.event)) {
      issues.push({ property_path: at('event'), message: `event "${transition.event}" has more than one transition`, code: 'transition:duplicate-event' });
    }
    seen.add(transition.event);
    if (repeatable.includes(transition.event) && (transition.conditions ?? []).length === 0) {
      issues.push({ property_path: at('conditions'), message: `a "${transition.event}" branch needs at least one condition`, code: 'transition:no-conditions' });
    }
  });
  return issues;
}

let parser: Liquid | undefined;

/**
 * Checks already made, per widget, by template text: validation asks for a widget's errors and
 * then for its warnings, and a template is parsed once for both. A check depends on the text
 * alone, so a widget changed in place between the two is still checked right.
 */
const checked = new WeakMap<FlowState, Map<string, TemplateCheck>>();

function templateChecks(state: FlowState, index: number): Array<{ path: Array<string | number>; check: TemplateCheck }> {
  parser ??= createLiquid({ parseLimit: Infinity, maxLoopIterations: Infinity });
  const liquid = parser;
  const cache = checked.get(state) ?? new Map<string, TemplateCheck>();
  checked.set(state, cache);
  return templatesOf(state, index).map(({ template, path }) => {
    let check = cache.get(template);
    if (!check) cache.set(template, (check = checkTemplate(liquid, template)));
    return { path, check };
  });
}

const where = ({ position }: LiquidProblem) => (position ? ` at line ${position.line}, column ${position.column}` : '');

/** Liquid syntax errors in a widget's properties and split conditions, with line and column. */
function templateErrors(state: FlowState, index: number): FlowIssue[] {
  return templateChecks(state, index).flatMap(({ path, check: { error } }) =>
    error ? [{ property_path: pointer(...path), message: `Liquid syntax error${where(error)}: ${error.message}`, code: 'liquid:syntax' }] : [],
  );
}

/**
 * Output tags never closed (`{{flow.variables.id` with no `}}`): Studio accepts such flows
 * (see {@link TemplateCheck}), so they do not block a publish; the widget fails when it renders.
 */
function templateWarnings(state: FlowState, index: number): FlowIssue[] {
  return templateChecks(state, index).flatMap(({ path, check: { unclosedOutput } }) =>
    unclosedOutput
      ? [{
          property_path: pointer(...path),
          message: `Liquid output never closed${where(unclosedOutput)}: ${unclosedOutput.message}; Studio accepts the flow, but the widget fails to render when it runs (84003)`,
          code: 'liquid:unclosed-output',
        }]
      : [],
  );
}

type Found = { template: string; path: Array<string | number> };

/**
 * Every string with Liquid in a widget's properties and split conditions, with its path, in
 * document order. Iterative: a property nested thousands deep must not overflow the stack.
 */
export function templatesOf(state: FlowState, index: number): Found[] {
  // Each node points at its parent; a path is built only for a template found (deep nesting stays linear).
  type Node = { value: unknown; key: string | number; parent?: Node; root?: Array<string | number> };
  const pathOf = (node: Node): Array<string | number> => {
    const keys: Array<string | number> = [];
    let n: Node | undefined = node;
    for (; n?.parent; n = n.parent) keys.push(n.key);
    return [...n.root!, ...keys.reverse()];
  };
  const stack: Node[] = [{ value: state.properties, key: 'properties', root: ['states', index, 'properties'] }];
  for (const [t, transition] of state.transitions.entries()) {
    for (const [c, condition] of (transition.conditions ?? []).entries()) {
      stack.push({ value: condition.arguments, key: 'arguments', root: ['states', index, 'transitions', t, 'conditions', c, 'arguments'] });
    }
  }
  stack.reverse();
  const found: Found[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (hasLiquid(value)) found.push({ template: value, path: pathOf(node) });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, key: i, parent: node });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).filter(([key]) => key !== 'offset');
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
    }
  }
  return found;
}

/** Integration widgets call systems you do not control: their failures deserve a path. */
const FAILURE_PATH_EXPECTED = new Set(['make-http-request', 'run-function']);

/** Findings that never block a save or a publish. */
export function warnings(flow: FlowDefinition): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const reachable = reachableFrom(flow, [flow.initial_state]);
  flow.states.forEach((state, i) => {
    const spec = WIDGET_SPECS[state.type];
    const nextOf = (event: string | undefined) => state.transitions.find((t) => t.event === event)?.next;
    if (state.type !== 'trigger' && !reachable.has(state.name)) {
      issues.push({ property_path: pointer('states', i), message: `widget "${state.name}" cannot be reached from ${flow.initial_state}`, code: 'widget:unreachable' });
    }
    if (spec?.failureEvent && FAILURE_PATH_EXPECTED.has(state.type) && !nextOf(spec.failureEvent)) {
      issues.push({ property_path: pointer('states', i, 'transitions'), message: `widget "${state.name}" has no "${spec.failureEvent}" path: a failure ends the execution`, code: 'widget:no-failure-path' });
    }
    if (spec?.timeoutEvent && !nextOf(spec.timeoutEvent)) {
      issues.push({ property_path: pointer('states', i, 'transitions'), message: `widget "${state.name}" has no "${spec.timeoutEvent}" path: a timeout ends the execution`, code: 'widget:no-timeout-path' });
    }
    issues.push(...templateWarnings(state, i));
  });
  return [...issues, ...concurrentCallWarnings(flow)];
}

/**
 * With concurrent calls allowed (Studio's default since 2018), callers sharing a number cannot
 * be told apart by a text reply, so Send & Wait For Reply must not follow the incoming-call
 * trigger (Studio's user guide).
 */
function concurrentCallWarnings(flow: FlowDefinition): FlowIssue[] {
  if (!allowsConcurrentCalls(flow)) return [];
  const trigger = flow.states.find((s) => s.type === 'trigger');
  const start = trigger?.transitions.find((t) => t.event === 'incomingCall')?.next;
  if (!start) return [];
  const reachable = reachableFrom(flow, [start]);
  return flow.states.flatMap((state, i) =>
    WIDGET_SPECS[state.type]?.waitsForReply && reachable.has(state.name)
      ? [{
          property_path: pointer('states', i),
          message: `"${state.name}" waits for a text reply but follows the incoming-call trigger while concurrent calls are allowed: replies cannot be matched to a caller`,
          code: 'flow:send-and-wait-on-concurrent-calls',
        }]
      : [],
  );
}

export function reachableFrom(flow: FlowDefinition, roots: readonly string[]): Set<string> {
  const byName = new Map(flow.states.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const state = byName.get(name);
    if (seen.has(name) || !state) continue;
    seen.add(name);
    for (const t of state.transitions) if (t.next) queue.push(t.next);
  }
  return seen;
}
