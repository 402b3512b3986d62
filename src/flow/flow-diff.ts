import type { FlowDefinition, FlowState, Transition } from './definition';

/**
 * What changed between two flow definitions, widget by widget: the one semantic diff of the
 * editor's "Compare revisions" dialog and of `open-studio flows diff`. Moving a widget on the
 * canvas is kept apart from editing it, and a widget that only changed its name (and the
 * transitions into it) reads as a rename, not as a removal and an addition.
 */

/** The parts of a widget a change can touch; `position` is kept apart so that moving a widget does not read as editing it. */
export type WidgetPart = 'type' | 'properties' | 'transitions' | 'position' | 'other';

/** One property value that differs, at its path below `properties` (`parameters/0/value`). */
export interface PropertyChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * A transition that leads somewhere else, or whose split conditions changed. Transitions pair
 * by event and, for a split's `match` branches, by their order among the branches.
 */
export interface TransitionChange {
  readonly event: string;
  /** A split branch's name (its first condition's `friendly_name`), where it has one. */
  readonly branch?: string;
  readonly before?: string;
  readonly after?: string;
  readonly conditionsChanged?: true;
}

export interface WidgetChange {
  readonly name: string;
  readonly parts: readonly WidgetPart[];
  /** Present when `properties` changed. */
  readonly properties?: readonly PropertyChange[];
  /** Present when `transitions` changed. */
  readonly transitions?: readonly TransitionChange[];
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
function renamedTransitions(state: FlowState, renames: ReadonlyMap<string, string>): Transition[] {
  return (state.transitions ?? []).map((t) => (t.next && renames.has(t.next) ? { ...t, next: renames.get(t.next) } : t));
}

function widgetChange(name: string, a: FlowState, b: FlowState, renames: ReadonlyMap<string, string>): WidgetChange {
  const parts: WidgetPart[] = [];
  const before = withoutOffset(a.properties);
  const after = withoutOffset(b.properties);
  const transitionsBefore = renamedTransitions(a, renames);
  if (a.type !== b.type) parts.push('type');
  const properties = equal(before, after) ? undefined : propertyChanges(before, after);
  if (properties) parts.push('properties');
  const transitions = equal(transitionsBefore, b.transitions ?? []) ? undefined : transitionChanges(transitionsBefore, b.transitions ?? []);
  if (transitions) parts.push('transitions');
  if (!equal(a.properties?.offset, b.properties?.offset)) parts.push('position');
  if (!equal(otherKeys(a), otherKeys(b))) parts.push('other');
  return { name, parts, ...(properties ? { properties } : {}), ...(transitions ? { transitions } : {}) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The leaves that differ, each at its path: objects and arrays of equal length are walked into. */
export function propertyChanges(before: unknown, after: unknown, path = ''): PropertyChange[] {
  const at = (key: string | number) => (path ? `${path}/${key}` : String(key));
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => (equal(before[key], after[key]) ? [] : propertyChanges(before[key], after[key], at(key))));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => (equal(item, after[i]) ? [] : propertyChanges(item, after[i], at(i))));
  }
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

/** Each transition keyed by its event and its rank among the transitions of that event. */
function keyed(transitions: readonly Transition[]): Map<string, Transition> {
  const seen = new Map<string, number>();
  const out = new Map<string, Transition>();
  for (const t of transitions) {
    const rank = seen.get(t.event) ?? 0;
    seen.set(t.event, rank + 1);
    out.set(`${t.event}#${rank}`, t);
  }
  return out;
}

function transitionChanges(before: readonly Transition[], after: readonly Transition[]): TransitionChange[] {
  const a = keyed(before);
  const b = keyed(after);
  const changes: TransitionChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const old = a.get(key);
    const now = b.get(key);
    const conditionsChanged = !equal(old?.conditions ?? [], now?.conditions ?? []);
    if (old?.next === now?.next && !conditionsChanged && old && now) continue;
    const branch = (now ?? old)?.conditions?.[0]?.friendly_name;
    changes.push({
      event: (now ?? old)!.event,
      ...(typeof branch === 'string' && branch ? { branch } : {}),
      ...(old?.next ? { before: old.next } : {}),
      ...(now?.next ? { after: now.next } : {}),
      ...(conditionsChanged ? { conditionsChanged: true as const } : {}),
    });
  }
  return changes;
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
    const match = fresh.find((s) => ![...renames.values()].includes(s.name) && looksRenamed(old, s));
    if (match) renames.set(old.name, match.name);
  }
  const renamedTo = new Set(renames.values());

  const changed: WidgetChange[] = [];
  for (const [name, old] of oldStates) {
    const now = newStates.get(name);
    const change = now ? widgetChange(name, old, now, renames) : undefined;
    if (change?.parts.length) changed.push(change);
  }
  const renamed = [...renames].map(([from, name]) => ({ from, ...widgetChange(name, oldStates.get(from)!, newStates.get(name)!, renames) }));

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

