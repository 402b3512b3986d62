import type { FlowDefinition } from '../../../src/flow/definition';
import { edgeId } from '../editor/graph';

/**
 * An execution's steps → the path drawn on the canvas. Pure (no DOM, no React) so it is
 * tested under Node and shared by the Executions and Simulator panels.
 *
 * Numbering: the trigger is visit 0 (where every execution starts, before any step), and
 * step n of the list (1-based, the number the panels show) gives its `transitioned_to` the
 * visit number n. So a widget's badge reads the same number as the step that entered it.
 */

/**
 * `editor/context.ts`'s `ExecutionPath`, restated: that module reaches the API client (which
 * uses `window`), so importing it would break this module's check under the Node tsconfig the
 * tests use. The two are structurally the same type; `ExecutionsPanel` assigns one to the other.
 */
export interface ExecutionPath {
  readonly visits: ReadonlyMap<string, number[]>;
  readonly taken: ReadonlySet<string>;
  readonly current?: string;
  readonly definition?: FlowDefinition;
  readonly title: string;
}

/** The fields of a Steps API item the path needs. */
export interface PathStep {
  readonly name: string;
  readonly transitioned_from: string;
  readonly transitioned_to: string;
  readonly date_created: string;
  /** Steps of a subflow run carry their parent step: their widgets are the subflow's, not ours. */
  readonly parent_step_sid?: string | null;
}

/**
 * The steps oldest first, whichever way the API listed them. The dates are to the second, so
 * several steps often share one: the list order decides ties, once its direction is known
 * (from the dates when they differ, else from which way the steps chain A→B, B→C).
 */
export function orderSteps<S extends PathStep>(steps: readonly S[]): S[] {
  const list = newestFirst(steps) ? [...steps].reverse() : [...steps];
  // Array.prototype.sort is stable: equal dates keep the (now oldest-first) list order.
  return list.sort((a, b) => time(a) - time(b));
}

function newestFirst(steps: readonly PathStep[]): boolean {
  const first = steps[0];
  const last = steps[steps.length - 1];
  if (!first || !last) return false;
  if (time(first) !== time(last)) return time(first) > time(last);
  let forward = 0;
  let backward = 0;
  for (let i = 0; i + 1 < steps.length; i++) {
    if (steps[i]!.transitioned_to === steps[i + 1]!.transitioned_from) forward++;
    if (steps[i + 1]!.transitioned_to === steps[i]!.transitioned_from) backward++;
  }
  return backward > forward;
}

function time(step: PathStep): number {
  const t = Date.parse(step.date_created);
  // An unreadable date sorts as "unknown": 0 keeps such steps in list order among themselves.
  return Number.isNaN(t) ? 0 : t;
}

/** The path of `steps` (in any order) over `definition`; widgets it does not have are skipped. */
export function executionPath(steps: readonly PathStep[], definition: FlowDefinition, title: string): ExecutionPath {
  const states = new Map(definition.states.map((s) => [s.name, s]));
  const visits = new Map<string, number[]>();
  const taken = new Set<string>();
  const visit = (name: string, n: number) => {
    if (!states.has(name)) return;
    const list = visits.get(name);
    if (list) list.push(n);
    else visits.set(name, [n]);
  };

  visit(definition.initial_state, 0);
  let current: string | undefined = states.has(definition.initial_state) ? definition.initial_state : undefined;
  orderSteps(steps.filter((s) => !s.parent_step_sid)).forEach((step, index) => {
    const n = index + 1;
    visit(step.transitioned_to, n);
    const transition = transitionIndex(definition, step);
    if (transition !== undefined) taken.add(edgeId(step.transitioned_from, transition));
    // "Ended" (or a widget since deleted) is no place on the canvas: the path stops where it left.
    if (states.has(step.transitioned_to)) current = step.transitioned_to;
    else if (states.has(step.transitioned_from)) current = step.transitioned_from;
  });
  return { visits, taken, current, title };
}

/**
 * The transition a step took: of the widget's transitions for the step's event, the one leading
 * where the step went (Split's `match` branches share the event); else the first for that event.
 */
export function transitionIndex(definition: FlowDefinition, step: PathStep): number | undefined {
  const state = definition.states.find((s) => s.name === step.transitioned_from);
  if (!state) return undefined;
  let first: number | undefined;
  for (const [i, t] of state.transitions.entries()) {
    if (t.event !== step.name) continue;
    if ((t.next ?? '') === step.transitioned_to) return i;
    first ??= i;
  }
  return first;
}
