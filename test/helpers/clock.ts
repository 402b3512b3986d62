/** A clock a test moves by hand: `now()` in epoch milliseconds, as the stores take it. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}
