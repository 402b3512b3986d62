import { isTimeZone, parseQuietHours, quietUntil } from '../../src/campaigns/quiet-hours';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('reads HH:MM-HH:MM and refuses anything else', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual({ start: 21 * 60, end: 8 * 60 });
    expect(parseQuietHours(' 12:30-13:45 ')).toEqual({ start: 750, end: 825 });
    for (const bad of ['', '9:00-17:00', '24:00-08:00', '21:00-21:00', '21:00–08:00', '21:00-08:00-09:00']) expect(parseQuietHours(bad)).toBeUndefined();
  });

  it('knows IANA time zones', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('says when a window across midnight ends, in the campaign’s time zone', () => {
    const night = parseQuietHours('21:00-08:00')!;
    // 22:00 in New York (EST, UTC-5): quiet until 08:00 local, 13:00 UTC.
    expect(quietUntil(at('2026-12-04T03:00:00Z'), night, 'America/New_York')).toEqual(at('2026-12-04T13:00:00Z'));
    expect(quietUntil(at('2026-12-04T12:30:00Z'), night, 'America/New_York')).toEqual(at('2026-12-04T13:00:00Z'));
    // 09:00 and 20:59 local are outside; 08:00 itself is the end, not inside.
    expect(quietUntil(at('2026-12-04T14:00:00Z'), night, 'America/New_York')).toBeUndefined();
    expect(quietUntil(at('2026-12-05T01:59:00Z'), night, 'America/New_York')).toBeUndefined();
    expect(quietUntil(at('2026-12-04T13:00:00Z'), night, 'America/New_York')).toBeUndefined();
    expect(quietUntil(at('2026-12-04T21:30:00Z'), night, 'UTC')).toEqual(at('2026-12-05T08:00:00Z'));
  });

  it('says when a window within one day ends', () => {
    const lunch = parseQuietHours('12:00-13:30')!;
    expect(quietUntil(at('2026-07-01T12:15:00+02:00'), lunch, 'Europe/Paris')).toEqual(at('2026-07-01T13:30:00+02:00'));
    expect(quietUntil(at('2026-07-01T13:30:00+02:00'), lunch, 'Europe/Paris')).toBeUndefined();
  });

  it('crosses a DST change at the offset of the end, and never ends inside a skipped hour', () => {
    // New York springs forward at 02:00 on 8 March 2026. 01:00-09:00 starts on EST and ends on EDT.
    expect(quietUntil(at('2026-03-08T06:30:00Z'), parseQuietHours('01:00-09:00')!, 'America/New_York')).toEqual(at('2026-03-08T13:00:00Z'));
    // 02:30 does not exist that day: it is read with the offset before the change, 03:30 EDT (as ECMAScript's "compatible" disambiguation reads it).
    expect(quietUntil(at('2026-03-08T06:30:00Z'), parseQuietHours('01:00-02:30')!, 'America/New_York')).toEqual(at('2026-03-08T07:30:00Z'));
  });
});
