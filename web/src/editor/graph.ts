import type { Edge, Node } from '@xyflow/react';
import type { FlowDefinition, FlowState } from '../../../src/flow/definition';
import type { FlowIssue } from '../../../src/flow/issues';

/**
 * The canvas view of a Flow JSON document: one node per widget, placed at its `offset`, one
 * edge per connected transition. A transition's source handle is its index in `transitions`,
 * so repeated events (Split's `match` branches) each get their own handle.
 */

export interface WidgetIssues {
  readonly errors: readonly FlowIssue[];
  readonly warnings: readonly FlowIssue[];
}

export interface WidgetNodeData extends Record<string, unknown> {
  readonly state: FlowState;
  readonly initial: boolean;
  readonly issues: WidgetIssues;
  /** Set when an execution's path is shown: the order(s) in which it passed here. */
  readonly visits?: readonly number[];
}

export type WidgetNode = Node<WidgetNodeData, 'widget'>;

const NO_ISSUES: WidgetIssues = { errors: [], warnings: [] };

export function nodesOf(definition: FlowDefinition, issues: ReadonlyMap<string, WidgetIssues>, visits?: ReadonlyMap<string, number[]>): WidgetNode[] {
  return definition.states.map((state) => ({
    id: state.name,
    type: 'widget',
    position: offsetOf(state),
    data: { state, initial: state.name === definition.initial_state, issues: issues.get(state.name) ?? NO_ISSUES, visits: visits?.get(state.name) },
    deletable: state.name !== definition.initial_state,
  }));
}

export function edgesOf(definition: FlowDefinition, taken?: ReadonlySet<string>): Edge[] {
  const names = new Set(definition.states.map((s) => s.name));
  const edges: Edge[] = [];
  for (const state of definition.states) {
    state.transitions.forEach((transition, index) => {
      if (!transition.next || !names.has(transition.next)) return;
      const id = edgeId(state.name, index);
      edges.push({ id, source: state.name, sourceHandle: String(index), target: transition.next, className: taken?.has(id) ? 'taken' : undefined, animated: taken?.has(id) ?? false });
    });
  }
  return edges;
}

export function edgeId(source: string, index: number): string {
  return `${source}#${index}`;
}

/** `{ source, index }` of an edge id made by `edgeId`. */
export function parseEdgeId(id: string): { source: string; index: number } {
  const at = id.lastIndexOf('#');
  return { source: id.slice(0, at), index: Number(id.slice(at + 1)) };
}

export function offsetOf(state: FlowState): { x: number; y: number } {
  const offset = state.properties.offset as { x?: unknown; y?: unknown } | undefined;
  return { x: typeof offset?.x === 'number' ? offset.x : 0, y: typeof offset?.y === 'number' ? offset.y : 0 };
}

/** Validation findings grouped by the widget their `#/states/<i>/…` pointer names. */
export function issuesByWidget(definition: FlowDefinition, errors: readonly FlowIssue[], warnings: readonly FlowIssue[]): Map<string, WidgetIssues> {
  const byWidget = new Map<string, { errors: FlowIssue[]; warnings: FlowIssue[] }>();
  const add = (issue: FlowIssue, kind: 'errors' | 'warnings') => {
    const name = widgetOf(definition, issue.property_path);
    if (name === undefined) return;
    const entry = byWidget.get(name) ?? { errors: [], warnings: [] };
    entry[kind].push(issue);
    byWidget.set(name, entry);
  };
  errors.forEach((i) => add(i, 'errors'));
  warnings.forEach((i) => add(i, 'warnings'));
  return byWidget;
}

/** The widget a JSON Pointer (`#/states/3/properties/body`) points into. */
export function widgetOf(definition: FlowDefinition, pointer: string): string | undefined {
  const match = /^#\/states\/(\d+)(\/|$)/.exec(pointer);
  return match ? definition.states[Number(match[1])]?.name : undefined;
}

/** The label of a transition handle: the event, or a Split branch's condition name. */
export function transitionLabel(state: FlowState, index: number): string {
  const transition = state.transitions[index];
  if (!transition) return '';
  const condition = transition.conditions?.[0];
  return transition.event === 'match' && condition ? condition.friendly_name || `${condition.type} ${condition.value}` : transition.event;
}
