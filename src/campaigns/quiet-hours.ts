/**
 * Quiet hours: a daily window of local time (in the campaign's IANA time zone) in which no
 * contact is started. Pure and free of Node built-ins: the campaign workflow decides with it, on
 * workflow time, so a replay decides the same.
 */
export interface QuietHours {
  /** Minutes after local midnight when the window opens… */
  readonly start: number;
  /** …and when it closes; smaller than `start` for a window across midnight (21:00-08:00). */
  readonly end: number;
}

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/** `HH:MM-HH:MM` (24-hour), or undefined when it is not one (or opens and closes at once). */
export function parseQuietHours(text: string): QuietHours | undefined {
  const m = WINDOW.exec(text.trim());
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return start === end ? undefined : { start, end };
}

/** Whether `timeZone` is one the runtime knows (an IANA name such as `America/New_York`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** When the quiet window that `now` falls in ends, or undefined when `now` is outside it. */
export function quietUntil(now: Date, quiet: QuietHours, timeZone: string): Date | undefined {
  const local = localMinutes(now, timeZone);
  const inside = quiet.start < quiet.end ? local >= quiet.start && local < quiet.end : local >= quiet.start || local < quiet.end;
  if (!inside) return undefined;
  // Minutes from now to the window's end, on the local clock (across midnight if need be)…
  const ahead = (quiet.end - local + DAY_MINUTES) % DAY_MINUTES;
  const wall = wallClockMs(now, timeZone) - (wallClockMs(now, timeZone) % MINUTE_MS) + ahead * MINUTE_MS;
  // …then that wall-clock time as an instant, with the zone's offset at that time (a DST change may lie between).
  return new Date(instantOf(wall, timeZone));
}

/** The local wall-clock time of an instant, as if it were UTC, in milliseconds. */
function wallClockMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) + at.getUTCMilliseconds();
}

function localMinutes(at: Date, timeZone: string): number {
  return Math.floor((wallClockMs(at, timeZone) % (DAY_MINUTES * MINUTE_MS)) / MINUTE_MS);
}

/** The instant whose wall-clock time in `timeZone` is `wall` (the later one when a DST change skips it). */
function instantOf(wall: number, timeZone: string): number {
  const first = wall - (wallClockMs(new Date(wall), timeZone) - wall);
  const second = wall - (wallClockMs(new Date(first), timeZone) - first);
  if (wallClockMs(new Date(second), timeZone) === wall) return second;
  // Skipped by a DST change (02:30 on the spring-forward day): read with the offset before it (03:30), as ECMAScript's "compatible" disambiguation does.
  return Math.max(first, second);
}