/** One line of a summary as people read it, in the editor's dialog and in the CLI. */
export interface SummaryLine {
  readonly key: string;
  readonly kind: 'added' | 'removed' | 'changed' | 'moved';
  readonly text: string;
}

const MAX_SHOWN = 60;

/** A value as JSON, cut short: a summary line names the change, the JSON diff shows it whole. */
export function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function propertyText(p: PropertyChange): string {
  return `${p.path || 'properties'} ${shown(p.before)} → ${shown(p.after)}`;
}

function transitionText(t: TransitionChange): string {
  const which = t.branch ? `${t.event} "${t.branch}"` : t.event;
  const conditions = t.conditionsChanged ? ' (conditions changed)' : '';
  if (t.before === t.after) return `${which}${conditions}`;
  return `${which} → ${t.after ?? '(end)'} (was ${t.before ?? '(end)'})${conditions}`;
}

/** What a widget's change says beyond its name: properties changed, transitions rewired, the rest by part. */
function changeText(c: WidgetChange): string {
  const details = [
    ...(c.properties ?? []).map(propertyText),
    ...(c.transitions ?? []).map((t) => `rewired ${transitionText(t)}`),
    ...c.parts.filter((p) => p !== 'properties' && p !== 'transitions' && p !== 'position').map((p) => `${p} changed`),
  ];
  return details.join('; ');
}

const onlyMoved = (c: WidgetChange) => c.parts.length === 1 && c.parts[0] === 'position';

/** The summary as lines: additions, removals, renames, edits, then one line for all moves (an auto-layout moves every widget). */
export function summaryLines(s: DefinitionSummary): SummaryLine[] {
  const moved = [...s.changed.filter(onlyMoved).map((c) => c.name), ...s.renamed.filter(onlyMoved).map((r) => r.name)];
  const renameText = (r: WidgetRename) => `Renamed ${r.from} → ${r.name}${r.parts.some((p) => p !== 'position') ? `: ${changeText(r)}` : ''}`;
  return [
    ...s.added.map((name) => ({ key: `a:${name}`, kind: 'added' as const, text: `Added widget ${name}` })),
    ...s.removed.map((name) => ({ key: `r:${name}`, kind: 'removed' as const, text: `Removed widget ${name}` })),
    ...s.renamed.map((r) => ({ key: `n:${r.from}`, kind: 'changed' as const, text: renameText(r) })),
    ...s.changed.filter((c) => !onlyMoved(c)).map((c) => ({ key: `c:${c.name}`, kind: 'changed' as const, text: `Changed ${c.name}: ${changeText(c)}` })),
    ...(moved.length ? [{ key: 'moved', kind: 'moved' as const, text: `Moved ${moved.length === 1 ? 'widget' : `${moved.length} widgets`}: ${moved.join(', ')}` }] : []),
    ...(s.description ? [{ key: 'desc', kind: 'changed' as const, text: `Description ${shown(s.description.before)} → ${shown(s.description.after)}` }] : []),
    ...(s.initialState ? [{ key: 'init', kind: 'changed' as const, text: `Initial state ${s.initialState.before} → ${s.initialState.after}` }] : []),
    ...s.flags.map((f) => ({ key: `f:${f.flag}`, kind: 'changed' as const, text: `Flag ${f.flag} ${shown(f.before)} → ${shown(f.after)}` })),
  ];
}
