import dagre from '@dagrejs/dagre';
import type { FlowDefinition } from '../../../src/flow/definition';
import type { Point } from './definition-ops';

/** Widget box sizes the layout assumes; they match the canvas's CSS. */
export const NODE_WIDTH = 240;
export const nodeHeight = (transitions: number) => 64 + 22 * Math.max(1, transitions);

/**
 * Top-down layered layout (Studio's canvas reads top to bottom): the Trigger first, each
 * widget below what leads to it. Only positions change; the result is one undo step.
 */
export function autoLayout(definition: FlowDefinition): Map<string, Point> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  const names = new Set(definition.states.map((s) => s.name));
  for (const state of definition.states) graph.setNode(state.name, { width: NODE_WIDTH, height: nodeHeight(state.transitions.length) });
  for (const state of definition.states) {
    for (const t of state.transitions) if (t.next && names.has(t.next) && t.next !== state.name) graph.setEdge(state.name, t.next);
  }
  dagre.layout(graph);
  const positions = new Map<string, Point>();
  for (const name of graph.nodes()) {
    const node = graph.node(name) as { x: number; y: number; width: number; height: number };
    positions.set(name, { x: node.x - node.width / 2, y: node.y - node.height / 2 });
  }
  return positions;
}
