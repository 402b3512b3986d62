/**
 * The condition types of Split Based On… branches, exactly as Studio spells them (17 values).
 * Values are compared after trimming, case-insensitively; see the engine for the semantics.
 */
export const CONDITION_TYPES = [
  'equal_to',
  'not_equal_to',
  'matches_any_of',
  'does_not_match_any_of',
  'is_blank',
  'is_not_blank',
  'regex',
  'contains',
  'does_not_contain',
  'starts_with',
  'does_not_start_with',
  'less_than',
  'greater_than',
  'is_before_time',
  'is_after_time',
  'is_before_date',
  'is_after_date',
] as const;

export type ConditionType = (typeof CONDITION_TYPES)[number];

export function isConditionType(value: string): value is ConditionType {
  return (CONDITION_TYPES as readonly string[]).includes(value);
}
