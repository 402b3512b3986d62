/**
 * Undo/redo as a pair of snapshot stacks around the present value. Snapshots are whole
 * immutable definitions (edits share unchanged widgets), so a step is one pointer; the depth is
 * bounded so a long session cannot grow without end.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  /** What the last edit changed (e.g. `send_1/body`), when its caller said so. */
  readonly key?: string;
}

/** How many steps back undo reaches. */
export const UNDO_DEPTH = 200;

export function historyOf<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/**
 * Records a new present; an unchanged value is not a step. Redo is lost, as in every editor.
 * Edits with the same `key` in a row (typing in one field) make one step, not one per keystroke.
 */
export function record<T>(history: History<T>, next: T, key?: string): History<T> {
  if (next === history.present) return history;
  if (key !== undefined && key === history.key) return { ...history, present: next, future: [] };
  return { past: [...history.past, history.present].slice(-UNDO_DEPTH), present: next, future: [], ...(key !== undefined ? { key } : {}) };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
