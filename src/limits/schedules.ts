/** Schedules: named limits, set by `LIMIT_SCHEDULE_*` variables. */
export interface ScheduleLimits {
  /** `Interval`: the shortest, in seconds (a cron expression's finest step is a minute). */
  readonly minIntervalSeconds: number;
  /** `CatchupWindow`: the longest, in seconds: how late a run missed during an outage may still be made up. */
  readonly maxCatchupWindowSeconds: number;
  /** Schedules one flow may have. */
  readonly maxPerFlow: number;
}

export const DEFAULT_SCHEDULE_LIMITS: ScheduleLimits = Object.freeze({
  minIntervalSeconds: 60,
  maxCatchupWindowSeconds: 7 * 24 * 3600,
  maxPerFlow: 100,
});
