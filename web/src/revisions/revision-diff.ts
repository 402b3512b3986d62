import { diffLines } from 'diff';
import type { FlowDefinition, FlowState } from '../../../src/flow/definition';

/**
 * What changed between two flow definitions, for the "Compare revisions" dialog: a widget-level
 * summary and the side-by-side rows of the pretty-printed JSON. Pure (no DOM, no React) so that it
 * is tested under Node and typechecks with the root tsconfig.
 */

/** The parts of a widget a change can touch; `position` is kept apart so that moving a widget does not read as editing it. */
export type WidgetPart = 'type' | 'properties' | 'transitions' | 'position' | 'other';

export interface WidgetChange {
  readonly name: string;
  readonly parts: readonly WidgetPart[];
}

export interface WidgetRename extends WidgetChange {
  readonly from: string;
}

export interface ValueChange<T> {
  readonly before: T;
  readonly after: T;
}

export interface DefinitionSummary {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly renamed: readonly WidgetRename[];
  readonly changed: readonly WidgetChange[];
  readonly description?: ValueChange<string | undefined>;
  readonly initialState?: ValueChange<string>;
  readonly flags: readonly (ValueChange<unknown> & { readonly flag: string })[];
  /** True when nothing differs at all (key order aside). */
  readonly same: boolean;
}

/** JSON with sorted keys: two definitions that differ only in key order are the same flow. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const equal = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function withoutOffset(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  const { offset: _offset, ...rest } = properties ?? {};
  return rest;
}

function otherKeys(state: FlowState): Record<string, unknown> {
  const { name: _n, type: _t, properties: _p, transitions: _tr, ...rest } = state;
  return rest;
}

/** `next` rewritten through `renames`, so that references following a renamed widget do not count as edits. */
function transitionsOf(state: FlowState, renames: ReadonlyMap<string, string>): unknown {
  return (state.transitions ?? []).map((t) => (t.next && renames.has(t.next) ? { ...t, next: renames.get(t.next) } : t));
}

function partsChanged(a: FlowState, b: FlowState, renames: ReadonlyMap<string, string>): WidgetPart[] {
  const parts: WidgetPart[] = [];
  if (a.type !== b.type) parts.push('type');
  if (!equal(withoutOffset(a.properties), withoutOffset(b.properties))) parts.push('properties');
  if (!equal(transitionsOf(a, renames), transitionsOf(b, new Map()))) parts.push('transitions');
  if (!equal(a.properties?.offset, b.properties?.offset)) parts.push('position');
  if (!equal(otherKeys(a), otherKeys(b))) parts.push('other');
  return parts;
}

/** A widget that disappeared and one that appeared with the same type, properties and events: the same widget, renamed. */
function looksRenamed(a: FlowState, b: FlowState): boolean {
  const events = (s: FlowState) => (s.transitions ?? []).map((t) => t.event);
  return a.type === b.type && equal(withoutOffset(a.properties), withoutOffset(b.properties)) && equal(events(a), events(b));
}

export function summarize(before: FlowDefinition, after: FlowDefinition): DefinitionSummary {
  const oldStates = new Map((before.states ?? []).map((s) => [s.name, s]));
  const newStates = new Map((after.states ?? []).map((s) => [s.name, s]));
  const gone = [...oldStates.values()].filter((s) => !newStates.has(s.name));
  const fresh = [...newStates.values()].filter((s) => !oldStates.has(s.name));

  const renames = new Map<string, string>();
  for (const old of gone) {
    const match = fresh.find((s) => !([...renames.values()].includes(s.name)) && looksRenamed(old, s));
    if (match) renames.set(old.name, match.name);
  }
  const renamedTo = new Set(renames.values());

  const changed: WidgetChange[] = [];
  for (const [name, old] of oldStates) {
    const now = newStates.get(name);
    const parts = now ? partsChanged(old, now, renames) : [];
    if (parts.length) changed.push({ name, parts });
  }
  const renamed = [...renames].map(([from, name]) => ({ from, name, parts: partsChanged(oldStates.get(from)!, newStates.get(name)!, renames) }));

  const flagNames = new Set([...Object.keys(before.flags ?? {}), ...Object.keys(after.flags ?? {})]);
  const flags = [...flagNames]
    .map((flag) => ({ flag, before: before.flags?.[flag], after: after.flags?.[flag] }))
    .filter((f) => !equal(f.before, f.after));

  return {
    added: fresh.filter((s) => !renamedTo.has(s.name)).map((s) => s.name),
    removed: gone.filter((s) => !renames.has(s.name)).map((s) => s.name),
    renamed,
    changed,
    description: before.description !== after.description ? { before: before.description, after: after.description } : undefined,
    initialState: before.initial_state !== after.initial_state ? { before: before.initial_state, after: after.initial_state } : undefined,
    flags,
    same: equal(before, after),
  };
}

export interface DiffLine {
  /** 1-based line number in its own side's text. */
  readonly number: number;
  readonly text: string;
}

/** One row of the side-by-side view; a changed row pairs a removed line (left) with an added one (right), either may be missing. */
export interface LineRow {
  readonly kind: 'line';
  readonly changed: boolean;
  readonly left: DiffLine | null;
  readonly right: DiffLine | null;
}

/** A run of unchanged rows folded away; it keeps them so the view can unfold it. */
export interface GapRow {
  readonly kind: 'gap';
  readonly rows: readonly LineRow[];
}

export type DiffRow = LineRow | GapRow;

/** Studio's own export format: two-space indented JSON. */
export const pretty = (definition: FlowDefinition) => `${JSON.stringify(definition, null, 2)}\n`;

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Aligns a line diff into rows: unchanged lines face each other, and each block of removed lines
 * is paired row by row with the block of added lines that replaced it, blank cells filling the
 * shorter side — so both sides always have the same number of rows.
 */
export function sideBySide(before: string, after: string): LineRow[] {
  const rows: LineRow[] = [];
  let left = 1;
  let right = 1;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const l = removed[i];
      const r = added[i];
      rows.push({ kind: 'line', changed: true, left: l === undefined ? null : { number: left++, text: l }, right: r === undefined ? null : { number: right++, text: r } });
    }
    removed = [];
    added = [];
  };
  for (const change of diffLines(before, after)) {
    const lines = linesOf(change.value);
    if (change.removed) removed.push(...lines);
    else if (change.added) added.push(...lines);
    else {
      flush();
      for (const text of lines) rows.push({ kind: 'line', changed: false, left: { number: left++, text }, right: { number: right++, text } });
    }
  }
  flush();
  return rows;
}

/** Folds runs of unchanged rows further than `context` rows from any change into gaps (runs shorter than a gap's worth stay). */
export function collapse(rows: readonly LineRow[], context = 3): DiffRow[] {
  const near = new Array<boolean>(rows.length).fill(false);
  rows.forEach((row, i) => {
    if (!row.changed) return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) near[j] = true;
  });
  const out: DiffRow[] = [];
  let run: LineRow[] = [];
  const flush = () => {
    // Folding a single line would hide nothing worth the gap row that replaces it.
    if (run.length > 1) out.push({ kind: 'gap', rows: run });
    else out.push(...run);
    run = [];
  };
  rows.forEach((row, i) => {
    if (near[i] || row.changed) {
      flush();
      out.push(row);
    } else run.push(row);
  });
  flush();
  return out;
}

/** Everything the dialog shows for a pair of definitions. */
export function compare(before: FlowDefinition, after: FlowDefinition, context = 3): { summary: DefinitionSummary; rows: DiffRow[] } {
  return { summary: summarize(before, after), rows: collapse(sideBySide(pretty(before), pretty(after)), context) };
}
