import type { Transition, TransitionCondition } from '../../../src/flow/definition';

/**
 * Split Based On… branches as Studio's panel edits them: each `match` transition carries its
 * conditions, whose `arguments` are `[the split's input]` and whose `friendly_name` Studio writes
 * as "If value <type> <value>" until the user names it. Pure, like `fields.ts`.
 */

/** Studio's default branch name. */
export function defaultBranchName(type: string, value: string): string {
  return `If value ${type} ${value}`.trimEnd();
}

export function newCondition(input: string): TransitionCondition {
  return { friendly_name: defaultBranchName('equal_to', ''), arguments: [input], type: 'equal_to', value: '' };
}

/** A new `match` branch with one condition, unconnected. */
export function newBranch(input: string): Transition {
  return { event: 'match', conditions: [newCondition(input)] };
}

/**
 * A condition with some members changed. A name still reading as Studio's default follows the
 * new type and value; a name the user chose is kept.
 */
export function changeCondition(condition: TransitionCondition, change: Partial<TransitionCondition>): TransitionCondition {
  const next = { ...condition, ...change };
  if (change.friendly_name === undefined && condition.friendly_name === defaultBranchName(condition.type, condition.value)) {
    next.friendly_name = defaultBranchName(next.type, next.value);
  }
  return next;
}

/** The transitions after the split's input changed: conditions that tested the old input test the new one. */
export function followInput(transitions: readonly Transition[], before: string, after: string): Transition[] {
  return transitions.map((t) => (t.conditions?.some((c) => tests(c, before)) ? { ...t, conditions: t.conditions.map((c) => (tests(c, before) ? { ...c, arguments: [after] } : c)) } : t));
}

/** True when a condition tests exactly `input` (imported JSON may lack `arguments`). */
function tests(condition: TransitionCondition, input: string): boolean {
  const args: unknown = condition.arguments;
  return Array.isArray(args) && args.length === 1 && args[0] === input;
}
