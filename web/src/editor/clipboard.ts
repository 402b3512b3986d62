import type { FlowDefinition, FlowState, Transition } from '../../../src/flow/definition';
import { WIDGET_SPECS } from '../../../src/flow/widgets';
import { addState, freshName, type Point } from './definition-ops';

/**
 * Copying and pasting widgets, as pure functions over Flow JSON. What is copied is plain Studio
 * state JSON behind a marker, written to the system clipboard as text: it pastes into another
 * flow, another tab, or a text editor. Transitions between copied widgets are kept (renamed with
 * them when a name is taken); transitions to widgets left behind are cut, as Studio's canvas does,
 * so a paste never wires into the middle of someone else's flow.
 */

const KIND = 'open-studio/widgets';

export interface WidgetClipboard {
  readonly kind: typeof KIND;
  readonly states: readonly FlowState[];
}

/** How far a paste moves from the copied position, per step, so a paste never hides its original. */
const PASTE_STEP = 40;

/** The named widgets (never the Trigger) with their connections among themselves; undefined if none. */
export function copyWidgets(definition: FlowDefinition, names: readonly string[]): WidgetClipboard | undefined {
  const chosen = new Set(names);
  const states = definition.states.filter((s) => chosen.has(s.name) && s.type !== 'trigger' && s.name !== definition.initial_state);
  if (states.length === 0) return undefined;
  const kept = new Set(states.map((s) => s.name));
  return { kind: KIND, states: states.map((s) => ({ ...structuredClone(s), transitions: s.transitions.map((t) => inside(t, kept)) })) };
}

export function clipboardText(clip: WidgetClipboard): string {
  return JSON.stringify(clip, null, 2);
}

/**
 * Reads widgets from clipboard text: our own copies, or Studio state JSON pasted from an export
 * (one state, or an array of them). Anything else (plain text, a Trigger, an unknown widget
 * type) is not widgets: undefined, and the paste is left to whatever has the focus.
 */
export function parseClipboard(text: string): WidgetClipboard | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const candidates = isRecord(value) && value.kind === KIND ? value.states : Array.isArray(value) ? value : [value];
  if (!Array.isArray(candidates) || candidates.length === 0 || !candidates.every(isPastableState)) return undefined;
  if (new Set(candidates.map((s) => s.name)).size !== candidates.length) return undefined;
  return { kind: KIND, states: candidates };
}

/**
 * Adds the clipboard's widgets: each keeps its name when the flow has none by it, else gets the
 * next free `prefix_N`; the group is moved by the first step that lands no widget exactly on
 * another's position. Returns the new definition and the pasted names, in order.
 */
export function pasteWidgets(definition: FlowDefinition, clip: WidgetClipboard): { definition: FlowDefinition; names: string[] } {
  const renames = new Map<string, string>();
  let next = definition;
  const shift = freeShift(definition, clip.states);
  for (const state of clip.states) {
    const taken = next.states.some((s) => s.name === state.name);
    const name = taken ? freshName(next, state.name.replace(/_\d+$/, '')) : state.name;
    renames.set(state.name, name);
    next = addState(next, { ...state, name, transitions: [], properties: { ...state.properties, offset: moved(offsetOf(state), shift) } });
  }
  const pasted = new Set(renames.values());
  next = {
    ...next,
    states: next.states.map((s) => {
      if (!pasted.has(s.name)) return s;
      const original = clip.states.find((c) => renames.get(c.name) === s.name)!;
      return { ...s, transitions: original.transitions.map((t) => renamed(t, renames)) };
    }),
  };
  return { definition: next, names: [...renames.values()] };
}

function freeShift(definition: FlowDefinition, states: readonly FlowState[]): number {
  const occupied = new Set(definition.states.map((s) => key(offsetOf(s))));
  for (let step = 1; ; step++) {
    if (!states.some((s) => occupied.has(key(moved(offsetOf(s), step * PASTE_STEP))))) return step * PASTE_STEP;
  }
}

function inside(transition: Transition, kept: ReadonlySet<string>): Transition {
  if (transition.next === undefined || transition.next === '' || kept.has(transition.next)) return transition;
  const rest = { ...transition };
  delete rest.next;
  return rest;
}

function renamed(transition: Transition, renames: ReadonlyMap<string, string>): Transition {
  if (!transition.next) return transition;
  const target = renames.get(transition.next);
  if (target !== undefined) return { ...transition, next: target };
  return inside(transition, new Set());
}

function isPastableState(value: unknown): value is FlowState {
  return (
    isRecord(value) && typeof value.name === 'string' && /^[A-Za-z0-9_-]+$/.test(value.name) && typeof value.type === 'string' &&
    value.type !== 'trigger' && WIDGET_SPECS[value.type] !== undefined && Array.isArray(value.transitions) &&
    value.transitions.every((t) => isRecord(t) && typeof t.event === 'string') && isRecord(value.properties)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function offsetOf(state: FlowState): Point {
  const offset = state.properties.offset as Partial<Point> | undefined;
  return { x: typeof offset?.x === 'number' ? offset.x : 0, y: typeof offset?.y === 'number' ? offset.y : 0 };
}

function moved(p: Point, by: number): Point {
  return { x: Math.round(p.x + by), y: Math.round(p.y + by) };
}

function key(p: Point): string {
  return `${Math.round(p.x)},${Math.round(p.y)}`;
}
