import type { FlowDefinition } from './definition';

/**
 * The event of the step that records a migration to another revision (no widget emits it): the
 * step leads from the waiting widget to itself. Readers of steps (insights, the editor) leave it
 * out of a widget's traffic.
 */
export const MIGRATED_EVENT = 'migrated';

/** Where a contact waiting at a widget of one revision would wait in another, or why it cannot. */
export type WaitMapping = { readonly mappable: true; readonly widget: string; readonly type: string } | { readonly mappable: false; readonly reason: string };

export interface RevisionOf {
  readonly revision: number;
  readonly definition: FlowDefinition;
}

/**
 * Maps a waiting widget to the widget of the same name in another revision. Only the same type
 * is compatible: the wait in progress (its message sent, its timer running) ends with one of its
 * type's events, and only a widget of that type has transitions for them.
 */
export function mapWaitingWidget(from: RevisionOf, to: RevisionOf, widget: string): WaitMapping {
  const before = from.definition.states.find((s) => s.name === widget);
  if (!before) return { mappable: false, reason: `revision ${from.revision} has no widget named "${widget}"` };
  const after = to.definition.states.find((s) => s.name === widget);
  if (!after) return { mappable: false, reason: `revision ${to.revision} has no widget named "${widget}" (renamed or removed)` };
  if (after.type !== before.type) return { mappable: false, reason: `"${widget}" is a ${before.type} in revision ${from.revision} and a ${after.type} in revision ${to.revision}` };
  return { mappable: true, widget, type: after.type };
}
