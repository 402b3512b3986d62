import { transitionKey, type FlowDefinition } from '../flow/definition';
import { ENDED, type ExecutionState, type Step } from '../engine/state';

/** The part of a step coverage needs. */
export type Hop = Pick<Step, 'transitioned_from' | 'name' | 'transitioned_to'>;

/** What one test's execution went through: every step, and the widget it stopped at. */
export interface Walk {
  readonly steps: readonly Hop[];
  /** The widget it waits at when the test ended (still active), if any. */
  readonly current?: string;
}

export interface Ratio {
  readonly covered: number;
  readonly total: number;
  /** Whole percent, rounded down, so 99.6 % is never shown as complete; 100 for an empty total. */
  readonly percent: number;
}

export interface FlowCoverage {
  readonly widgets: Ratio & { readonly missed: readonly string[]; readonly hits: Readonly<Record<string, number>> };
  readonly transitions: Ratio & {
    readonly missed: readonly { readonly from: string; readonly event: string; readonly to: string }[];
    /** `widget.event→next` (see {@link transitionKey}) → how many times it was taken. */
    readonly hits: Readonly<Record<string, number>>;
  };
}

/** Every widget the execution went through, in order, the trigger first. */
export function pathOf(state: Pick<ExecutionState, 'steps' | 'current' | 'status'>): string[] {
  const path = state.steps.length > 0 ? [state.steps[0]!.transitioned_from] : state.current ? [state.current] : [];
  for (const step of state.steps) if (step.transitioned_to !== ENDED) path.push(step.transitioned_to);
  return path;
}

/**
 * Widgets and transitions of a flow the tests exercised. A transition is a widget's event with a
 * `next`; an event that ends the flow (no `next`) is not counted, Studio draws no line for it.
 */
export function coverageOf(definition: FlowDefinition, walks: readonly Walk[]): FlowCoverage {
  const widgetHits: Record<string, number> = {};
  const transitionHits: Record<string, number> = {};
  for (const walk of walks) {
    const seen = new Set<string>();
    for (const step of walk.steps) {
      seen.add(step.transitioned_from);
      if (step.transitioned_to !== ENDED) seen.add(step.transitioned_to);
      const key = transitionKey(step.transitioned_from, step.name, step.transitioned_to);
      transitionHits[key] = (transitionHits[key] ?? 0) + 1;
    }
    if (walk.current) seen.add(walk.current);
    for (const widget of seen) widgetHits[widget] = (widgetHits[widget] ?? 0) + 1;
  }
  const widgets = definition.states.map((s) => s.name);
  const transitions = definition.states.flatMap((s) => (s.transitions ?? []).filter((t) => !!t.next).map((t) => ({ from: s.name, event: t.event, to: t.next! })));
  const missedWidgets = widgets.filter((w) => !widgetHits[w]);
  // Split's match branches share an event: the widget each leads to tells them apart.
  const missedTransitions = transitions.filter((t) => !transitionHits[transitionKey(t.from, t.event, t.to)]);
  return {
    widgets: { ...ratio(widgets.length - missedWidgets.length, widgets.length), missed: missedWidgets, hits: widgetHits },
    transitions: { ...ratio(transitions.length - missedTransitions.length, transitions.length), missed: missedTransitions, hits: transitionHits },
  };
}

function ratio(covered: number, total: number): Ratio {
  return { covered, total, percent: total === 0 ? 100 : Math.floor((covered * 100) / total) };
}
