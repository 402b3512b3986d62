/**
 * The Studio Flow JSON document, as exported by Studio and stored in a revision's `definition`.
 * Keys keep Studio's spelling. Unknown keys are kept as they are: an import/export round trip
 * loses nothing.
 *
 * @example
 * { "description": "Hello", "initial_state": "Trigger", "flags": { "allow_concurrent_calls": true },
 *   "states": [{ "name": "Trigger", "type": "trigger", "properties": { "offset": { "x": 0, "y": 0 } },
 *                "transitions": [{ "event": "incomingRequest", "next": "set_1" }] }] }
 */
export interface FlowDefinition {
  description?: string;
  states: FlowState[];
  initial_state: string;
  flags?: { allow_concurrent_calls?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Whether calls from one caller ID run as separate executions: Studio's default since
 * 1 October 2018, so a definition without `flags` (or without the flag) allows them; only an
 * explicit `false` (the switch in the Trigger's advanced features) turns it off.
 */
export function allowsConcurrentCalls(flow: Pick<FlowDefinition, 'flags'>): boolean {
  return flow.flags?.allow_concurrent_calls !== false;
}

/** One widget of a flow. */
export interface FlowState {
  name: string;
  type: string;
  transitions: Transition[];
  properties: Record<string, unknown>;
  [key: string]: unknown;
}

/** An edge: when the widget emits `event`, go to `next`; no `next` (or `""`) ends the execution. */
export interface Transition {
  event: string;
  next?: string;
  conditions?: TransitionCondition[];
  [key: string]: unknown;
}

/** A `split-based-on` branch test, carried on its `match` transition. */
export interface TransitionCondition {
  friendly_name: string;
  arguments: string[];
  type: string;
  value: string;
  [key: string]: unknown;
}

/** How flow-test coverage names a transition: `menu.keypress→route` (a split's match branches differ by where they lead). */
export function transitionKey(from: string, event: string, to: string): string {
  return `${from}.${event}→${to}`;
}
