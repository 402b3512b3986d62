import type { Liquid } from 'liquidjs';
import { pacificAbbreviation, pacificOffsetAt, pacificWallClockToInstant } from './pacific-time';

/**
 * Where liquidjs and the Ruby Liquid that Studio runs differ on the same template, Studio's
 * answer (Twilio's support article "How do I use Liquid with Twilio Studio?", and Shopify's
 * Liquid for the standard filters):
 * - `divided_by` divides integers as integers (`10 | divided_by: 3` is 3, rounded down), and an
 *   integer `divided_by`/`modulo` 0 is an error, not `Infinity` or `NaN`;
 * - `date` shows instants in US Pacific time, reads a time without a zone as Pacific wall-clock
 *   time, prints `%Z` as PST/PDT, and returns its input unchanged without a format.
 * `applies` says whether an execution runs with these semantics (those recorded before ran
 * without them); it is asked only when a template uses one of these filters. `now` is the
 * execution's clock (workflow time), for `'now' | date`.
 */
export function useStudioSemantics(liquid: Liquid, { applies, now }: StudioSemantics): void {
  const original = (name: string) => liquid.filters[name] as unknown as (this: unknown, ...args: unknown[]) => unknown;
  const dividedBy = original('divided_by');
  const modulo = original('modulo');
  const date = original('date');
  liquid.registerFilter('divided_by', function (this: FilterThis, value: unknown, divisor: unknown, ...rest: unknown[]) {
    if (rest.length > 0 || !applies()) return dividedBy.call(this, value, divisor, ...rest);
    if (!bothIntegers(this, value, divisor)) return dividedBy.call(this, value, divisor);
    return Math.floor(nonZero(toNumber(value), toNumber(divisor)));
  });
  liquid.registerFilter('modulo', function (this: FilterThis, value: unknown, divisor: unknown) {
    if (applies() && bothIntegers(this, value, divisor)) nonZero(toNumber(value), toNumber(divisor));
    return modulo.call(this, value, divisor);
  });
  liquid.registerFilter('date', function (this: FilterThis, value: unknown, format: unknown, ...rest: unknown[]) {
    if (rest.length > 0 || !applies()) return date.call(this, value, format, ...rest);
    if (format === undefined || format === null || format === '') return value;
    const instant = value === 'now' || value === 'today' ? clock(now) : instantOf(value);
    if (instant === undefined) return value;
    const offset = pacificOffsetAt(instant);
    // liquidjs prints a numeric zone's %Z as an offset; Ruby prints the abbreviation.
    const withZone = (typeof format === 'string' ? format : JSON.stringify(format)).replace(/%%|%Z/g, (flag) => (flag === '%Z' ? pacificAbbreviation(offset) : flag));
    return date.call(this, new Date(instant).toISOString(), withZone, offset);
  });
}

export interface StudioSemantics {
  readonly applies: () => boolean;
  /** Absent where templates are only parsed: `'now' | date` then fails to render. */
  readonly now?: () => Date;
}

interface FilterThis {
  readonly token: { readonly args: ReadonlyArray<unknown> };
}

/** Ruby's `Utils.to_number`: numeric text and numbers; anything else is 0. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return 0;
}

/**
 * Whether Ruby would see two Integers. Text counts when it is digits; a number when it has no
 * fraction — except a literal written with a point (`3.0`), which Ruby reads as a Float.
 */
function bothIntegers(self: FilterThis, value: unknown, divisor: unknown): boolean {
  const written = self.token.args[0] as { getText?: () => string } | undefined;
  if (typeof divisor === 'number' && /[.eE]/.test(written?.getText?.() ?? '')) return false;
  return isInteger(value) && isInteger(divisor);
}

function isInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  if (typeof value === 'string') return /^-?\d+$/.test(value);
  return value === undefined || value === null;
}

/**
 * Ruby raises ZeroDivisionError for integers; Liquid reports it as "divided by 0". Thrown inside
 * liquidjs, which wraps it; the renderer turns it into its template error (84003).
 */
function nonZero(value: number, divisor: number): number {
  if (divisor === 0) throw new RangeError('divided by 0');
  return value / divisor;
}

function clock(now: (() => Date) | undefined): number {
  if (!now) throw new RangeError('no clock to render "now" with');
  return now().getTime();
}

/** A time zone written at the end: `Z`, `+01:00`, `-0800`, `UTC`, `GMT`. */
const ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT))\s*$/i;
/** ISO dates without a time are read by JavaScript as UTC midnight, others as local time. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The instant (UTC ms) `value` names, as Ruby's Liquid reads dates; undefined for no date. */
function instantOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parsed = new Date(value);
  const ms = parsed.getTime();
  if (Number.isNaN(ms)) return undefined;
  if (ZONE.test(value.trim())) return ms;
  // No zone: the wall-clock time it wrote, read back field by field, is Pacific time.
  const wall = ISO_DATE.test(value.trim())
    ? ms
    : Date.UTC(parsed.getFullYear(), parsed.getMonth(), parsed.getDate(), parsed.getHours(), parsed.getMinutes(), parsed.getSeconds(), parsed.getMilliseconds());
  return pacificWallClockToInstant(wall);
}
