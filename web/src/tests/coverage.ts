import { transitionKey, type FlowDefinition } from '../../../src/flow/definition';
import { edgeId } from '../editor/graph';
import type { ExecutionPath } from '../executions/path';

/** A run's coverage as the API reports it (see `POST /v2/Flows/{FlowSid}/Tests/Runs`). */
export interface RunCoverage {
  readonly widgets: { readonly covered: number; readonly total: number; readonly percent: number; readonly hits: Readonly<Record<string, number>> };
  readonly transitions: { readonly covered: number; readonly total: number; readonly percent: number; readonly hits: Readonly<Record<string, number>> };
}

/**
 * Coverage drawn the way an execution's path is: covered widgets are marked with how many tests
 * went through them, covered transitions are drawn as taken; the rest stays plain.
 */
export function coveragePath(coverage: RunCoverage, definition: FlowDefinition): ExecutionPath {
  const visits = new Map<string, number[]>();
  for (const [widget, hits] of Object.entries(coverage.widgets.hits)) visits.set(widget, [hits]);
  const taken = new Set<string>();
  for (const state of definition.states) {
    state.transitions.forEach((t, index) => {
      if (t.next && coverage.transitions.hits[transitionKey(state.name, t.event, t.next)]) taken.add(edgeId(state.name, index));
    });
  }
  const { widgets, transitions } = coverage;
  return { visits, taken, title: `test coverage: widgets ${widgets.covered}/${widgets.total} (${widgets.percent} %), transitions ${transitions.covered}/${transitions.total} (${transitions.percent} %)` };
}
