import type { FlowDefinition, FlowState, Transition } from '../../../src/flow/definition';
import { defaultProperties, namePrefix } from '../../../src/flow/widget-catalog';
import { WIDGET_SPECS } from '../../../src/flow/widgets';

/**
 * Edits of a Flow JSON document, as pure functions: each returns a new definition and never
 * touches its input, so undo/redo is a stack of snapshots and React sees every change. Names
 * and the shape of new widgets follow Studio's canvas (`send_message_1`, every event present as
 * an unconnected transition).
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export function blankDefinition(description = 'A New Flow'): FlowDefinition {
  return {
    description,
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        properties: { offset: { x: 0, y: 0 } },
        transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall' }, { event: 'incomingConversationMessage' }, { event: 'incomingRequest' }, { event: 'incomingParent' }],
      },
    ],
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
  };
}

/** A name no widget has yet: `prefix_1`, `prefix_2`, … */
export function freshName(definition: FlowDefinition, prefix: string): string {
  const taken = new Set(definition.states.map((s) => s.name));
  for (let i = 1; ; i++) if (!taken.has(`${prefix}_${i}`)) return `${prefix}_${i}`;
}

/**
 * A new widget of `type` with Studio's default transitions (one per event, none connected) and
 * the properties its spec gives a dropped widget. Types that need an address only the user knows
 * (a URL, a flow or service SID) start without it and show that error until it is filled in.
 */
export function newState(definition: FlowDefinition, type: string, at: Point): FlowState {
  const spec = WIDGET_SPECS[type];
  if (!spec) throw new Error(`unknown widget type ${type}`);
  const repeatable = new Set(spec.repeatableEvents ?? []);
  return {
    name: freshName(definition, namePrefix(type)),
    type,
    transitions: spec.events.filter((e) => !repeatable.has(e)).map((event) => ({ event })),
    properties: { ...defaultProperties(type), offset: round(at) },
  };
}

export function addState(definition: FlowDefinition, state: FlowState): FlowDefinition {
  return { ...definition, states: [...definition.states, state] };
}

export function findState(definition: FlowDefinition, name: string): FlowState | undefined {
  return definition.states.find((s) => s.name === name);
}

function mapState(definition: FlowDefinition, name: string, change: (state: FlowState) => FlowState): FlowDefinition {
  return { ...definition, states: definition.states.map((s) => (s.name === name ? change(s) : s)) };
}

export function moveState(definition: FlowDefinition, name: string, to: Point): FlowDefinition {
  return mapState(definition, name, (s) => ({ ...s, properties: { ...s.properties, offset: round(to) } }));
}

/** Moves many widgets at once (auto-layout), a single undo step. */
export function moveStates(definition: FlowDefinition, positions: ReadonlyMap<string, Point>): FlowDefinition {
  return { ...definition, states: definition.states.map((s) => (positions.has(s.name) ? { ...s, properties: { ...s.properties, offset: round(positions.get(s.name)!) } } : s)) };
}

export function setProperties(definition: FlowDefinition, name: string, properties: Record<string, unknown>): FlowDefinition {
  return mapState(definition, name, (s) => ({ ...s, properties }));
}

export function setTransitions(definition: FlowDefinition, name: string, transitions: Transition[]): FlowDefinition {
  return mapState(definition, name, (s) => ({ ...s, transitions }));
}

/** Points transition `index` of widget `from` at `to` (a widget name), replacing any earlier target. */
export function connect(definition: FlowDefinition, from: string, index: number, to: string): FlowDefinition {
  return mapState(definition, from, (s) => ({ ...s, transitions: s.transitions.map((t, i) => (i === index ? { ...t, next: to } : t)) }));
}

/** Leaves transition `index` of widget `from` unconnected (the execution ends there). */
export function disconnect(definition: FlowDefinition, from: string, index: number): FlowDefinition {
  return mapState(definition, from, (s) => ({ ...s, transitions: s.transitions.map((t, i) => (i === index ? withoutNext(t) : t)) }));
}

function withoutNext(transition: Transition): Transition {
  const rest = { ...transition };
  delete rest.next;
  return rest;
}

/** Removes a widget and every transition into it. The Trigger cannot be removed. */
export function deleteState(definition: FlowDefinition, name: string): FlowDefinition {
  if (name === definition.initial_state) return definition;
  return {
    ...definition,
    states: definition.states.filter((s) => s.name !== name).map((s) => ({ ...s, transitions: s.transitions.map((t) => (t.next === name ? withoutNext(t) : t)) })),
  };
}

/** A copy of a widget beside it, with a fresh name and no outgoing connections. */
export function duplicateState(definition: FlowDefinition, name: string): { definition: FlowDefinition; name?: string } {
  const state = findState(definition, name);
  if (!state || state.type === 'trigger') return { definition };
  const offset = (state.properties.offset as Point | undefined) ?? { x: 0, y: 0 };
  const copyName = freshName(definition, name.replace(/_\d+$/, ''));
  const copy: FlowState = { ...structuredClone(state), name: copyName, transitions: state.transitions.map(withoutNext), properties: { ...structuredClone(state.properties), offset: { x: offset.x + 40, y: offset.y + 40 } } };
  return { definition: addState(definition, copy), name: copyName };
}

/** Why a widget name cannot be used, or undefined when it can. Studio allows letters, digits, `_` and `-`. */
export function nameProblem(definition: FlowDefinition, current: string, next: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(next)) return 'Use letters, digits, _ and - only';
  if (next !== current && findState(definition, next)) return `A widget named ${next} exists already`;
  return undefined;
}

/** Renames a widget and every transition that leads to it (and `initial_state` for the Trigger). */
export function renameState(definition: FlowDefinition, from: string, to: string): FlowDefinition {
  if (from === to || nameProblem(definition, from, to)) return definition;
  return {
    ...definition,
    initial_state: definition.initial_state === from ? to : definition.initial_state,
    states: definition.states.map((s) => ({
      ...s,
      name: s.name === from ? to : s.name,
      transitions: s.transitions.map((t) => (t.next === from ? { ...t, next: to } : t)),
    })),
  };
}

function round(p: Point): Point {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
