import type { Liquid } from 'liquidjs';
import type { FlowDefinition } from '../definition';
import { pointer } from '../issues';
import { DEFAULT_FLOW_LIMITS } from '../limits';
import { createLiquid } from '../liquid';
import { templatesOf } from '../validate-graph';
import { hasLiquid } from '../values';

/** A variable one template reads from the execution context, as liquidjs's static analysis sees it. */
export interface Read {
  /** Index of the reading widget in `states`. */
  readonly state: number;
  /** JSON pointer of the template. */
  readonly at: string;
  /** The path read, up to its first computed segment (`widgets[x]` stops after `widgets`). */
  readonly segments: ReadonlyArray<string>;
  /** True when the path goes on with a computed segment: it may read anything below `segments`. */
  readonly computed: boolean;
}

let parser: Liquid | undefined;
// Every rule asks for the same flow's reads: parse each template once per lint.
const cache = new WeakMap<FlowDefinition, Read[]>();

/**
 * Every context variable the flow's Liquid reads, template by template. Only globals count: a
 * name a template assigns itself (`{% assign w = widgets.x %}{{ w.y }}`) is its own, and the read
 * it came from is reported instead. Templates that fail to parse are skipped (the validator
 * reports them).
 */
export function readsOf(flow: FlowDefinition): Read[] {
  const known = cache.get(flow);
  if (known) return known;
  parser ??= createLiquid({ parseLimit: Infinity, maxLoopIterations: Infinity });
  const reads: Read[] = [];
  flow.states.forEach((state, index) => {
    for (const { template, path } of templatesWithValues(flow, index)) {
      let globals;
      try {
        globals = parser!.analyzeSync(parser!.parse(template), { partials: false }).globals;
      } catch {
        continue;
      }
      for (const variable of Object.values(globals).flat()) {
        const cut = variable.segments.findIndex((s) => typeof s === 'object');
        const statics = (cut < 0 ? variable.segments : variable.segments.slice(0, cut)).map(String);
        reads.push({ state: index, at: pointer(...path), segments: statics, computed: cut >= 0 });
      }
    }
  });
  cache.set(flow, reads);
  return reads;
}

/**
 * `templatesOf` plus split conditions' `value`s, which the engine renders too. The schema stage
 * bounds the others' length but not these: longer ones are left unparsed, as it would refuse them.
 */
function templatesWithValues(flow: FlowDefinition, index: number): Array<{ template: string; path: Array<string | number> }> {
  const state = flow.states[index]!;
  const found = templatesOf(state, index);
  state.transitions.forEach((transition, t) =>
    (transition.conditions ?? []).forEach((condition, c) => {
      const value: unknown = condition.value;
      if (typeof value === 'string' && hasLiquid(value) && value.length <= DEFAULT_FLOW_LIMITS.maxTemplateChars) {
        found.push({ template: value, path: ['states', index, 'transitions', t, 'conditions', c, 'value'] });
      }
    }),
  );
  return found;
}

/** A read of `widgets.<name>…`, with the path below the widget. */
export interface WidgetRead extends Read {
  readonly name: string;
  readonly field: ReadonlyArray<string>;
}

/** The reads that name one widget (`widgets.x…`, `widgets["x"]…`); reads of `widgets` whole or `widgets[expr]` name none. */
export function widgetReads(flow: FlowDefinition): WidgetRead[] {
  return readsOf(flow).flatMap((read) => {
    const [root, name, ...field] = read.segments;
    return root === 'widgets' && name !== undefined ? [{ ...read, name, field }] : [];
  });
}

/** One finding per template and subject: a template that reads `widgets.x` five times is told once. */
export function once<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
