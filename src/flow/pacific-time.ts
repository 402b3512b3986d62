/**
 * US Pacific time (America/Los_Angeles), the zone Studio's Liquid dates are shown in. Computed
 * from the US daylight-saving rules written here rather than read from the runtime's time-zone
 * database: the workflow sandbox, the editor and every Node version must agree on every date,
 * and a replay must render what the first run did.
 *
 * Rules (15 U.S.C. 260a as amended): since 2007 daylight time runs from the second Sunday of
 * March to the first Sunday of November; 1987–2006 from the first Sunday of April to the last
 * Sunday of October; before 1987 the last Sunday of April is used (the 1974–75 emergency year-round
 * daylight time is not modelled). Changes happen at 02:00 local time.
 */

const HOUR = 3_600_000;
/** Minutes behind UTC, as `Date.prototype.getTimezoneOffset` counts them. */
const PACIFIC_STANDARD_OFFSET = 480;
const PACIFIC_DAYLIGHT_OFFSET = 420;

/** The day of month of the `n`th Sunday (1-based) of `month` (0-based) in `year`. */
function nthSunday(year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + 7 * (n - 1);
}

function lastSunday(year: number, month: number): number {
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lastWeekday = new Date(Date.UTC(year, month, days)).getUTCDay();
  return days - lastWeekday;
}

/** Daylight time's start and end in `year`, as UTC milliseconds. */
function daylightSpan(year: number): { start: number; end: number } {
  const [startMonth, startDay, endMonth, endDay] =
    year >= 2007
      ? [2, nthSunday(year, 2, 2), 10, nthSunday(year, 10, 1)]
      : year >= 1987
        ? [3, nthSunday(year, 3, 1), 9, lastSunday(year, 9)]
        : [3, lastSunday(year, 3), 9, lastSunday(year, 9)];
  // 02:00 standard time is 10:00 UTC; 02:00 daylight time is 09:00 UTC.
  return { start: Date.UTC(year, startMonth, startDay) + 10 * HOUR, end: Date.UTC(year, endMonth, endDay) + 9 * HOUR };
}

/** The Pacific offset at an instant (UTC milliseconds): 480 (PST) or 420 (PDT). */
export function pacificOffsetAt(ms: number): number {
  const { start, end } = daylightSpan(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? PACIFIC_DAYLIGHT_OFFSET : PACIFIC_STANDARD_OFFSET;
}

/**
 * The instant a Pacific wall-clock time names (its fields given as if they were UTC). In the hour
 * skipped in spring the standard offset is used; in the hour repeated in autumn, the first one.
 */
export function pacificWallClockToInstant(wallAsUtcMs: number): number {
  const asDaylight = wallAsUtcMs + PACIFIC_DAYLIGHT_OFFSET * 60_000;
  return pacificOffsetAt(asDaylight) === PACIFIC_DAYLIGHT_OFFSET ? asDaylight : wallAsUtcMs + PACIFIC_STANDARD_OFFSET * 60_000;
}

/** `PST` or `PDT`, as Ruby's `%Z` prints the zone. */
export function pacificAbbreviation(offset: number): string {
  return offset === PACIFIC_DAYLIGHT_OFFSET ? 'PDT' : 'PST';
}
