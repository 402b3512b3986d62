/** Figures of a run: percentiles, rates and the loops that produce them. */

export interface Latency {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  /** Percentiles 1…100, for the distribution picture. */
  readonly percentiles: readonly number[];
}

/** Nearest-rank percentiles of millisecond samples, rounded to 0.1 ms. */
export function latency(samples: readonly number[]): Latency {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  // The rank as (p × n) / 100, multiplied first: (7 / 100) × 100 is 7.000000000000001 in floating point.
  const at = (p: number) => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p * sorted.length) / 100) - 1))]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const percentiles = Array.from({ length: 100 }, (_, i) => round(at(i + 1)));
  return { n: sorted.length, p50: round(at(50)), p99: round(at(99)), mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length), percentiles };
}

/** Runs `task(0…total-1)` with at most `concurrency` in flight; resolves with the wall time in ms. */
export async function inParallel(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return performance.now() - started;
}

/** Runs `task` and adds its time in ms to `into`. */
export async function timed(into: number[], task: () => Promise<void>): Promise<void> {
  const started = performance.now();
  await task();
  into.push(performance.now() - started);
}

/** Times `task` once per sample, one at a time (unloaded latency). */
export async function timeEach(samples: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * Quiet time after each latency sample: what one execution leaves running after its answer (the
 * events written, a timer) ends well within it, so every sample starts on an idle machine and
 * measures one webhook on its own, as a call or message arriving alone does.
 */
export const SAMPLE_GAP_MS = 100;

/**
 * Times `samples` runs of each task one at a time, alternating engine and bare (engine first),
 * each followed by `gapMs` of quiet: neither side's samples run in the wake of its own previous
 * one while the other's run in the wake of the other side, and a drift in the machine's state
 * falls on both alike. (Back to back, without the gap, each side's p50 came out ~50 ms whatever
 * it did: the wake of the sample before, not the sample, was measured.)
 */
export async function timeAlternately(samples: number, engine: (i: number) => Promise<void>, bare: (i: number) => Promise<void>, gapMs = SAMPLE_GAP_MS): Promise<{ engine: number[]; bare: number[] }> {
  const times = { engine: [] as number[], bare: [] as number[] };
  const gap = () => new Promise((r) => setTimeout(r, gapMs));
  for (let i = 0; i < samples; i++) {
    await timed(times.engine, () => engine(i));
    await gap();
    await timed(times.bare, () => bare(i));
    await gap();
  }
  return times;
}

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000 * 10) / 10;
export const ratio = (engine: number, baseline: number): number => Math.round((engine / baseline) * 100) / 100;

/** A latency row's comparison: the engine's time over the baseline's, met when at most `limit`. */
export function latencyTarget(engine: number, baseline: number, limit: number): { ratio: number; target: string; met: boolean } {
  const r = ratio(engine, baseline);
  return { ratio: r, target: `<= ${limit} x bare`, met: r <= limit };
}

/** Wraps each timed stretch of one side of a comparison (the cluster scenarios read CPU around them). */
export type Phase = <T>(side: 'engine' | 'bare', run: () => Promise<T>) => Promise<T>;
export const untimed: Phase = (_side, run) => run();
