import type { ConditionType } from '../flow/conditions';
import { matchesWhole } from './regex';

/**
 * Split Based On… condition tests with Studio's semantics: both sides trimmed, text compared
 * case-insensitively; `matches_any_of` takes a comma-separated list; `regex` must match the
 * whole input, ignoring case; numeric and date/time tests only match values that parse.
 * Times are `HH:MM[:SS]` (or an ISO date-time, taken in UTC), dates `YYYY-MM-DD` (or ISO).
 */
export function testCondition(type: ConditionType, input: string, value: string): boolean {
  const a = input.trim();
  const b = value.trim();
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  switch (type) {
    case 'equal_to':
      return la === lb;
    case 'not_equal_to':
      return la !== lb;
    case 'matches_any_of':
      return anyOf(lb).includes(la);
    case 'does_not_match_any_of':
      return !anyOf(lb).includes(la);
    case 'is_blank':
      return a === '';
    case 'is_not_blank':
      return a !== '';
    case 'regex':
      return matchesWhole(b, a);
    case 'contains':
      return la.includes(lb);
    case 'does_not_contain':
      return !la.includes(lb);
    case 'starts_with':
      return la.startsWith(lb);
    case 'does_not_start_with':
      return !la.startsWith(lb);
    case 'less_than':
      return compare(number(a), number(b)) < 0;
    case 'greater_than':
      return compare(number(a), number(b)) > 0;
    case 'is_before_time':
      return compare(timeOfDay(a), timeOfDay(b)) < 0;
    case 'is_after_time':
      return compare(timeOfDay(a), timeOfDay(b)) > 0;
    case 'is_before_date':
      return compare(day(a), day(b)) < 0;
    case 'is_after_date':
      return compare(day(a), day(b)) > 0;
  }
}

/** Items of a comma list; empty items (a trailing comma, as in real exports) are ignored. */
function anyOf(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** NaN when either side is missing, so every comparison with it is false. */
function compare(a: number | undefined, b: number | undefined): number {
  return a === undefined || b === undefined ? NaN : a - b;
}

function number(text: string): number | undefined {
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : undefined;
}

/** Seconds since midnight, from `HH:MM[:SS]` or the time part of an ISO date-time (UTC). */
function timeOfDay(text: string): number | undefined {
  const plain = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (plain) {
    const [h, m, s] = [Number(plain[1]), Number(plain[2]), Number(plain[3] ?? 0)];
    return h < 24 && m < 60 && s < 60 ? h * 3600 + m * 60 + s : undefined;
  }
  const date = isoDate(text);
  return date === undefined ? undefined : date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds();
}

/** Days since the epoch, from `YYYY-MM-DD` or an ISO date-time (UTC). */
function day(text: string): number | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? isoDate(`${text}T00:00:00Z`) : isoDate(text);
  return date === undefined ? undefined : Math.floor(date.getTime() / 86_400_000);
}

function isoDate(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text) && !/^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
