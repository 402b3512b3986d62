import { isConditionType, type ConditionType } from '../conditions';
import type { TransitionCondition } from '../definition';
import { hasLiquid } from '../values';

/**
 * Which inputs a Split Based On… condition accepts, as the engine tests them (src/engine/
 * conditions.ts, which the flow core may not import): both sides trimmed, text compared in lower
 * case. Every answer here must be certain: `undefined` means "not judged".
 */
export interface Condition {
  readonly type: ConditionType;
  /** The template whose rendering is tested (the condition's argument, else the split's input), trimmed. */
  readonly input: string;
  /** The value, trimmed (as the engine compares it). */
  readonly value: string;
  /** The value trimmed and in lower case, as text conditions compare it. */
  readonly lower: string;
}

/** The condition as the engine reads it; undefined for a type it does not know or a value with Liquid (known only at run time). */
export function conditionOf(condition: TransitionCondition, splitInput: unknown): Condition | undefined {
  const value: unknown = condition.value ?? '';
  const input: unknown = condition.arguments?.[0] ?? splitInput ?? '';
  if (!isConditionType(condition.type) || typeof value !== 'string' || typeof input !== 'string' || hasLiquid(value)) return undefined;
  return { type: condition.type, input: input.trim(), value: value.trim(), lower: value.trim().toLowerCase() };
}

/** The engine's `matches_any_of` list: comma-separated, items trimmed, empty items ignored. */
function items(lower: string): string[] {
  return lower.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** The engine's number syntax; undefined for text it would not compare. */
function number(text: string): number | undefined {
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : undefined;
}

/**
 * Whether `c` accepts an input that trims and lower-cases to `x`. Text and blank tests read only
 * that; numbers have no letters, so lower case changes none. Regex and date/time tests read the
 * input as written (an ISO `T`): not judged.
 */
export function accepts(c: Condition, x: string): boolean | undefined {
  const n = number(x);
  const bound = number(c.value);
  switch (c.type) {
    case 'equal_to': return x === c.lower;
    case 'not_equal_to': return x !== c.lower;
    case 'matches_any_of': return items(c.lower).includes(x);
    case 'does_not_match_any_of': return !items(c.lower).includes(x);
    case 'is_blank': return x === '';
    case 'is_not_blank': return x !== '';
    case 'contains': return x.includes(c.lower);
    case 'does_not_contain': return !x.includes(c.lower);
    case 'starts_with': return x.startsWith(c.lower);
    case 'does_not_start_with': return !x.startsWith(c.lower);
    case 'less_than': return n !== undefined && bound !== undefined && n < bound;
    case 'greater_than': return n !== undefined && bound !== undefined && n > bound;
    default: return undefined;
  }
}

/** The inputs `c` accepts when they are few: its list. */
function members(c: Condition): string[] | undefined {
  if (c.type === 'equal_to') return [c.lower];
  if (c.type === 'matches_any_of') return items(c.lower);
  if (c.type === 'is_blank') return [''];
  return undefined;
}

/** The inputs `c` refuses when they are few: it accepts everything else. */
function excluded(c: Condition): string[] | undefined {
  if (c.type === 'not_equal_to') return [c.lower];
  if (c.type === 'does_not_match_any_of') return items(c.lower);
  if (c.type === 'is_not_blank') return [''];
  if ((c.type === 'contains' || c.type === 'starts_with') && c.lower === '') return [];
  return undefined;
}

/** Conditions that accept nothing at all: a branch holding one is dead for another reason than an earlier branch. */
export function acceptsNothing(c: Condition): boolean {
  if (c.type === 'matches_any_of') return items(c.lower).length === 0;
  if (c.type === 'does_not_contain' || c.type === 'does_not_start_with') return c.lower === '';
  if (c.type === 'less_than' || c.type === 'greater_than') return number(c.value) === undefined;
  return false;
}

/** True when every input `later` accepts, `earlier` accepts too (both test the same input). */
export function covers(earlier: Condition, later: Condition): boolean {
  if (earlier.type === later.type && earlier.value === later.value) return true;
  const few = members(later);
  if (few) return few.length > 0 && few.every((x) => accepts(earlier, x) === true);
  const refused = excluded(earlier);
  if (refused) return refused.every((x) => accepts(later, x) === false);
  const [e, l] = [earlier.lower, later.lower];
  switch (earlier.type) {
    case 'contains': return (later.type === 'contains' || later.type === 'starts_with') && l.includes(e);
    case 'starts_with': return later.type === 'starts_with' && l.startsWith(e);
    // Not containing a part of `e` (non-empty) means not containing, nor starting with, `e`.
    case 'does_not_contain': return later.type === 'does_not_contain' && l !== '' && e.includes(l);
    case 'does_not_start_with':
      return l !== '' && ((later.type === 'does_not_start_with' && e.startsWith(l)) || (later.type === 'does_not_contain' && e.includes(l)));
    case 'less_than': return later.type === 'less_than' && atMost(number(later.value), number(earlier.value));
    case 'greater_than': return later.type === 'greater_than' && atMost(number(earlier.value), number(later.value));
    default: return false;
  }
}

function atMost(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && a <= b;
}

/** How a message shows a condition: `contains "help"`. */
export function describe(c: Condition): string {
  return c.type === 'is_blank' || c.type === 'is_not_blank' ? c.type : `${c.type} "${c.value}"`;
}
