import type { FlowDefinition } from './definition';
import { pointer } from './issues';
import { WIDGET_SPECS } from './widgets';

/** One widget that behaves differently once its flow has moved from Twilio's Studio here. */
export interface MigrationNote {
  readonly widget: string;
  readonly type: string;
  readonly property_path: string;
  readonly note: string;
}

/** What the widgets of a flow moved from Twilio will do differently here, from each widget's spec. */
export function migrationNotes(flow: FlowDefinition): MigrationNote[] {
  return flow.states.flatMap((state, i) => {
    const note = WIDGET_SPECS[state.type]?.movedHere?.(state.properties ?? {});
    return note ? [{ widget: state.name, type: state.type, property_path: pointer('states', i), note }] : [];
  });
}

/** The flows a definition runs as subflows (Run Subflow's literal `flow_sid`). */
export function subflowSids(flow: FlowDefinition): string[] {
  return flow.states.filter((s) => s.type === 'run-subflow' && typeof s.properties?.flow_sid === 'string').map((s) => (s.properties.flow_sid as string).trim());
}

/**
 * The definition with Run Subflow's `flow_sid` rewritten through `sids` (a flow's SID in another
 * account → its SID here); the same object when nothing refers to a moved flow.
 */
export function withSubflowSids(flow: FlowDefinition, sids: ReadonlyMap<string, string>): FlowDefinition {
  const moved = (s: FlowDefinition['states'][number]) => s.type === 'run-subflow' && typeof s.properties?.flow_sid === 'string' && sids.has(s.properties.flow_sid.trim());
  if (!flow.states.some(moved)) return flow;
  return { ...flow, states: flow.states.map((s) => (moved(s) ? { ...s, properties: { ...s.properties, flow_sid: sids.get((s.properties.flow_sid as string).trim()) } } : s)) };
}
