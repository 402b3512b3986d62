import type { Edge } from '@xyflow/react';
import { edgeLabel, strokeWidth, type CanvasInsights } from './stats';

/**
 * The canvas's edges drawn by traffic: stroke width and label by each one's share of the steps
 * leaving its widget. An edge out of a widget nobody left is drawn faint, unlabelled.
 */
export function insightEdges(edges: readonly Edge[], insights: CanvasInsights): Edge[] {
  return edges.map((edge) => {
    const insight = insights.edges.get(edge.id);
    // An execution's path shown meanwhile keeps its own class (`taken`).
    const className = (kind: string) => [edge.className, kind].filter(Boolean).join(' ');
    if (!insight) return { ...edge, className: className('insight idle') };
    return {
      ...edge,
      className: className(insight.taken > 0 ? 'insight' : 'insight idle'),
      label: edgeLabel(insight),
      style: { strokeWidth: strokeWidth(insight.share) },
      ariaLabel: `${edge.source} to ${edge.target}: ${edgeLabel(insight)}`,
    };
  });
}
